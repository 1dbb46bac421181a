#include "audit/drift/live_flows.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "audit/drift/drift_router.hpp"
#include "model/acl_diff.hpp"
#include "model/all_pairs.hpp"
#include "model/lateral_paths.hpp"
#include "model/reachability.hpp"

namespace microseg {
namespace {

// A host address that the policy attributes to `cls` (for 0.0.0.0/0 an address no more
// specific class owns), or nothing when every candidate belongs to someone else.
std::optional<IpAddress> representative(const Policy& policy, const DeviceClass& cls) {
    for (const auto& subnet : cls.subnets) {
        std::vector<Uint128> offsets = {1, 2};
        for (int shift : {8, 16, 24, 28}) offsets.push_back(Uint128{1} << shift);
        for (auto off : offsets) {
            IpAddress a{subnet.network.family, subnet.network.value + off};
            if (!subnet.contains(a)) continue;
            if (const auto* owner = policy.class_of(a); owner && owner->name == cls.name) return a;
        }
    }
    return std::nullopt;
}

// The initiation ports worth probing: the first port of every tcp/udp service range, icmp.
std::vector<std::pair<ServicePort, std::string>> probe_ports(const Policy& policy,
                                                             const std::vector<ServicePort>& extra) {
    std::vector<std::pair<ServicePort, std::string>> out;
    std::set<ServicePort> seen;
    auto add = [&](ServicePort p, const std::string& name) {
        if (p.has_ports()) p.ports = {p.ports.first, p.ports.first};
        if (p.protocol == Protocol::ip || !seen.insert(p).second) return;
        out.emplace_back(p, name);
    };
    for (const auto& s : policy.services())
        for (const auto& p : s.ports) add(p, s.name);
    for (const auto& p : extra) add(p, fmt::format("{}", p));
    return out;
}

Packet probe(const IpAddress& src, const IpAddress& dst, const ServicePort& port) {
    Packet p;
    p.protocol = port.protocol;
    p.source = src;
    p.destination = dst;
    p.source_port = 49152;
    p.destination_port = port.ports.first;
    return p;
}

// The line of the first live entry that matches `packet` (whatever its action).
int deciding_line(const std::vector<AclEntry>& entries, const ParsedAcl& info, const Packet& packet) {
    for (std::size_t i = 0; i < entries.size() && i < info.entry_lines.size(); ++i) {
        AclEntry e = entries[i];
        e.action = AclAction::permit;
        if (acl_permits({e}, packet)) return info.entry_lines[i];
    }
    return info.line;
}

using ProbePorts = std::vector<std::pair<ServicePort, std::string>>;

// Each class's representative address, computed once (the probes below visit every class
// pair), and the same sorted by address, to find the classes an entry's destination holds.
struct Representatives {
    std::vector<std::optional<IpAddress>> of_class;
    std::vector<std::pair<IpAddress, std::size_t>> by_address;
};

Representatives representatives(const Policy& policy) {
    Representatives out;
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        out.of_class.push_back(representative(policy, policy.classes()[i]));
        if (out.of_class.back()) out.by_address.emplace_back(*out.of_class.back(), i);
    }
    std::sort(out.by_address.begin(), out.by_address.end());
    return out;
}

// The classes, ascending, whose representative a permit entry of `have` may reach: only they
// can receive a live-only flow. A router's forward filter lists every class of its site, and
// narrowing it once per destination cost classes x classes x entries per router.
std::vector<std::size_t> permitted_destinations(const Representatives& reps, const std::vector<const AclEntry*>& have) {
    std::vector<char> hit(reps.of_class.size(), 0);
    for (const AclEntry* e : have) {
        if (e->action != AclAction::permit) continue;
        auto first = reps.by_address.begin(), last = reps.by_address.end();
        if (!e->destination.is_any()) {
            const auto next = std::numeric_limits<std::size_t>::max();
            first = std::lower_bound(first, last, std::pair{e->destination.first(), std::size_t{0}});
            last = std::upper_bound(first, last, std::pair{e->destination.last(), next});
        }
        for (auto it = first; it != last; ++it) hit[it->second] = 1;
    }
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < hit.size(); ++c)
        if (hit[c]) out.push_back(c);
    return out;
}

