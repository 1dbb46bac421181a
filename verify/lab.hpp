#pragma once
// The lab: a policy built as a real network out of Linux network namespaces. One router
// namespace holds one Linux bridge per VLAN (with the gateway addresses) and one routed port
// per external class; each lab class gets two host namespaces (one for an external class),
// each on a veth pair into its VLAN's bridge, with an address in the class's subnet.
//
// Only namespaces are created in the host's global state, all named with one unique prefix;
// every interface lives inside them. Teardown is RAII (and a signal handler on Ctrl-C);
// keep() leaves the lab up for inspection.

#include <set>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"

namespace microseg::verify {

struct LabHost {
    std::string class_name;
    int index = 0;               // 0 or 1 within its class
    std::string netns;           // the host's namespace
    std::string router_port;     // its veth end inside the router namespace
    std::string bridge;          // the bridge that port joins; empty for an external host
    Cidr subnet;                 // the address is address/subnet.prefix_len (/32 when external)
    IpAddress address;
    IpAddress gateway;           // default route
    std::vector<Cidr> on_link;   // further subnets of its VLAN, reached over L2 without the router
};

struct LabBridge {
    std::string name;            // "br<vlan>"
    int vlan = 0;
    std::vector<std::string> addresses;  // gateway address/prefix of each subnet on this VLAN
};

struct LabPlan {
    std::string prefix;          // unique per run, e.g. "ms4821a"
    std::string router_netns;    // prefix + "-r"
    std::vector<LabBridge> bridges;
    std::vector<LabHost> hosts;
    std::vector<std::string> classes;  // every class that has hosts, in policy order

    const LabHost* host(const std::string& class_name, int index) const;
    std::vector<std::string> namespaces() const;  // router first
};

// The address of a router's external port; each external host routes to it on-link.
inline constexpr const char* kExternalGateway = "169.254.0.1";

// A prefix no existing namespace uses: "ms" + pid % 10000 + a letter, at most 7 characters,
// so that even "<prefix>-h99" stays within the 15-character interface-name limit.
std::string make_lab_prefix();

// Which classes the lab holds: internal classes with a VLAN and an IPv4 subnet (only those
// whose gateway is `switch_name`, when given), then every external class with an IPv4 subnet.
std::vector<std::string> lab_classes(const Policy& policy, const std::string& switch_name = {});

// The gateway address a class's hosts use in subnet `s`: gateway_address when `s` holds it,
// else the first host.
IpAddress gateway_in(const DeviceClass& c, const Cidr& s);
// `n` host addresses in `s` (a subnet of `c`), skipping every gateway address of `c`, `taken`
// (switch addresses) and the broadcast address; a located error when `s` has no room for them.
Result<std::vector<IpAddress>> internal_addresses(const DeviceClass& c, const Cidr& s, std::size_t n,
                                                  const std::set<IpAddress>& taken = {});
// An address of external class `c` that the policy maps back to `c` (documentation ranges
// first for a class as broad as "internet").
Result<IpAddress> external_address(const Policy& policy, const DeviceClass& c);

// Addresses and names for `classes`; an error when a subnet has no room for two hosts besides
// its gateway, or an external class has no address of its own.
Result<LabPlan> plan_lab(const Policy& policy, const std::vector<std::string>& classes,
                         const std::string& prefix);

// Builds the plan on the machine (needs root). The destructor tears everything down unless
// keep() was called; so does SIGINT/SIGTERM.
class Lab {
public:
    explicit Lab(LabPlan plan) : plan_(std::move(plan)) {}
    ~Lab();
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;

    Result<bool> build();
    // Loads an nftables ruleset into the router namespace (`nft -f -`).
    Result<bool> load_ruleset(const std::string& ruleset);
    void keep() { keep_ = true; }
    void teardown();
    const LabPlan& plan() const { return plan_; }
    // Shell lines that enter, inspect and remove a kept lab.
    std::string how_to_enter() const;

private:
    Result<bool> configure_router();
    Result<bool> configure_hosts();
    LabPlan plan_;
    std::vector<std::string> created_;
    bool keep_ = false;
};

// Empty when this process can build labs (root, `ip` and `nft` present, namespaces work);
// otherwise the reason.
std::string dataplane_unavailable_reason();

}  // namespace microseg::verify
