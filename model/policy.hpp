#pragma once
// The compiled policy: device classes, their VLANs and subnets, the flows allowed between them,
// and the switches that carry and filter them. Plain values; the compiler fills PolicyParts and
// makes a Policy of them, which indexes them; emitters, analyses and the audit diff read it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/ip.hpp"
#include "model/platform.hpp"
#include "model/service.hpp"

namespace microseg {

enum class Criticality : std::uint8_t { low, medium, high, life };
std::string_view to_string(Criticality c);
std::optional<Criticality> parse_criticality(std::string_view text);

struct DeviceClass {
    std::string name;
    std::optional<int> vlan;      // none for external classes
    std::vector<Cidr> subnets;    // as written, in order (SVI addresses follow this order)
    AddressSet addresses;         // the same, normalised
    std::int64_t devices = 0;     // how many devices; weighs blast radius
    Criticality criticality = Criticality::medium;
    bool isolate = false;         // members may not reach each other
    bool phi = false;             // holds protected health information
    bool entry = false;           // where an attacker may start
    bool external = false;        // outside the switched network (internet, vendor VPN)
    bool shared_vlan = false;     // consents to share its VLAN id with another class
    bool management = false;      // the operators' class: owns the switches' addresses
    bool dhcp_server = false;     // serves DHCP to every gateway through its relay
    // External classes: the nftables switches where this range enters or leaves the network
    // (edge firewall, VPN head-end). Alternatives: each accepts all of the class's flows.
    std::vector<std::string> via;
    std::optional<IpAddress> gateway_address;  // SVI address; default: first host of each subnet
    SourceLocation location;      // of the class's name in the policy

    // A target of lateral movement: life- or high-criticality, or patient data.
    bool is_protected() const {
        return phi || criticality == Criticality::life || criticality == Criticality::high;
    }
};

// One allowed initiation from one class to another; return traffic is implied.
// A policy flow with lists in `from`/`to` becomes one FlowRule per pair, sharing a location.
struct FlowRule {
    std::string from;
    std::string to;
    std::vector<std::string> services;  // names, each present in Policy::services
    std::string reason;
    std::optional<std::chrono::year_month_day> expires;
    SourceLocation location;  // of the flow item in the policy
};

struct AccessPort {
    std::string interface;     // one interface; ranges are expanded by the compiler
    std::string device_class;
    SourceLocation location;
};

struct Trunk {
    std::string interface;
    std::vector<int> vlans;    // sorted, unique
    SourceLocation location;
};

// Junos configuration style: ELS (EX2300/3400/4300 and later, QFX: irb.N, interface-mode)
// or non-ELS (older EX: vlan.N, port-mode).
enum class JunosStyle : std::uint8_t { els, non_els };

struct Switch {
    std::string name;
    PlatformId platform = PlatformId::cisco_ios;
    std::string address;       // management address or host name, for the audit
    int ssh_port = 22;
    std::string user;          // empty: the auditor's default
    std::string site;
    std::vector<std::string> gateway_for;  // classes whose SVI and inbound ACL live here
    std::vector<AccessPort> ports;         // sorted naturally by interface
    std::vector<Trunk> trunks;
    std::optional<int> tcam_budget;        // overrides the platform default
    std::optional<int> management_vlan;    // in-band management: on every trunk, never filtered
    JunosStyle junos_style = JunosStyle::els;  // junos only (the compiler rejects it elsewhere)
    SourceLocation location;

    int ace_budget() const { return tcam_budget.value_or(platform_info().default_ace_budget); }
    const Platform& platform_info() const { return microseg::platform(platform); }
};

// A VLAN as the network sees it: one id, and every class that lives in it.
struct Vlan {
    int id = 0;
    std::vector<std::string> classes;  // sorted
    std::string name() const;          // the class name, or names joined with '+'
};

// A policy's contents, as the compiler builds them: plain, mutable, not indexed. To derive a
// changed policy, take a Policy's parts, edit them, and make a new Policy of them.
// 10/8, 172.16/12, 192.168/16, 100.64/10: where an organisation's own addresses are.
std::vector<Cidr> default_internal_space();

struct PolicyParts {
    std::string name;
    std::string source_file;   // the top-level policy file
    std::string version_hash;  // identifies the exact policy text (all included files)
    std::vector<Service> services;  // built-ins merged with the policy's own, sorted by name
    std::vector<DeviceClass> classes;
    std::vector<FlowRule> flows;
    std::vector<Switch> switches;
    // Inside the organisation: a broad external class (0.0.0.0/0) never covers it, so an
    // address here that no class owns is denied everywhere.
    std::vector<Cidr> internal_space = default_internal_space();
};

// The compiled policy: its parts, which never change once it exists, and their index, built
// by the constructor, so every lookup is valid for every Policy. Cheap to move, dear to copy.
class Policy {
public:
    Policy() : Policy(PolicyParts{}) {}
    explicit Policy(PolicyParts parts);