// Drops what follows the first entry that decides every packet of the pair (all protocols, both
// ends of the probe's family; `entries` already hold only entries whose addresses take the
// pair): nothing after it is ever reached. A chain that drops the internal ranges before its
// accept to the internet then costs nothing per port towards internal classes.
void cut_after_catch_all(std::vector<const AclEntry*>& entries, IpFamily family) {
    auto catch_all = std::find_if(entries.begin(), entries.end(), [&](const AclEntry* e) {
        return e->protocol == Protocol::ip && e->source.network.family == family &&
               e->destination.network.family == family;
    });
    if (catch_all != entries.end()) entries.erase(catch_all + 1, entries.end());
}

bool any_permit(const std::vector<const AclEntry*>& entries) {
    return std::any_of(entries.begin(), entries.end(), [](const AclEntry* e) { return e->action == AclAction::permit; });
}

// The live-only flows from one class: every other class and probe port that `have` (the live
// entries a packet from `src` can meet; nullptr: everything is permitted) permits and `want`
// does not. Only destinations a live permit entry reaches are visited, and entries are narrowed
// per destination first, so that a pair costs one pass over a few entries instead of a probe
// per port over the whole list.
template <class OnFlow>
void probe_from(const Policy& policy, const Representatives& reps, std::size_t from,
                const std::vector<const AclEntry*>* have, const std::vector<const AclEntry*>& want,
                const ProbePorts& ports, OnFlow on_flow) {
    const IpAddress& src = *reps.of_class[from];
    std::vector<std::size_t> destinations(policy.classes().size());
    if (have) destinations = permitted_destinations(reps, *have);
    else std::iota(destinations.begin(), destinations.end(), std::size_t{0});
    std::vector<const AclEntry*> have_to, want_to;
    for (std::size_t to : destinations) {
        if (same_l2_domain(policy.classes()[from], policy.classes()[to])) continue;
        const auto& dst = reps.of_class[to];
        if (!dst || dst->family != src.family) continue;
        if (have) {
            entries_to(*have, *dst, have_to);
            cut_after_catch_all(have_to, src.family);
            if (!any_permit(have_to)) continue;
        }
        entries_to(want, *dst, want_to);
        cut_after_catch_all(want_to, src.family);
        for (const auto& [port, service] : ports) {
            auto packet = probe(src, *dst, port);
            if ((!have || acl_permits(have_to, packet)) && !acl_permits(want_to, packet))
                on_flow(policy.classes()[to], port, service, packet);
        }
    }
}

// Router mode (nftables): the one forward filter judges every source class by address, so
// every class is probed from its representative address, not only the gateway classes.
std::vector<LiveOnlyFlow> router_live_only_flows(const Policy& policy, const SwitchIntent& intent,
                                                 const ParsedConfig& live, const ProbePorts& ports) {
    std::vector<LiveOnlyFlow> out;
    if (live.as_built.svis.empty()) return out;
    const auto& entries = live.as_built.svis.front().acl.entries;
    static const ParsedAcl kNone;
    auto info = live.acls.find("forward");
    const ParsedAcl& parsed = info == live.acls.end() ? kNone : info->second;
    const auto reps = representatives(policy);
    for (std::size_t from = 0; from < policy.classes().size(); ++from) {
        if (!reps.of_class[from]) continue;
        const DeviceClass& cls = policy.classes()[from];
        auto have = entries_from(entries, *reps.of_class[from]);
        auto want_entries = intended_forward_entries(policy, intent, cls);
        auto want = entries_from(want_entries, *reps.of_class[from]);
        probe_from(policy, reps, from, &have, want, ports,
                   [&](const DeviceClass& to, const ServicePort& port, const std::string& service, const Packet& packet) {
                       out.push_back({intent.switch_name, cls.name, to.name, port, service,
                                      deciding_line(entries, parsed, packet)});
                   });
    }
    return out;
}

}  // namespace

