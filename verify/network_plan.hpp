#pragma once
// The whole network as a lab (DESIGN "Changes, proofs and evidence": the verify lab), planned
// from the files that ship, as microseg's own parsers read them. Pure: names, addresses,
// links and the `ip -batch` lines of every namespace; network_lab.hpp builds it.
//
//  * one namespace per switch; in it one bridge `br<vlan>` per VLAN the file has (VLANs,
//    access ports, trunks, SVIs), the file's SVI addresses on them, and the switch's own
//    management address (as a /32, so it answers on that VLAN without routing through it);
//  * a VLAN's bridges in two switches are joined by one veth pair only where both files'
//    trunks carry it (trunks name no peer: each switch's trunks join the first switch that
//    carries the VLAN on a trunk, a star, so no loop);
//  * one `core` namespace routes between the switches, unfiltered (DESIGN "Topology"): every
//    class subnet to the switch whose file holds its SVI (nftables routers: the policy's
//    gateway), every external subnet to its first `via` switch;
//  * hosts of each class on access ports of the switches whose files have them, in the VLAN
//    the file gives the port: two on the first switch (two ports, for isolation on one
//    switch) and one on each further switch, at most four; a class with no port at all sits
//    on its gateway's bridge; an external class's host is a routed port of its `via` switch.
//  nftables routers have no VLANs in their file: their bridges and SVIs come from the policy.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/as_built.hpp"
#include "model/diagnostic.hpp"
#include "model/policy.hpp"

namespace microseg::verify {

// One switch's file as verify tests it.
struct ShippedFile {
    const Switch* sw = nullptr;
    std::string path;       // where it was read, or where compile would write it
    std::string text;
    ParsedConfig config;    // as microseg's parser for the platform reads it
};

struct LabNode {
    std::size_t file = 0;       // index into the shipped files
    std::string netns;
    std::string core_port;      // the uplink's name in the core namespace
    std::string uplink_address; // this switch's end of the /30 to the core
    std::vector<int> vlans;     // one bridge each
    std::map<std::string, std::string> port_netdev;  // access port (as the file spells it) -> veth
    std::vector<std::string> protected_netdevs;      // `switchport protected` in the file
    std::optional<IpAddress> own_address;            // the switch's address, when the lab can hold it
};

struct NetworkHost {
    std::string class_name;
    int index = 0;              // within its class
    std::string netns;
    std::size_t node = 0;       // the switch it hangs off
    std::string port;           // the access port as the file spells it; empty: lab-only port
    int port_line = 0;          // its line in the file
    std::string netdev;         // its veth in the switch namespace
    int vlan = 0;               // the file's VLAN of that port; 0 for an external host
    IpAddress address;
    int prefix_len = 32;
    IpAddress gateway;
    std::vector<Cidr> on_link;  // other subnets of its VLAN, reached without a router
    bool external() const { return vlan == 0; }
};

struct VethLink {
    std::string netns_a, name_a, netns_b, name_b;
};

struct NetworkPlan {
    std::string prefix;
    std::string core_netns;
    std::vector<LabNode> nodes;           // one per shipped file, in policy order
    std::vector<NetworkHost> hosts;
    std::vector<VethLink> links;          // created from the root namespace
    std::map<std::string, std::vector<std::string>> scripts;  // netns -> `ip -batch` lines
    std::vector<std::string> notes;       // what could not be placed, and why
    std::map<std::string, std::size_t> routed_by;  // class -> the node that routes its subnets

    std::vector<std::string> namespaces() const;  // core, switches, hosts
    std::vector<const NetworkHost*> hosts_of(const std::string& class_name) const;
    const LabNode* node_of(const std::string& switch_name, const std::vector<ShippedFile>& files) const;
};

// The lab for `files` (one per switch of the policy). An error when a class's subnet has no
// room for its hosts or an external class has no address of its own.
Result<NetworkPlan> plan_network(const Policy& policy, const std::vector<ShippedFile>& files,
                                 const std::string& prefix);

}  // namespace microseg::verify
