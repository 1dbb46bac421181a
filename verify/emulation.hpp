#pragma once
// A vendor switch's filters as nftables: what verify loads into one switch's network namespace
// so that the namespace filters as the parsed config (model/as_built.hpp) says the device does.
// verify builds each switch as a namespace in which every VLAN is a Linux bridge br<vlan>, every
// access port with a lab host a veth on it, SVIs addresses on the bridge; br_netfilter is off,
// so bridged frames meet only the `bridge` family's hooks and routed packets the `ip` family's.
// Owned here because the lab, not the audit, decides how a device's semantics map onto Linux.
//
// What is emulated, and why so (sources: README, "How each vendor is emulated"):
// - SVI inbound ACL (IOS/EOS `ip access-group X in` on `interface VlanN`, Junos `family inet
//   filter input X` on irb.N / vlan.N): a router ACL filters what enters the SVI to be routed
//   and what is addressed to the switch itself, so `ip` forward and input chains send packets
//   arriving on br<vlan> to the ACL's chain. Applied but never defined: IOS permits everything,
//   so nothing is emitted.
// - Port ACL (IOS/EOS `ip access-group X in` on an access port, Junos `ethernet-switching
//   filter input`; isolation ACLs and any other read in full): inbound on the port, for IPv4 bridged or routed alike,
//   so the `bridge` prerouting chain sends IPv4 from the port's veth to it. An IP ACL never
//   matches ARP, which therefore passes.
// - Every list is first match with an implicit deny at its end (all three vendors); TCP
//   `established` is "ACK or RST set", ICMP `established` (model/acl.hpp) is echo-reply.
// - IPv6 entries and `log` are not emulated; outbound SVI ACLs and port ACLs with an entry
//   microseg cannot read are not either: emulation_limits names them so verify reports "unknown", not a verdict.

#include <map>
#include <string>
#include <vector>

#include "model/as_built.hpp"

namespace microseg::verify {

// "br<vlan>": the lab's bridge of a VLAN in every switch namespace.
std::string bridge_name(int vlan);

// The nftables ruleset (tables `bridge microseg_emu` and `ip microseg_emu`, each preceded by
// `table X; delete table X` so that loading it twice replaces it) that makes a switch namespace
// filter as `config` says the vendor does. `port_netdev` maps an access port, spelt as in
// config.as_built.access_ports, to its lab veth in the switch namespace; ports without one are
// left out. Every rule standing for a config entry carries `counter comment "line N"`, so that
// `nft list ruleset` in a kept lab shows which config line each rule is and how often it hit.
// A veth name that is no plain Linux interface name is the caller's bug: std::invalid_argument.
std::string emulation_ruleset(const ParsedConfig& config, const std::map<std::string, std::string>& port_netdev);

// One line per piece of `config` the ruleset cannot reproduce exactly ("line N: <interface>:
// <reason>; not emulated"): outbound SVI ACLs, and ACLs in use (SVI or port) with an entry
// the parser could not read. verify prints them as "unknown".
std::vector<std::string> emulation_limits(const ParsedConfig& config);

}  // namespace microseg::verify
