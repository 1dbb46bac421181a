#include "plan/proof.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/infrastructure_acl.hpp"
#include "model/interface_name.hpp"
#include "model/interface_range.hpp"

namespace microseg {
namespace {

using Filter = SegmentationView::Filter;

const std::vector<AclEntry>* entries_of(const Filter& f) { return f ? &*f : nullptr; }

bool same_filter(const Filter& a, const Filter& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || *a == *b;
}

// The routed filter of `vlan` in a view: a VLAN without an SVI routes nothing.
Filter routed_filter(const SegmentationView& v, int vlan) {
    auto it = v.routed.find(vlan);
    return it == v.routed.end() ? Filter(std::vector<AclEntry>{}) : it->second.filter;
}

// A port without a port ACL filters nothing.
Filter port_filter(const SegmentationView& v, const std::string& port) {
    auto it = v.port_filter.find(port);
    return it == v.port_filter.end() ? Filter(std::nullopt) : it->second;
}

template <class Map>
std::set<typename Map::key_type> keys_of(const Map& a, const Map& b, const Map& c) {
    std::set<typename Map::key_type> out;
    for (const auto* m : {&a, &b, &c})
        for (const auto& [k, _] : *m) out.insert(k);
    return out;
}

class StateCheck {
public:
    StateCheck(const SegmentationView& old_view, const SegmentationView& new_view, std::size_t state,
               std::vector<ProofIssue>& out)
        : old_(old_view), new_(new_view), state_(state), out_(out) {}

    void run(const SegmentationView& s) {
        vlans(s);
        for (int vlan : keys_of(old_.routed, new_.routed, s.routed))
            filter(fmt::format("routed filter of VLAN {}", vlan), routed_filter(s, vlan),
                   routed_filter(old_, vlan), routed_filter(new_, vlan));
        for (const auto& port : keys_of(old_.port_filter, new_.port_filter, s.port_filter))
            filter(fmt::format("port filter of {}", port), port_filter(s, port), port_filter(old_, port),
                   port_filter(new_, port));
        ports(s);
        trunks(s);
    }

private:
    void add(ProofIssueKind k, std::string subject, std::string message, std::optional<Packet> p = std::nullopt) {
        out_.push_back({k, state_, std::move(subject), std::move(message), std::move(p)});
    }

    // No packet the state permits that neither old nor new permits; none both permit that it drops.
    void filter(const std::string& subject, const Filter& s, const Filter& o, const Filter& n) {
        if (same_filter(s, o) || same_filter(s, n)) return;
        bool complete = true;
        if (auto p = packet_decided_as({entries_of(s), entries_of(o), entries_of(n)}, {true, false, false}, complete))
            add(ProofIssueKind::exposure, subject, "permits what neither the old nor the new config permits", p);
        if (!complete) add(ProofIssueKind::not_proven, subject, "too large to search for a packet opened in between");
        if (auto p = packet_decided_as({entries_of(s), entries_of(o), entries_of(n)}, {false, true, true}, complete))
            add(ProofIssueKind::outage, subject, "drops what both the old and the new config permit", p);
        if (!complete) add(ProofIssueKind::not_proven, subject, "too large to search for a packet cut in between");
    }

    void vlans(const SegmentationView& s) {
        for (int v : old_.vlans)
            if (new_.vlans.count(v) && !s.vlans.count(v))
                add(ProofIssueKind::outage, fmt::format("VLAN {}", v), "is gone in between: every port in it stops");
    }

    void ports(const SegmentationView& s) {
        for (const auto& port : keys_of(old_.port_vlan, new_.port_vlan, s.port_vlan)) {
            auto vlan_in = [&](const SegmentationView& v) {
                auto it = v.port_vlan.find(port);
                return it == v.port_vlan.end() ? std::optional<int>() : std::optional<int>(it->second);
            };
            auto now = vlan_in(s), before = vlan_in(old_), after = vlan_in(new_);
            if (now != before && now != after)
                add(ProofIssueKind::exposure, port,
                    fmt::format("is in {} in between, neither old nor new", now ? fmt::format("VLAN {}", *now) : "no VLAN"));
            else if (now && !s.vlans.count(*now))
                add(ProofIssueKind::outage, port, fmt::format("is in VLAN {}, which does not exist yet", *now));
        }
    }

