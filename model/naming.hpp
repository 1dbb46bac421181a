#pragma once
// Policy names never reach a configuration unchecked. Class and switch names are mapped to
// identifiers each platform accepts: a fixed prefix, the name with every character outside a
// small per-platform alphabet replaced, a length limit, and keyword avoidance. When the
// mapping changed anything, a short hash of the original name is appended, so two names that
// sanitise alike ("a b" and "a_b") still get different identifiers. A newline, quote or
// space can never survive, so a name cannot inject a line or a token.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/platform.hpp"

namespace microseg {

struct NameRules {
    std::string_view prefix;       // e.g. "MS_IN_" for IOS ACLs; also keeps names off keywords
    std::size_t max_length;        // of the whole identifier
    std::string_view punctuation;  // allowed besides ASCII letters and digits
    bool upper = false;            // fold to upper case (IOS ACL convention, not required)
    bool letter_first = false;     // an identifier must start with a letter ('v' is prepended)
    std::vector<std::string_view> keywords;  // rejected even with the prefix (checked lower-case)
};

// The identifier for `raw` under `rules`. Deterministic: depends on `raw` and `rules` only.
std::string safe_identifier(std::string_view raw, const NameRules& rules);

// Maps every name in `raws` and fails if two distinct names would get the same identifier.
Result<std::map<std::string, std::string>> safe_identifiers(const std::vector<std::string>& raws,
                                                            const NameRules& rules);

// Free text (remarks, descriptions, header comments): printable ASCII only, no quotes or
// backslashes, at most `max_length` characters. Anything else becomes '_'.
std::string safe_comment(std::string_view text, std::size_t max_length = 100);

// Interface names come from the policy too: letters, digits and / - . : _ only.
bool is_safe_interface_name(std::string_view name);

// Per-platform rules, shared by the emitters and their tests.
const NameRules& ios_acl_rules();    // IOS and EOS ACL names
const NameRules& ios_vlan_rules();   // IOS and EOS VLAN names (32 characters)
const NameRules& junos_name_rules(); // Junos VLAN names; copy and set a prefix for others
const NameRules& nft_name_rules();   // nftables chain names

// The name a platform's config gives a VLAN of the policy (`intent_name`: a class name, or
// several joined with '+'): what its emitter writes and what the audit expects to read back.
// The platform table (model/platform.cpp) names one of the rules below for each platform.
std::string platform_vlan_name(PlatformId platform, int vlan_id, std::string_view intent_name);
std::string ios_vlan_name(int vlan_id, std::string_view intent_name);    // IOS, EOS: 32 characters
std::string junos_vlan_name(int vlan_id, std::string_view intent_name);  // letters first, no '+'
std::string verbatim_vlan_name(int vlan_id, std::string_view intent_name);

}  // namespace microseg
