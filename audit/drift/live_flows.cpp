#include "audit/drift/live_flows.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "audit/drift/drift_router.hpp"
#include "audit/drift/live_flows_probe.hpp"
#include "audit/drift/source_index.hpp"
#include "model/acl_diff.hpp"
#include "model/all_pairs.hpp"
#include "model/lateral_paths.hpp"
#include "model/reachability.hpp"

namespace microseg {
namespace {

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

// Where the entries' destinations start and end in `family` (sorted, unique): between two
// neighbouring cuts, every address is inside the same entries' destinations (may_match in
// entries_to), so every destination class there meets the same entries. A prefix with host
// bits set contains no address (Cidr::contains), so it makes no cut.
std::vector<Uint128> destination_cuts(const std::vector<const AclEntry*>* have, const std::vector<const AclEntry*>& want,
                                      IpFamily family) {
    std::vector<Uint128> cuts;
    auto add = [&](const std::vector<const AclEntry*>& entries) {
        for (const AclEntry* e : entries) {
            const Cidr& d = e->destination;
            if (d.is_any() || d.network.family != family || !d.contains(d.network)) continue;
            cuts.push_back(d.first().value);
            if (d.last().value != ~Uint128{0}) cuts.push_back(d.last().value + 1);
        }
    };
    if (have) add(*have);
    add(want);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
}

// The probe ports (indices into `ports`) that `have` permits and `want` does not from `src`
// to `dst`; the answer holds for every destination between the same cuts.
std::vector<std::size_t> live_only_ports(const IpAddress& src, const IpAddress& dst,
                                         const std::vector<const AclEntry*>* have,
                                         const std::vector<const AclEntry*>& want, const ProbePorts& ports) {
    std::vector<std::size_t> out;
    std::vector<const AclEntry*> have_to, want_to;
    if (have) {
        entries_to(*have, dst, have_to);
        cut_after_catch_all(have_to, src.family);
        if (!any_permit(have_to)) return out;
    }
    entries_to(want, dst, want_to);
    cut_after_catch_all(want_to, src.family);
    for (std::size_t i = 0; i < ports.size(); ++i) {
        auto packet = probe(src, dst, ports[i].first);
        if ((!have || acl_permits(have_to, packet)) && !acl_permits(want_to, packet)) out.push_back(i);
    }
    return out;
}

}  // namespace

// The live-only flows from one class: every other class and probe port that `have` (the live
// entries a packet from `src` can meet; nullptr: everything is permitted) permits and `want`
// does not, in class order, then port order. The classes' representatives are taken a stretch
// of addresses at a time (destination_cuts): each stretch is judged once, at its first
// representative, and only the classes of stretches with live-only ports are visited. A
// router's filter for a class with a permit to 0.0.0.0/0 otherwise cost a pass per port over
// every other class (2,000 x 2,000 per router on the L network). probe_class_each_destination,
// the straightforward pass, is what this must equal (tested).
std::vector<ProbeHit> probe_class(const Policy& policy, const Representatives& reps, std::size_t from,
                                  const std::vector<const AclEntry*>* have, const std::vector<const AclEntry*>& want,
                                  const ProbePorts& ports) {
    const IpAddress& src = *reps.of_class[from];
    std::vector<ProbeHit> out;
    const auto cuts = destination_cuts(have, want, src.family);
    // (class, index into `verdicts`) of every representative in a stretch with live-only ports.
    std::vector<std::pair<std::size_t, std::size_t>> hits;
    std::vector<std::vector<std::size_t>> verdicts;
    const auto& by_address = reps.by_address;
    auto it = std::lower_bound(by_address.begin(), by_address.end(), std::pair{IpAddress{src.family, 0}, std::size_t{0}});
    while (it != by_address.end() && it->first.family == src.family) {
        const auto stretch = std::upper_bound(cuts.begin(), cuts.end(), it->first.value);
        auto end = it;
        if (stretch == cuts.end()) {
            while (end != by_address.end() && end->first.family == src.family) ++end;
        } else {
            end = std::lower_bound(it, by_address.end(), std::pair{IpAddress{src.family, *stretch}, std::size_t{0}});
        }
        auto found = live_only_ports(src, it->first, have, want, ports);
        if (!found.empty()) {
            verdicts.push_back(std::move(found));
            for (; it != end; ++it) hits.emplace_back(it->second, verdicts.size() - 1);
        }
        it = end;
    }
    std::sort(hits.begin(), hits.end());
    for (const auto& [to, verdict] : hits) {
        if (same_l2_domain(policy.classes()[from], policy.classes()[to])) continue;
        for (std::size_t i : verdicts[verdict]) out.push_back({to, i});
    }
    return out;
}

std::vector<ProbeHit> probe_class_each_destination(const Policy& policy, const Representatives& reps, std::size_t from,
                                                   const std::vector<const AclEntry*>* have,
                                                   const std::vector<const AclEntry*>& want, const ProbePorts& ports) {
    const IpAddress& src = *reps.of_class[from];
    std::vector<ProbeHit> out;
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
        for (std::size_t i = 0; i < ports.size(); ++i) {
            auto packet = probe(src, *dst, ports[i].first);
            if ((!have || acl_permits(have_to, packet)) && !acl_permits(want_to, packet)) out.push_back({to, i});
        }
    }
    return out;
}

