#include "model/platform.hpp"

#include <stdexcept>

#include "model/naming.hpp"

namespace microseg {

const std::vector<Platform>& platforms() {
    // ACE budgets are conservative figures for common access switches (Catalyst 9200/9300,
    // Arista 720XP, EX2300/EX3400); a switch overrides its own with `tcam_budget`.
    static const std::vector<Platform> table = {
        {PlatformId::cisco_ios, "cisco-ios", "Cisco IOS-XE", "ios", 1000,
         FetchMode::interactive_shell, {"terminal length 0", "terminal width 0"},
         "show running-config", "end", "!",
         "show mac address-table", ios_vlan_name, false},
        {PlatformId::arista_eos, "arista-eos", "Arista EOS", "eos", 1000,
         FetchMode::interactive_shell, {"terminal length 0", "terminal width 32767"},
         "show running-config", "end", "!",
         "show mac address-table", ios_vlan_name, false},
        {PlatformId::junos, "junos", "Juniper Junos", "junos", 2000,
         FetchMode::interactive_shell, {"set cli screen-length 0", "set cli screen-width 0"},
         "show configuration | display set | no-more", "", "#",
         "show ethernet-switching table | no-more", junos_vlan_name, false},
        {PlatformId::nftables, "nftables", "Linux nftables", "nft", 100000, FetchMode::exec, {},
         "nft list ruleset", "", "#",
         "bridge fdb show", verbatim_vlan_name, true},
    };
    return table;
}

const Platform& platform(PlatformId id) {
    for (const auto& p : platforms())
        if (p.id == id) return p;
    throw std::logic_error("platform id missing from the platform table");
}

const Platform* find_platform(std::string_view name) {
    for (const auto& p : platforms())
        if (p.name == name) return &p;
    return nullptr;
}

void throw_missing_platform_entry(PlatformId id, std::string_view piece) {
    throw std::logic_error(fmt::format("platform {} has no {} (add its row to that registry)",
                                       static_cast<int>(id) < static_cast<int>(platforms().size())
                                           ? platform(id).name : std::string_view("?"), piece));
}

std::string platform_names() {
    std::string out;
    for (const auto& p : platforms()) {
        if (!out.empty()) out += ", ";
        out += p.name;
    }
    return out;
}

}  // namespace microseg
