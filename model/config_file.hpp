#pragma once
// A switch's configuration file, as microseg writes it and reads it back: its name in a
// directory and its first line. `compile -o DIR` writes these names, `audit --save DIR` saves
// under them, and `diff --dir DIR` looks them up, so the three always agree.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/platform.hpp"

namespace microseg {

struct Policy;
struct Switch;
struct SwitchIntent;

// The file-safe stem of a switch name: the name itself when it is already letters, digits, '_'
// and '-' (at most 80), else the sanitised name plus a short hash of the original, so that a
// policy can never steer a write out of the directory and two names never collide.
std::string config_file_stem(std::string_view switch_name);
// "<stem>.<ext>": the file `compile` writes and `audit --save` saves for the switch.
std::string config_file_name(std::string_view switch_name, PlatformId platform);
std::string config_file_name(const Switch& sw);
// The names under which `diff --dir` looks for a switch's config, best first: the name above,
// then "<switch name>.<ext>" as archives (RANCID, Oxidized) name files, when that name is safe.
std::vector<std::string> config_file_candidates(std::string_view switch_name, std::string_view extension);

// False when a raw switch name cannot safely name a file (empty, a '/' or '\\', a leading '.', a
// control character, over 200 bytes).
bool can_name_file(std::string_view name);

// The first line of every emitted file:
//   "<comment> microseg policy NAME version HASH switch SW"
// read back by every config parser, so the audit can tell which intent a device carries. HASH
// is the switch's own content hash (model/switch_hash.hpp), not the policy text's: a policy
// change that leaves a switch's file as it was leaves its header as it was too, so `compile`
// does not rewrite it and the audit still finds it current.
struct ConfigHeader {
    std::string policy_name;
    std::string version;
    std::string switch_name;
};
std::string header_line(const Policy& policy, const Switch& sw);
// The same with the switch's content hash given: an emitter hashes the intent it rendered
// (computing it again was a fifth of `compile`).
std::string header_line(const Policy& policy, const Switch& sw, const std::string& content_hash);
// The header fields of `line` when it is a microseg header line (any platform's comment prefix).
std::optional<ConfigHeader> parse_header_line(std::string_view line);
// The header of a config text: its first line, if that is a header.
std::optional<ConfigHeader> find_header(std::string_view text);
// The header names this switch and the content hash of what the policy asks of it now.
bool header_matches(const ConfigHeader& header, const Policy& policy, const Switch& sw);
// The same with the switch's intent already computed (the audit has it).
bool header_matches(const ConfigHeader& header, const Policy& policy, const Switch& sw, const SwitchIntent& intent);
// The same with the switch's content hash given (switch_hash.hpp).
bool header_matches(const ConfigHeader& header, const Switch& sw, const std::string& content_hash);

}  // namespace microseg
