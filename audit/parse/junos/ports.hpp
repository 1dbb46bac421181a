#pragma once
// What the Junos parser (parse_junos.cpp) reads about VLANs, ports and interface-ranges before
// it converts them to the model, and the VLAN ids a port's `vlan members` name.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/parse/junos/words.hpp"

namespace microseg {

// `s` as a decimal number in lo..hi, or nothing.
std::optional<int> junos_number(std::string_view s, int lo, int hi);

// `ids` plus lo..hi, kept ascending without repeats (the order a std::set gave, without a
// node per id).
void junos_add_ids(std::vector<int>& ids, int lo, int hi);

struct JunosVlan {
    std::vector<int> ids;  // ascending, no repeats
    int line = 0;
    bool no_local_switching = false;  // read, but no evidence of isolation (convert_ports)
    std::string_view l3_interface;
};

using JunosVlans = std::map<std::string_view, JunosVlan, JunosWordLess>;

struct JunosRange;

struct JunosPort {
    int line = 0;
    bool switching = false;  // has family ethernet-switching
    bool trunk = false;
    bool own = false;  // convert_ports: has statements of its own, not only its ranges'
    std::vector<std::pair<std::string_view, int>> members;  // vlan members (word, line)
    std::string_view filter_in;  // `family ethernet-switching filter input NAME`: a port filter
    int filter_line = 0;
    // The interface-ranges whose members apply too, in the order added: their members come
    // before the port's own, the last added first. Referenced, not copied into `members`: a
    // range repeated in concatenated configs had a thousand members, copied to each port.
    std::vector<const JunosRange*> ranges;
    std::size_t range_members = 0;  // members of `ranges`, against kMaxPortMembers
};

struct JunosRange {
    std::vector<std::string> interfaces;
    JunosPort port;
    // The VLAN ids of port.members (ascending, no repeats) when each names a VLAN (`clean`):
    // each member port takes them instead of resolving the same members again.
    std::vector<int> ids;
    bool clean = false;
};

// Appends the VLAN ids member `m` names (a VLAN name, an id, a range, "all", "default") to
// `out`; false when it names none.
bool junos_member_ids(const JunosVlans& vlans, std::string_view m, std::vector<int>& out);

// Fills r.ids and r.clean from r.port.members.
void junos_resolve_range(const JunosVlans& vlans, JunosRange& r);

}  // namespace microseg
