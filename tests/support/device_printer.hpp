#pragma once
// What a switch shows after a compiled config was loaded into it: the round trip a real network
// makes, without the real switch. The emitters write compact configs (`interface range`, one
// trunk line, a microseg header comment); a device prints its running config its own way:
//   IOS-XE  one `interface GigabitEthernet1/0/N` block per port, full interface names, long
//           allowed-VLAN lists split over `switchport trunk allowed vlan add` lines, comments
//           dropped, a `Current configuration : N bytes` preamble and lines it always prints;
//   EOS     one `interface EthernetN` block per port, the `! Command:` preamble;
//   Junos   `show configuration | display set`: no comments, `set version` first, statements
//           grouped by top-level hierarchy in Junos' order, the lines a box always has;
//   nft     the real `nft list ruleset` of the file loaded into a private network namespace
//           (root, unshare and nft needed: nothing, and a reason, otherwise).
// Sources: Cisco IOS-XE 17 and Arista EOS 4.3x `show running-config` as their configuration
// guides print it; Junos CLI User Guide, "display set"; nft(8).

#include <optional>
#include <string>

#include "model/platform.hpp"

namespace microseg::test {

struct PrintedConfig {
    std::optional<std::string> text;  // nothing when the platform's printer could not run
    std::string why_not;
};

PrintedConfig print_as_device(PlatformId platform, const std::string& hostname, const std::string& compiled);

}  // namespace microseg::test
