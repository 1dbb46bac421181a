#pragma once
// Names and spellings Junos files share: what emitters/junos.cpp writes, what its change writer
// (emitters/junos_change.cpp) compares and deletes, and how a word is quoted in a `set` line.

#include <string>
#include <string_view>
#include <vector>

#include "model/acl.hpp"
#include "model/policy.hpp"

namespace microseg {

// What ELS and non-ELS spell differently.
struct JunosDialect {
    std::string_view port_mode;   // "interface-mode" (ELS) or "port-mode"
    std::string_view l3_device;   // the routed VLAN interface: "irb" (ELS) or "vlan"
    // Match conditions of a `family ethernet-switching` filter: ELS prefixes its IP fields
    // with "ip-" (ip-source-address), non-ELS shares the inet names (source-address).
    std::string_view source_address, destination_address, protocol;
    // Non-ELS `vlans X no-local-switching`: kept there as an extra to the port filter (it also
    // stops ARP and non-IP, but on this one switch only); ELS has no such statement.
    bool no_local_switching;
};

const JunosDialect& junos_dialect_of(const Switch& sw);

// `firewall family inet filter` name of an SVI's inbound ACL (neutral name "in-<vlan>").
std::string junos_filter_name(const Acl& acl);
// `firewall family ethernet-switching filter` name of a class's isolation filter.
std::string junos_isolation_filter_name(const std::string& class_name);
// The prefix every filter and interface-range microseg writes carries.
inline constexpr std::string_view kJunosOwnedPrefix = "ms-";

// The interfaces of `member-range FIRST to LAST` (one prefix, a run of last numbers); empty
// when the two do not share a prefix.
std::vector<std::string> junos_member_range(std::string_view first, std::string_view last);

// A word as `show configuration | display set` prints it: quoted when it holds a blank or a
// character the CLI would split on, with `"` and `\` escaped.
std::string junos_quoted(std::string_view word);
// "set" or "delete" followed by the words, each quoted as needed.
std::string junos_command(std::string_view verb, const std::vector<std::string>& words);
// The words after "set" of a `set` line as junos_command writes it (quotes and escapes undone);
// empty for any other line (comments, blank lines).
std::vector<std::string> junos_set_words(std::string_view line);

}  // namespace microseg