    void trunks(const SegmentationView& s) {
        for (const auto& trunk : keys_of(old_.trunk_vlans, new_.trunk_vlans, s.trunk_vlans)) {
            auto vlans_in = [&](const SegmentationView& v) {
                auto it = v.trunk_vlans.find(trunk);
                return it == v.trunk_vlans.end() ? std::set<int>{} : it->second;
            };
            auto now = vlans_in(s), before = vlans_in(old_), after = vlans_in(new_);
            for (int v : now)
                if (!before.count(v) && !after.count(v))
                    add(ProofIssueKind::exposure, trunk, fmt::format("carries VLAN {} in between, neither old nor new", v));
            for (int v : before)
                if (after.count(v) && !now.count(v))
                    add(ProofIssueKind::outage, trunk, fmt::format("drops VLAN {} in between, which old and new carry", v));
        }
    }

    const SegmentationView& old_;
    const SegmentationView& new_;
    std::size_t state_;
    std::vector<ProofIssue>& out_;
};

// What the operators send a switch (ssh, https, snmp to every switch address), from the
// first hosts of the management class, through the routed filter that serves the source.
std::vector<Packet> management_packets(const Policy& policy) {
    std::vector<Packet> out;
    const DeviceClass* mgmt = policy.management_class();
    if (!mgmt) return out;
    auto targets = switch_addresses(policy);
    if (targets.size() > 64) targets.resize(64);  // the rule is the same for every address
    for (const auto& subnet : mgmt->addresses.cidrs()) {
        IpAddress host = subnet.first();
        if (subnet.prefix_len < subnet.network.bits()) host.value += 1;
        for (const auto& to : targets) {
            if (to.family != host.family) continue;
            for (const auto& port : operator_to_switch_ports())
                out.push_back({port.protocol, host, to, 49152, port.ports.first, false});
        }
    }
    return out;
}

// The routed filter a packet from `source` meets: the SVI whose subnet holds it, or a
// router's forward list (VLAN 0). None: it does not enter through this switch.
std::optional<int> ingress_vlan(const SegmentationView& v, const IpAddress& source) {
    for (const auto& [vlan, routed] : v.routed)
        for (const auto& a : routed.addresses)
            if (a.subnet.contains(source)) return vlan;
    if (v.routed.count(0)) return 0;
    return std::nullopt;
}

bool filter_permits(const Filter& f, const Packet& p) { return !f || acl_permits(*f, p); }

void check_management(const SegmentationView& old_view, const SegmentationView& s, const Switch& sw,
                      const std::vector<Packet>& packets, std::size_t state, std::vector<ProofIssue>& out) {
    for (const auto& p : packets) {
        auto vlan = ingress_vlan(old_view, p.source);
        if (!vlan || !filter_permits(routed_filter(old_view, *vlan), p)) continue;
        if (filter_permits(routed_filter(s, *vlan), p)) continue;
        out.push_back({ProofIssueKind::management, state, fmt::format("VLAN {}", *vlan),
                       "cuts the management class from a switch", p});
        return;  // one example says it
    }
    if (sw.management_vlan)
        for (const auto& [trunk, vlans] : old_view.trunk_vlans) {
            auto now = s.trunk_vlans.find(trunk);
            if (vlans.count(*sw.management_vlan) && (now == s.trunk_vlans.end() || !now->second.count(*sw.management_vlan)))
                out.push_back({ProofIssueKind::management, state, trunk,
                               fmt::format("drops the management VLAN {}", *sw.management_vlan), std::nullopt});
        }
}

}  // namespace

SegmentationView segmentation_view(const ParsedConfig& c) {
    SegmentationView v;
    const PlatformId platform = c.as_built.platform;
    for (const auto& vlan : c.as_built.vlans) v.vlans.insert(vlan.id);
    for (const auto& p : c.as_built.access_ports) v.port_vlan[canonical_interface(platform, p.interface)] = p.vlan;
    for (const auto& [port, acl_name] : c.port_acl_of) {
        auto acl = std::find_if(c.port_acls.begin(), c.port_acls.end(), [&](const Acl& a) { return a.name == acl_name; });
        v.port_filter[canonical_interface(platform, port)] = acl == c.port_acls.end() ? Filter() : Filter(acl->entries);
    }
    for (const auto& t : c.as_built.trunks)
        v.trunk_vlans[canonical_interface(platform, t.interface)] = {t.vlans.begin(), t.vlans.end()};
    for (const auto& svi : c.as_built.svis) {
        auto parsed = c.svis.find(svi.vlan);
        bool bound = !svi.acl.name.empty() && (parsed == c.svis.end() || parsed->second.acl_exists);
        if (c.router && !c.router->has_forward) bound = false;
        v.routed[svi.vlan] = {svi.addresses, bound ? Filter(svi.acl.entries) : Filter()};
    }
    if (c.router && c.router->has_bridge) v.port_filter["bridge"] = c.router->bridge.entries;
    return v;
}

bool same_segmentation(const SegmentationView& a, const SegmentationView& b) {
    auto same_filters = [](const std::map<std::string, Filter>& x, const std::map<std::string, Filter>& y) {
        return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](const auto& p, const auto& q) {
                   return p.first == q.first && same_filter(p.second, q.second);
               });
    };
    auto same_routed = [](const std::map<int, SegmentationView::Routed>& x, const std::map<int, SegmentationView::Routed>& y) {
        return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](const auto& p, const auto& q) {
                   return p.first == q.first && p.second.addresses == q.second.addresses &&
                          same_filter(p.second.filter, q.second.filter);
               });
    };
    return a.vlans == b.vlans && a.port_vlan == b.port_vlan && a.trunk_vlans == b.trunk_vlans &&
           same_filters(a.port_filter, b.port_filter) && same_routed(a.routed, b.routed);
}

