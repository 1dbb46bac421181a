#include "model/acl.hpp"

#include "model/infrastructure_acl.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace microseg {
namespace {

// Every port the flows `flows` (indices into the policy's, in policy order) allow, compacted
// (adjacent ranges merge).
std::vector<ServicePort> flow_ports(const Policy& policy, const std::vector<std::size_t>& flows) {
    std::vector<ServicePort> ports;
    for (std::size_t i : flows)
        for (const auto& name : policy.flows()[i].services)
            if (const auto* s = policy.find_service(name)) ports.insert(ports.end(), s->ports.begin(), s->ports.end());
    return compact_service_ports(std::move(ports));
}

// The flows among `flows` grouped by the class at their other end (`to` when `by_destination`,
// else `from`), in class order, each group in policy order.
std::map<std::size_t, std::vector<std::size_t>> group_by_class(const Policy& policy, const std::vector<std::size_t>& flows,
                                                               bool by_destination) {
    std::map<std::size_t, std::vector<std::size_t>> out;
    for (std::size_t i : flows) {
        const auto& ends = policy.flow_ends(i);
        out[by_destination ? ends.to : ends.from].push_back(i);
    }
    return out;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
}

// Orders entries: permits before denies, initiations before replies, then by protocol,
// ports and addresses. The remark is not part of the key: two entries that differ only in
// their remark are duplicates.
auto sort_key(const AclEntry& e) {
    return std::tie(e.tier, e.action, e.protocol, e.destination_ports, e.source_ports, e.established,
                    e.destination, e.source, e.log);
}

// A reply is sorted after initiations so that the ACL reads "what this class may start" first.
bool entry_less(const AclEntry& a, const AclEntry& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.action != b.action) return a.action < b.action;
    if (a.is_reply() != b.is_reply()) return !a.is_reply();
    return sort_key(a) < sort_key(b);
}

// A stateless reply can only be told from an initiation by its ports (udp) or flags (tcp).
void apply_reply_shape(AclEntry& e, const ServicePort& port, const PortRange& udp_reply_ports) {
    switch (port.protocol) {
        case Protocol::tcp:
            e.source_ports = port.ports;
            e.established = true;
            break;
        case Protocol::udp:
            // Bounded so that a server choosing the service port as its source cannot reach
            // the services its clients listen on below 1024.
            e.source_ports = port.ports;
            e.destination_ports = udp_reply_ports;
            break;
        case Protocol::icmp: e.established = true; break;  // echo-reply only
        case Protocol::ip: break;  // no state to match on: the reverse direction, all of it
    }
}

// The udp ports of the flows' services whose replies also go to the catalogue's reply port,
// when that port lies outside kUdpReplyPorts (ntp: udp/123 -> 123), each with that port.
std::set<std::pair<ServicePort, std::uint16_t>> extra_reply_ports(const Policy& policy,
                                                                  const std::vector<std::size_t>& flows) {
    std::set<std::pair<ServicePort, std::uint16_t>> out;
    for (std::size_t i : flows)
        for (const auto& name : policy.flows()[i].services) {
            const auto* s = policy.find_service(name);
            if (!s || s->reply_port == 0 || kUdpReplyPorts.contains(s->reply_port)) continue;
            for (const auto& p : s->ports)
                if (p.protocol == Protocol::udp) out.emplace(p, s->reply_port);
        }
    return out;
}

}  // namespace