    const std::string& name() const { return parts_.name; }
    const std::string& source_file() const { return parts_.source_file; }
    const std::string& version_hash() const { return parts_.version_hash; }
    const std::vector<Service>& services() const { return parts_.services; }
    const std::vector<DeviceClass>& classes() const { return parts_.classes; }
    const std::vector<FlowRule>& flows() const { return parts_.flows; }
    const std::vector<Switch>& switches() const { return parts_.switches; }
    const std::vector<Cidr>& internal_space() const { return parts_.internal_space; }
    // The class marked `management: true`, if any (the compiler allows at most one).
    const DeviceClass* management_class() const;
    // All of it: copy it to derive a changed policy, or release() it from one no longer needed.
    const PolicyParts& parts() const { return parts_; }
    PolicyParts release() &&;

    // Lookups by name.
    const DeviceClass* find_class(std::string_view name) const;
    const Service* find_service(std::string_view name) const;
    const Switch* find_switch(std::string_view name) const;
    std::optional<std::size_t> class_index(std::string_view name) const;
    std::size_t index_of(const DeviceClass& cls) const;  // cls must be one of `classes()`

    // Indexed by class index: the flows from / to the class (indices into `flows()`, in policy
    // order), and the subnets of other classes strictly inside its own (an address belongs to
    // the most specific class, so a flow to a broad class such as 0.0.0.0/0 must not reach
    // them). Compiling thousands of ACLs used to rescan every flow and every class for each.
    const std::vector<std::size_t>& flows_from(std::size_t class_index) const { return flows_from_[class_index]; }
    const std::vector<std::size_t>& flows_to(std::size_t class_index) const { return flows_to_[class_index]; }
    const AddressSet& nested_class_subnets(std::size_t class_index) const { return nested_subnets_[class_index]; }
    // The class indices of a flow's two ends (flows name classes that exist once checked).
    struct FlowEnds {
        std::size_t from = 0, to = 0;
    };
    const FlowEnds& flow_ends(std::size_t flow_index) const { return flow_ends_[flow_index]; }

    // The switch that lists `class_name` under gateway, if any.
    const Switch* gateway_of(std::string_view class_name) const;
    // The devices that filter a class's traffic (DESIGN "Topology"): its gateway, or for an
    // external class its `via` switches (alternatives). Empty: nothing filters it.
    std::vector<const Switch*> filters_of(const DeviceClass& cls) const;
    // A class whose traffic `sw` filters in both directions on its own: a gateway class of
    // `sw`, or an external class entering through it.
    bool is_local(const Switch& sw, const DeviceClass& cls) const;
    // Every internal VLAN id with its classes, sorted by id.
    std::vector<Vlan> vlans() const;
    // One of them, if any internal class has that VLAN id.
    std::optional<Vlan> vlan(int id) const;
    // The internal class that owns an address: the most specific subnet wins; then externals,
    // except that an external class broader than internal_space owns nothing inside it.
    const DeviceClass* class_of(const IpAddress& address) const;
    std::int64_t total_devices() const;

private:
    void build_index();  // once, by the constructor

    PolicyParts parts_;
    std::unordered_map<std::string, std::size_t> class_index_;
    std::unordered_map<std::string, std::size_t> service_index_;
    std::unordered_map<std::string, std::size_t> switch_index_;
    std::vector<FlowEnds> flow_ends_;
    std::vector<std::vector<std::size_t>> flows_from_;
    std::vector<std::vector<std::size_t>> flows_to_;
    std::vector<AddressSet> nested_subnets_;
    // class_of's index: one group per (family, prefix length), longest first, each sorted by
    // network with the subnet's winning class; an audit asks it for every class of every switch.
    struct SubnetOwners {
        IpFamily family = IpFamily::v4;
        int prefix_len = 0;
        std::vector<std::pair<Uint128, std::size_t>> owner_by_network;
    };
    std::vector<SubnetOwners> subnet_owners_;
    std::unordered_map<int, std::vector<std::size_t>> vlan_classes_;  // sorted by class name
};

// VLAN ids a switch must carry: its access ports' classes, its trunks, its gateway classes.
std::vector<int> vlans_on_switch(const Policy& policy, const Switch& sw);

}  // namespace microseg

template <>
struct fmt::formatter<microseg::Criticality> : fmt::formatter<std::string_view> {
    auto format(microseg::Criticality c, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(microseg::to_string(c), ctx);
    }
};