std::string_view to_string(ProofIssueKind k) {
    switch (k) {
        case ProofIssueKind::exposure: return "exposure";
        case ProofIssueKind::outage: return "outage";
        case ProofIssueKind::management: return "management";
        case ProofIssueKind::at_risk: return "at risk";
        case ProofIssueKind::not_proven: return "not proven";
    }
    return "not proven";
}

bool Proof::holds() const {
    return std::none_of(issues.begin(), issues.end(), [](const ProofIssue& i) {
        return i.kind == ProofIssueKind::exposure || i.kind == ProofIssueKind::outage ||
               i.kind == ProofIssueKind::management;
    });
}

namespace {

// "workstation -> ehr-server (https)", the flows of the class that owns `subnet`, at most 12.
std::string flows_of_subnet(const Policy& policy, const Cidr& subnet) {
    const DeviceClass* owner = policy.class_of(subnet.first());
    if (!owner) return "no class of the policy owns it";
    const std::size_t index = policy.index_of(*owner);
    std::vector<std::size_t> flows = policy.flows_from(index);
    flows.insert(flows.end(), policy.flows_to(index).begin(), policy.flows_to(index).end());
    std::string out;
    std::size_t shown = 0;
    for (std::size_t f : flows) {
        if (++shown > 12) break;
        const auto& flow = policy.flows()[f];
        out += fmt::format("{}{} -> {} ({})", out.empty() ? "" : "; ", flow.from, flow.to, fmt::join(flow.services, ", "));
    }
    if (flows.size() > 12) out += fmt::format("; and {} more", flows.size() - 12);
    return out.empty() ? fmt::format("{} has no flows", owner->name) : out;
}

// The ports that move from VLAN `from` to VLAN `to`, in natural order.
std::vector<std::string> ports_moving_between(const SegmentationView& old_view, const SegmentationView& new_view,
                                              int from, int to) {
    std::vector<std::string> out;
    for (const auto& [port, vlan] : old_view.port_vlan) {
        auto after = new_view.port_vlan.find(port);
        if (vlan == from && after != new_view.port_vlan.end() && after->second == to) out.push_back(port);
    }
    return out;
}

// Whether the hosts of `subnet` have a gateway in state `s`: an SVI holds the subnet and, when
// its hosts sit on ports of this switch (`ports`), those ports are in that SVI's VLAN.
bool subnet_served(const SegmentationView& s, const Cidr& subnet, const std::vector<std::string>& ports) {
    for (const auto& [vlan, routed] : s.routed) {
        bool holds = std::any_of(routed.addresses.begin(), routed.addresses.end(),
                                 [&](const SviAddress& a) { return a.subnet == subnet; });
        if (!holds) continue;
        return std::all_of(ports.begin(), ports.end(), [&, v = vlan](const std::string& p) {
            auto it = s.port_vlan.find(p);
            return it != s.port_vlan.end() && it->second == v;
        });
    }
    return false;
}

std::string runs_text(const std::vector<std::string>& ports) {
    std::vector<std::string> runs;
    for (const auto& run : fold_interface_runs(ports))
        runs.push_back(run.is_single() ? run.name(run.first) : fmt::format("{}{}-{}", run.prefix, run.first, run.last));
    return fmt::format("{}", fmt::join(runs, ", "));
}

// A subnet whose gateway moves to another VLAN: its hosts move too (their ports here, or on
// the access switches), so no order keeps both; say in which states it has no gateway its
// hosts can use, and its flows.
void subnet_moving(const ProofInput& in, const Cidr& subnet, int from, int to, const SegmentationView& old_view,
                   const SegmentationView& new_view, const std::vector<SegmentationView>& states,
                   std::vector<ProofIssue>& out) {
    const auto ports = ports_moving_between(old_view, new_view, from, to);
    std::vector<std::size_t> gap;
    for (std::size_t k = 0; k < states.size(); ++k)
        if (!subnet_served(states[k], subnet, ports)) gap.push_back(k + 1);
    out.push_back({ProofIssueKind::at_risk, gap.empty() ? 0 : gap.front(), subnet.str(),
                   fmt::format("moves from VLAN {} to VLAN {}{}{}: these flows stop for its hosts meanwhile: {}", from, to,
                               ports.empty() ? "" : fmt::format(" with its ports {}", runs_text(ports)),
                               gap.empty() ? "" : fmt::format(" (no usable gateway after step {})", fmt::join(gap, ", ")),
                               flows_of_subnet(in.policy, subnet)),
                   std::nullopt});
}

void subnets_moving(const ProofInput& in, const SegmentationView& old_view, const SegmentationView& new_view,
                    const std::vector<SegmentationView>& states, std::vector<ProofIssue>& out) {
    for (const auto& [old_vlan, routed] : old_view.routed)
        for (const auto& a : routed.addresses)
            for (const auto& [new_vlan, new_routed] : new_view.routed) {
                bool moved = new_vlan != old_vlan && std::any_of(new_routed.addresses.begin(), new_routed.addresses.end(),
                                                                 [&](const SviAddress& b) { return b.subnet == a.subnet; });
                if (moved) subnet_moving(in, a.subnet, old_vlan, new_vlan, old_view, new_view, states, out);
            }
}

// Ports that change VLAN (other than with their subnet, said above): the devices on them change
// segment. One line per pair of VLANs.
void ports_moving(const SegmentationView& old_view, const SegmentationView& new_view, std::vector<ProofIssue>& out) {
    std::map<std::pair<int, int>, std::vector<std::string>> moves;
    for (const auto& [port, vlan] : old_view.port_vlan) {
        auto after = new_view.port_vlan.find(port);
        if (after != new_view.port_vlan.end() && after->second != vlan) moves[{vlan, after->second}].push_back(port);
    }
    auto gateway_moves = [&](int from, int to) {
        auto a = old_view.routed.find(from), b = new_view.routed.find(to);
        if (a == old_view.routed.end() || b == new_view.routed.end()) return false;
        return std::any_of(a->second.addresses.begin(), a->second.addresses.end(), [&](const SviAddress& x) {
            return std::any_of(b->second.addresses.begin(), b->second.addresses.end(),
                               [&](const SviAddress& y) { return x.subnet == y.subnet; });
        });
    };
    for (const auto& [vlans, ports] : moves) {
        if (gateway_moves(vlans.first, vlans.second)) continue;
        out.push_back({ProofIssueKind::at_risk, 0, runs_text(ports),
                       fmt::format("move{} from VLAN {} to VLAN {}: the devices on them change segment (and subnet: "
                                   "they need addresses in VLAN {})", ports.size() == 1 ? "s" : "", vlans.first,
                                   vlans.second, vlans.second), std::nullopt});
    }
}

// What the parser could not read is outside the proof: say so, line by line (the first 20).
void unread_config(const ParsedConfig& old_config, std::vector<ProofIssue>& out) {
    std::size_t listed = 0;
    auto add = [&](int line, std::string message) {
        if (++listed <= 20) out.push_back({ProofIssueKind::not_proven, 0, fmt::format("line {}", line), std::move(message), std::nullopt});
    };
    for (const auto& w : old_config.warnings) add(w.line, fmt::format("{}: {}", w.reason, w.text));
    for (const auto& u : old_config.uncertain) add(u.line, fmt::format("{}: {}", u.interface, u.reason));
    for (const auto& [name, acl] : old_config.acls)
        if (!acl.fully_understood) add(acl.line, fmt::format("ACL {} has entries microseg could not read", name));
    if (listed > 20)
        out.push_back({ProofIssueKind::not_proven, 0, "config", fmt::format("and {} more lines not read", listed - 20), std::nullopt});
}

}  // namespace

Proof prove_plan(const ProofInput& in) {
    Proof proof;
    const auto old_view = segmentation_view(in.old_config);
    const auto new_view = segmentation_view(in.new_config);
    const auto packets = management_packets(in.policy);
    std::vector<SegmentationView> views;
    for (const auto& state : in.states) views.push_back(segmentation_view(state));
    for (std::size_t k = 0; k < views.size(); ++k) {
        StateCheck(old_view, new_view, k + 1, proof.issues).run(views[k]);
        check_management(old_view, views[k], in.sw, packets, k + 1, proof.issues);
    }
    proof.states = views.size();
    subnets_moving(in, old_view, new_view, views, proof.issues);
    ports_moving(old_view, new_view, proof.issues);
    unread_config(in.as_read, proof.issues);
    return proof;
}

}  // namespace microseg