namespace {

// Calls on_flow(to class, port, service, probe packet) for every live-only flow from `from`.
template <class OnFlow>
void probe_from(const Policy& policy, const Representatives& reps, std::size_t from,
                const std::vector<const AclEntry*>* have, const std::vector<const AclEntry*>& want,
                const ProbePorts& ports, OnFlow on_flow) {
    const IpAddress& src = *reps.of_class[from];
    for (const auto& [to, i] : probe_class(policy, reps, from, have, want, ports))
        on_flow(policy.classes()[to], ports[i].first, ports[i].second, probe(src, *reps.of_class[to], ports[i].first));
}

// Router mode (nftables): the one forward filter judges every source class by address, so
// every class is probed from its representative address, not only the gateway classes.
std::vector<LiveOnlyFlow> router_live_only_flows(const PolicyProbes& probes, const SwitchIntent& intent,
                                                 const ParsedConfig& live, const ProbePorts& ports,
                                                 const std::vector<std::vector<AclEntry>>* want_by_class) {
    const Policy& policy = probes.policy();
    std::vector<LiveOnlyFlow> out;
    if (live.as_built.svis.empty()) return out;
    const auto& entries = live.as_built.svis.front().acl.entries;
    static const ParsedAcl kNone;
    auto info = live.acls.find("forward");
    const ParsedAcl& parsed = info == live.acls.end() ? kNone : info->second;
    const auto& reps = probes.representatives();
    const SourceIndex index(entries);
    std::vector<AclEntry> computed;
    for (std::size_t from = 0; from < policy.classes().size(); ++from) {
        if (!reps.of_class[from]) continue;
        const DeviceClass& cls = policy.classes()[from];
        auto have = index.entries_from(*reps.of_class[from]);
        if (!want_by_class) computed = intended_forward_entries(policy, intent, cls);
        const auto& want_entries = want_by_class ? (*want_by_class)[from] : computed;
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
    PolicyProbes probes(policy);
    return live_only_flows(probes, intent, live, extra_ports);
}

std::vector<LiveOnlyFlow> live_only_flows(const PolicyProbes& probes, const SwitchIntent& intent,
                                          const ParsedConfig& live, const std::vector<ServicePort>& extra_ports,
                                          const std::vector<std::vector<AclEntry>>* router_want_by_class) {
    const Policy& policy = probes.policy();
    std::vector<LiveOnlyFlow> out;
    auto ports = probe_ports(policy, extra_ports);
    if (live.router) return router_live_only_flows(probes, intent, live, ports, router_want_by_class);
    const auto& reps = probes.representatives();
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