std::vector<LiveOnlyFlow> live_only_flows(const Policy& policy, const SwitchIntent& intent,
                                          const ParsedConfig& live, const std::vector<ServicePort>& extra_ports) {
    std::vector<LiveOnlyFlow> out;
    auto ports = probe_ports(policy, extra_ports);
    if (live.router) return router_live_only_flows(policy, intent, live, ports);
    const auto reps = representatives(policy);
    for (const auto& want : intent.svis) {
        auto have = std::find_if(live.as_built.svis.begin(), live.as_built.svis.end(),
                                 [&](const SviIntent& s) { return s.vlan == want.vlan; });
        if (have == live.as_built.svis.end()) continue;
        // No ACL, or one that is not defined, permits everything (IOS semantics).
        auto parsed = live.svis.find(want.vlan);
        bool open = have->acl.name.empty() || (parsed != live.svis.end() && !parsed->second.acl_exists);
        int line = parsed == live.svis.end() ? 0 : parsed->second.line;
        for (const auto& from_name : want.classes) {
            auto from = policy.class_index(from_name);
            if (!from || !reps.of_class[*from]) continue;
            auto have_from = entries_from(have->acl.entries, *reps.of_class[*from]);
            auto want_from = entries_from(want.acl.entries, *reps.of_class[*from]);
            probe_from(policy, reps, *from, open ? nullptr : &have_from, want_from, ports,
                       [&](const DeviceClass& to, const ServicePort& port, const std::string& service, const Packet& packet) {
                           const auto* doubt = live.outbound_acl_towards(packet.destination);
                           out.push_back({intent.switch_name, from_name, to.name, port, service, line,
                                          doubt ? fmt::format("{} (line {}) may drop it", doubt->reason, doubt->line) : ""});
                       });
        }
    }
    return out;
}

Policy as_built_policy(const Policy& intent, const std::vector<LiveOnlyFlow>& flows) {
    PolicyParts p = intent.parts();
    std::set<std::string> added;  // services the intent lacks, added once
    for (const auto& f : flows) {
        if (!intent.find_service(f.service) && added.insert(f.service).second) {
            Service s;
            s.name = f.service;
            s.ports = {f.port};
            p.services.push_back(s);
        }
        FlowRule rule;
        rule.from = f.from;
        rule.to = f.to;
        rule.services = {f.service};
        rule.reason = fmt::format("live config of {}", f.switch_name);
        if (!f.doubt.empty()) rule.reason += fmt::format("; unknown: {}", f.doubt);
        rule.location = SourceLocation{f.switch_name, f.config_line, 1};
        p.flows.push_back(std::move(rule));
    }
    std::sort(p.services.begin(), p.services.end(),
              [](const Service& a, const Service& b) { return a.name < b.name; });
    return Policy(std::move(p));
}

std::vector<NewLateralPath> new_lateral_paths(const Policy& intent, const Policy& as_built) {
    auto want = ReachabilityGraph::build(intent);
    auto have = ReachabilityGraph::build(as_built);
    AllPairsReachability want_reach(want.graph());
    std::vector<NewLateralPath> out;
    for (auto from : have.entry_classes()) {
        for (auto to : have.protected_classes()) {
            if (from == to || want_reach.reaches(from, to)) continue;
            auto path = shortest_path(have, from, to);
            if (path.empty()) continue;
            NewLateralPath n{as_built.classes()[from].name, as_built.classes()[to].name, {}, {}};
            for (auto v : path) n.classes.push_back(as_built.classes()[v].name);
            for (const auto& hop : hops_of(have, path)) {
                std::string why;
                for (const auto& r : hop.reasons) why += (why.empty() ? "" : "; ") + have.describe(r);
                n.hops.push_back(fmt::format("{} -> {} on {} ({})", as_built.classes()[hop.from].name,
                                             as_built.classes()[hop.to].name, have.services_text(hop), why));
            }
            out.push_back(std::move(n));
        }
    }
    return out;
}

}  // namespace microseg
