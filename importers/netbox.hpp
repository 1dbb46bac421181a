#pragma once
// NetBox import (issue 23): the JSON of NetBox's REST API (/api/dcim/devices/,
// /api/ipam/prefixes/, /api/ipam/vlans/, /api/dcim/interfaces/, each a paginated
// {"count", "next", "previous", "results"} page) and a map file, turned into a policy skeleton.
// netbox_read.cpp reads and checks the JSON, netbox_import.cpp places devices, prefixes and
// ports, netbox_policy.cpp writes the policy text and the JSON summary.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/diagnostic.hpp"
#include "model/file_io.hpp"

namespace microseg::importers {

// The four API dumps; max_bytes guards each (a page of a whole NetBox can be big, not 64 MiB).
struct NetboxFiles {
    std::string devices, prefixes, vlans, interfaces;
    std::size_t max_bytes = kMaxInputFileBytes;
};

// How NetBox's vocabulary becomes the policy's (the --map YAML file). Without a map every
// device role is a class of its (sanitised) slug and roles whose slug has "switch" are switches.
struct NetboxMap {
    std::map<std::string, std::string> roles;      // device role slug -> class
    std::map<std::string, std::string> tags;       // tag slug -> class; wins over the role
    std::set<std::string> switch_roles;            // device role slugs of switches
    std::map<std::string, std::string> platforms;  // NetBox platform slug -> microseg platform
    std::map<std::string, std::string> gateways;   // class -> switch that routes it
    bool has_roles = false;                        // a `roles:` section: unlisted roles are unplaced
    bool has_switch_roles = false;
};

// The map file, or a located error (YAML syntax, a key that is not one of the above).
Result<NetboxMap> read_netbox_map(const std::string& path);

// Something of NetBox that found no place in the policy, with what identifies it there.
struct Unplaced {
    std::string object;  // "device", "interface", "prefix", "vlan", "gateway" (a map entry)
    long long id = 0;    // NetBox id
    std::string name;
    std::string reason;
};

struct ImportedClass {
    std::string name;
    int vlan = 0;
    std::vector<std::string> subnets;
    int devices = 0;
    bool shared_vlan = false;  // two roles ended in one VLAN: the policy must say so
    std::string gateway_note;  // why this switch was chosen as its gateway
};

struct ImportedSwitch {
    std::string name;
    std::string platform;
    std::vector<std::string> gateway;                              // class names
    std::vector<std::pair<std::string, std::string>> ports;        // interface -> class
    std::vector<std::pair<std::string, std::vector<int>>> trunks;  // interface -> VLAN ids
};

struct NetboxImport {
    std::vector<ImportedClass> classes;
    std::vector<ImportedSwitch> switches;
    std::vector<Unplaced> unplaced;
    std::vector<std::string> notes;  // file-level remarks (a page that has a next page)
};

// One API dump's `results`, or a located error: missing or too large file, malformed JSON
// (file:line:col), no `results` array.
struct JsonPage {
    std::string file;
    nlohmann::json results;
    bool has_next = false;
};
Result<JsonPage> read_netbox_page(const std::string& path, std::size_t max_bytes);

// Reads the four files and places everything; an error (bad input) means no import at all.
Result<NetboxImport> import_netbox(const NetboxFiles& files, const NetboxMap& map);

// The policy skeleton (version: 1) with the unplaced items as a comment block at the end.
std::string netbox_policy_text(const NetboxImport& imported, const std::string& policy_name);
// The import as JSON for --format json: classes, switches, unplaced.
std::string netbox_summary_json(const NetboxImport& imported);

// [a-z0-9-] only, no leading, trailing or doubled '-', at most 63 characters; "" when nothing
// of `text` survives.
std::string sanitise_name(const std::string& text);

}  // namespace microseg::importers