namespace acl_detail {

void add_target(const Policy& policy, const DeviceClass& to, const ServicePort& port,
                std::vector<PortTarget>& targets, const PortRange& reply_ports = kUdpReplyPorts) {
    const AddressSet& excluded = policy.nested_class_subnets(policy.index_of(to));
    bool broad = !excluded.empty();
    auto it = std::find_if(targets.begin(), targets.end(), [&](const PortTarget& t) {
        return t.port == port && t.broad == broad && t.reply_ports == reply_ports;
    });
    if (it == targets.end()) {
        targets.push_back({port, {}, {}, broad, {}, reply_ports});
        it = std::prev(targets.end());
    }
    it->destinations.add(to.addresses);
    if (it->excluded != excluded) it->excluded.add(excluded);
    it->classes.push_back(to.name);
}

std::map<std::size_t, std::vector<std::size_t>> flows_by_destination(const Policy& policy, const DeviceClass& from) {
    return group_by_class(policy, policy.flows_from(policy.index_of(from)), true);
}

void add_flow_targets(const Policy& policy, const std::vector<std::size_t>& flows, const DeviceClass& to,
                      std::vector<PortTarget>& targets) {
    for (const auto& port : flow_ports(policy, flows)) add_target(policy, to, port, targets);
}

// The denies that keep a broad target from reaching the classes inside it.
void add_exclusions(const DeviceClass& from, const PortTarget& t, std::vector<AclEntry>& out) {
    for (const auto& src : from.addresses.cidrs()) {
        for (const auto& ex : t.excluded.cidrs()) {
            if (src.network.family != ex.network.family) continue;
            AclEntry e;
            e.action = AclAction::deny;
            e.source = src;
            e.destination = ex;
            e.tier = 1;
            e.remark = "classes inside a broad destination";
            out.push_back(std::move(e));
        }
    }
}

// One entry per (source prefix, destination prefix) of each target, same family only.
std::vector<AclEntry> expand_targets(const DeviceClass& from, std::vector<PortTarget>& targets,
                                     bool reply) {
    std::vector<AclEntry> out;
    for (auto& t : targets) {
        std::sort(t.classes.begin(), t.classes.end());
        t.classes.erase(std::unique(t.classes.begin(), t.classes.end()), t.classes.end());
        std::string remark = fmt::format("{} {}", reply ? "reply to" : "to", join(t.classes));
        for (const auto& src : from.addresses.cidrs()) {
            for (const auto& dst : t.destinations.cidrs()) {
                if (src.network.family != dst.network.family) continue;
                AclEntry e;
                e.protocol = t.port.protocol;
                e.source = src;
                e.destination = dst;
                if (reply) apply_reply_shape(e, t.port, t.reply_ports);
                else if (t.port.has_ports()) e.destination_ports = t.port.ports;
                e.remark = remark;
                e.tier = t.broad ? 2 : 0;
                out.push_back(std::move(e));
            }
        }
        if (t.broad) add_exclusions(from, t, out);
    }
    normalise_entries(out);
    return out;
}

std::vector<AclEntry> expand_targets(const DeviceClass& from, std::vector<PortTarget>& targets) {
    return expand_targets(from, targets, false);
}

}  // namespace acl_detail

bool same_l2_domain(const DeviceClass& a, const DeviceClass& b) {
    if (a.name == b.name) return true;
    return !a.external && !b.external && a.vlan && b.vlan && *a.vlan == *b.vlan;
}

std::vector<AclEntry> initiation_entries(const Policy& policy, const DeviceClass& from) {
    return initiation_entries(policy, from, [](const DeviceClass&) { return true; });
}

std::vector<AclEntry> reply_entries(const Policy& policy, const DeviceClass& to) {
    // Targets keyed by the service port; their "destinations" are the initiators, to which
    // the replies travel.
    std::vector<acl_detail::PortTarget> targets;
    for (const auto& [initiator, flows] : group_by_class(policy, policy.flows_to(policy.index_of(to)), false)) {
        const DeviceClass& from = policy.classes()[initiator];
        if (same_l2_domain(from, to)) continue;
        for (const auto& port : flow_ports(policy, flows)) acl_detail::add_target(policy, from, port, targets);
        for (const auto& [port, reply] : extra_reply_ports(policy, flows))
            acl_detail::add_target(policy, from, port, targets, {reply, reply});
    }
    return acl_detail::expand_targets(to, targets, true);
}

AclEntry deny_all_log() {
    AclEntry e;
    e.action = AclAction::deny;
    e.log = true;
    e.remark = "everything else";
    return e;
}

void normalise_entries(std::vector<AclEntry>& entries) {
    std::stable_sort(entries.begin(), entries.end(), entry_less);
    auto same = [](const AclEntry& a, const AclEntry& b) { return sort_key(a) == sort_key(b); };
    entries.erase(std::unique(entries.begin(), entries.end(), same), entries.end());
}

Acl intended_acl(const Policy& policy, const std::vector<const DeviceClass*>& classes, std::string name) {
    Acl acl{std::move(name), {}};
    for (const auto* c : classes) {
        auto init = initiation_entries(policy, *c);
        auto replies = reply_entries(policy, *c);
        auto kept_open = infrastructure_entries(policy, *c);
        acl.entries.insert(acl.entries.end(), init.begin(), init.end());
        acl.entries.insert(acl.entries.end(), replies.begin(), replies.end());
        acl.entries.insert(acl.entries.end(), kept_open.begin(), kept_open.end());
    }
    normalise_entries(acl.entries);
    acl.entries.push_back(deny_all_log());
    return acl;
}

Acl intended_acl(const Policy& policy, const DeviceClass& cls) {
    return intended_acl(policy, std::vector<const DeviceClass*>{&cls}, "in-" + cls.name);
}

}  // namespace microseg
