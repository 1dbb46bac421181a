#pragma once
// The IOS-style configuration shared by Cisco IOS-XE and Arista EOS: vlan blocks, access and
// trunk switchports, extended ACLs and SVIs. A dialect carries what differs (address notation,
// sequence numbers, range syntax, how isolation is written); cisco_ios.cpp and arista_eos.cpp
// each fill one and call render_ios_style().

#include <string>
#include <vector>

#include "emitters/emitter.hpp"
#include "model/acl.hpp"
#include "model/interface_range.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

struct IosDialect {
    std::string_view indent;          // IOS " ", EOS "   " (as each prints its running-config)
    bool prefix_notation = false;     // EOS "10.0.0.0/24"; IOS "10.0.0.0 0.0.0.255"
    bool sequence_numbers = false;    // EOS numbers ACL lines "10 permit ..."
    std::string_view acl_command;     // "ip access-list extended" (IOS) or "ip access-list" (EOS)
    // "interface range Gi1/0/1 - 36" (IOS) or "interface Ethernet1-24" (EOS)
    std::string (*range_header)(const InterfaceRun& run);
    // Lines added to the access ports of an isolated class (the port ACLs themselves are the
    // switch intent's isolation_acls).
    std::vector<std::string> (*isolated_port_lines)(const AccessPortIntent& port);
};

// "any", "host A", "A W" or "A/len".
std::string ios_address(const Cidr& c, const IosDialect& d);
// "", " eq N" or " range A B".
std::string ios_ports(const PortRange& r);
// One entry without sequence number: "permit tcp SRC [ports] DST [ports] [established] [log]".
std::string ios_entry(const AclEntry& e, const IosDialect& d);
// ACL name on an IOS-style device for the neutral name of an Acl ("in-<classes>").
std::string ios_acl_name(const std::string& neutral_name);
// "110-112,120"
std::string vlan_list(const std::vector<int>& ids);
std::string vlan_list(const VlanIdSet& ids);  // the same text, a range at a time

// The whole file; ace_count receives the ACL entries written (remarks excluded).
Result<EmittedConfig> render_ios_style(const Policy& policy, const Switch& sw, const IosDialect& d);

}  // namespace microseg
