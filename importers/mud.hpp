#pragma once
// RFC 8520 MUD files (ietf-mud + the ietf-access-control-list model of RFC 8519) to policy
// text, and one class of a policy back to a MUD file. A MUD file says what one device model
// talks to; the policy says which classes talk. So an ACE becomes a rule of the device's class
// with one peer (a controller, a DNS name, a network...) that the map file names as a class, or
// a placeholder class with a warning. Every problem carries the file and its JSON path.

#include <map>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

#include "compiler/diagnostic_kinds.hpp"
#include "model/diagnostic.hpp"
#include "model/policy.hpp"
#include "model/service.hpp"

namespace microseg::mud {

// A MUD file larger than this is refused before parsing: real ones are a few kilobytes.
inline constexpr std::size_t kMaxMudFileBytes = 16u * 1024 * 1024;
// JSON nested deeper than this is refused before nlohmann builds it (MUD needs about 10).
inline constexpr int kMaxJsonDepth = 64;

// Diagnostic kinds of importers/ (the compiler's registry covers the folders it scans).
// The diagnostic kinds of the import (registered in compiler/diagnostic_kinds.hpp).
inline const std::string kJsonSyntax = kinds::json_syntax;         // malformed JSON, at line:col
inline const std::string kMudStructure = kinds::mud_structure;     // a missing or mistyped field
inline const std::string kMudPlaceholder = kinds::mud_placeholder;  // an unmapped peer
inline const std::string kMudUnsupported = kinds::mud_unsupported;  // an ACE left out
inline const std::string kMudPlaceholderAddressing = kinds::mud_placeholder_addressing;

// The map file (YAML): each section is a class name for every key, or a mapping key -> class.
//   controller: {"urn:ietf:params:mud:dns": dns-server}    # by controller URI
//   my-controller: {"https://x.example/bulb": bulb-hub}     # by the device's MUD URL
//   manufacturer: {"lighting.example.com": bulbs}           # by manufacturer authority
//   same-manufacturer: bulbs                                # by the device's own authority
//   model: {"https://x.example/bridge": bridge}             # by MUD URL of the model
//   local-networks: workstation                             # by the device's MUD URL
//   dnsname: {"service.example.com": vendor-cloud}
//   network: {"198.51.100.0/24": partner}                    # by CIDR as written in the ACE
struct MudMap {
    struct Section {
        std::optional<std::string> every;          // a scalar: the class for every key
        std::map<std::string, std::string> by_key;
    };
    std::map<std::string, Section> sections;  // by section name above
    // The class for `key` in `section`, or nullopt.
    std::optional<std::string> lookup(const std::string& section, const std::string& key) const;
};

// The map file's sections and names; located errors for anything else.
Result<MudMap> read_mud_map(const std::string& path);
Result<MudMap> parse_mud_map(const std::string& text, const std::string& file_name);

struct MudSource {
    std::string file;  // for locations
    std::string text;
};

// One allowed conversation, as its initiator opens it: `from_device` true when the device
// opens it towards `peer`, false when `peer` opens it towards the device.
struct MudRule {
    std::string device_class;
    bool from_device = true;
    ServicePort port;
    std::string peer;  // a class name (mapped, imported or a placeholder)
    std::string origin;  // file and JSON path of the ACE
    auto operator<=>(const MudRule& o) const {
        return std::tie(device_class, from_device, port, peer) <=>
               std::tie(o.device_class, o.from_device, o.port, o.peer);
    }
    bool operator==(const MudRule& o) const { return (*this <=> o) == 0; }
};

struct MudDevice {
    std::string class_name;
    std::string mud_url;
    std::string description;  // systeminfo, or mfg-name + model-name
    std::string file;
};

struct MudPeerClass {
    std::string name;
    std::string subnet;  // a documentation-range placeholder address
    std::string what;    // e.g. "dnsname service.example.com"
    bool mapped = false;  // named by the map file (a class of the user's policy)
};

struct MudImport {
    std::vector<MudDevice> devices;
    std::vector<MudPeerClass> peers;
    std::vector<MudRule> rules;  // sorted, unique
    Diagnostics diagnostics;     // warnings (errors make the import fail)
    std::string policy_text;     // the policy `microseg check` accepts
};

// All files or none: an error in any file (syntax, structure, size) is the result.
Result<MudImport> import_mud(const std::vector<MudSource>& sources, const MudMap& map);

// Reads the files (size limit first) and imports them.
Result<MudImport> import_mud_files(const std::vector<std::string>& paths, const MudMap& map);

struct MudExportOptions {
    std::string mud_url;      // default: https://mud.example.com/<policy>/<class>.json
    std::string last_update;  // default: now, UTC, RFC 3339
};

// The MUD file of class `class_name`: one ACE per flow, service port and peer subnet.
Result<std::string> export_mud(const Policy& policy, const std::string& class_name,
                               const MudExportOptions& options = {});

// Helpers shared by the import files.
std::string sanitise_class_name(const std::string& raw);
// "line:col" of byte offset `byte` in `text` (1-based both).
std::pair<int, int> line_column(const std::string& text, std::size_t byte);

}  // namespace microseg::mud
