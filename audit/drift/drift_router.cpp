#include "audit/drift/drift_router.hpp"

#include "audit/drift/source_index.hpp"
#include "model/infrastructure_acl.hpp"

#include <algorithm>
#include <set>

namespace microseg {
namespace {

std::set<std::string> gateway_classes(const SwitchIntent& intent) {
    std::set<std::string> out;
    for (const auto& s : intent.svis) out.insert(s.classes.begin(), s.classes.end());
    return out;
}

// Tested before the entry is copied: a router's flattened list is restricted once per class
// of the policy, and most of its entries concern other classes.
std::optional<AclEntry> within_source(const AclEntry& e, const Cidr& prefix) {
    if (e.source.network.family != prefix.network.family) return std::nullopt;
    const bool wider = e.source.contains(prefix);
    if (!wider && !prefix.contains(e.source)) return std::nullopt;
    AclEntry out = e;
    if (wider) out.source = prefix;
    return out;
}

inline constexpr std::size_t kCarvedOut = kImplicitDeny - 1;

// `entries` restricted to the packets from `space`; origin[i] is the index in `entries` of
// restricted entry i (kCarvedOut for the leading denies of other classes' prefixes).
struct Restricted {
    std::vector<AclEntry> entries;
    std::vector<std::size_t> origin;
};

// With `index` (over `entries`), only the entries whose source overlaps a prefix are visited:
// the others give nothing in within_source.
Restricted restrict_to(const std::vector<AclEntry>& entries, const SourceSpace& space, const SourceIndex* index = nullptr) {
    Restricted r;
    for (const auto& c : space.carved_out) {
        AclEntry deny;
        deny.action = AclAction::deny;
        deny.source = c;
        deny.destination = Cidr{IpAddress{c.network.family, 0}, 0};
        r.entries.push_back(deny);
        r.origin.push_back(kCarvedOut);
    }
    auto keep = [&](std::size_t i) {
        for (const auto& p : space.prefixes)
            if (auto e = within_source(entries[i], p)) {
                r.entries.push_back(*e);
                r.origin.push_back(i);
            }
    };
    if (!index) {
        for (std::size_t i = 0; i < entries.size(); ++i) keep(i);
        return r;
    }
    std::vector<std::size_t> candidates;
    for (const auto& p : space.prefixes) {
        auto more = index->overlapping(p);
        candidates.insert(candidates.end(), more.begin(), more.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (std::size_t i : candidates) keep(i);
    return r;
}

Packet example_of(const AclEntry& e) {
    auto host = [](const Cidr& c) { return c.is_host() ? c.network : IpAddress{c.network.family, c.network.value + 1}; };
    Packet p;
    p.protocol = e.protocol;
    p.source = host(e.source);
    p.destination = host(e.destination);
    p.source_port = e.source_ports.first;
    p.destination_port = e.destination_ports.first;
    p.established = e.established;
    return p;
}

class RouterDiff {
public:
    RouterDiff(const PolicyProbes& probes, const SwitchIntent& intent, const ParsedConfig& live,
               const std::vector<std::vector<AclEntry>>& want_by_class)
        : policy_(probes.policy()), probes_(probes), intent_(intent), live_(live), want_by_class_(want_by_class) {}

    std::vector<DriftFinding> run() {
        forward_filter();
        conntrack();
        isolation();
        return std::move(out_);
    }

private:
    void add(DriftKind k, DriftImpact i, std::string subject, std::string message, int line = 0,
             std::optional<Packet> example = std::nullopt) {
        out_.push_back({k, i, std::move(subject), std::move(message), line, std::move(example)});
    }
    const std::vector<AclEntry>& live_forward() const { return live_.as_built.svis.front().acl.entries; }
    int live_line(const ParsedAcl& info, std::size_t index) const {
        return index < info.entry_lines.size() ? info.entry_lines[index] : info.line;
    }
    void forward_filter();
    void conntrack();
    void isolation();

    const Policy& policy_;
    const PolicyProbes& probes_;
    const SwitchIntent& intent_;
    const ParsedConfig& live_;
    const std::vector<std::vector<AclEntry>>& want_by_class_;
    std::vector<DriftFinding> out_;
};

void RouterDiff::forward_filter() {
    static const ParsedAcl kNone;
    const auto& router = *live_.router;
    auto info_it = live_.acls.find("forward");
    const ParsedAcl& info = info_it == live_.acls.end() ? kNone : info_it->second;
    if (!router.has_forward)
        add(DriftKind::acl_not_applied, DriftImpact::exposure, "nft forward",
            "no forward base chain: everything is routed unfiltered");
    bool unknown = !info.fully_understood;
    bool any_difference = false;
    const SourceIndex index(live_forward());
    const auto& spaces = probes_.source_spaces();
    for (std::size_t c = 0; c < policy_.classes().size(); ++c) {
        const DeviceClass& cls = policy_.classes()[c];
        const SourceSpace& space = spaces[c];
        auto want = restrict_to(want_by_class_[c], space);
        auto have = restrict_to(live_forward(), space, &index);
        auto comparison = compare_acls(want.entries, have.entries);
        unknown = unknown || !comparison.complete;
        for (const auto& d : comparison.differences) {
            any_difference = true;
            bool exposure = d.kind == AclDifferenceKind::exposure;
            std::size_t origin = d.live_entry == kImplicitDeny ? kImplicitDeny : have.origin.at(d.live_entry);
            int line = origin >= kCarvedOut ? info.line : live_line(info, origin);
            add(exposure ? DriftKind::acl_exposure : DriftKind::acl_outage,
                !info.fully_understood || !comparison.complete ? DriftImpact::unknown
                                                               : (exposure ? DriftImpact::exposure : DriftImpact::outage),
                fmt::format("nft forward from {}", cls.name),
                fmt::format("the forward filter {} from {}: {}",
                            exposure ? "permits what the intent denies" : "denies what the intent permits",
                            cls.name, d.example),
                line, d.example);
        }
    }
    if (unknown && !any_difference)
        add(DriftKind::acl_exposure, DriftImpact::unknown, "nft forward",
            "the forward filter has rules microseg could not read; its effect is unknown", info.line);
}

// Replies of permitted initiations pass by conntrack; without it every flow the router's
// classes take part in is cut after its first packet.
void RouterDiff::conntrack() {
    const auto& router = *live_.router;
    if (!router.has_forward || router.conntrack_line != 0) return;
    for (const auto& svi : intent_.svis)
        for (const auto& e : svi.acl.entries)
            if (e.action == AclAction::permit && e.is_reply())
                return add(DriftKind::acl_outage, DriftImpact::outage, "nft forward conntrack",
                           fmt::format("no `ct state established,related accept` in the forward chain: replies "
                                       "are dropped, e.g. {}", example_of(e)),
                           live_.acls.count("forward") ? live_.acls.at("forward").line : 0, example_of(e));
}

void RouterDiff::isolation() {
    const auto& router = *live_.router;
    std::set<std::string> names = gateway_classes(intent_);
    for (const auto& p : intent_.access_ports) names.insert(p.device_class);
    std::vector<AclEntry> want;
    for (const auto& n : names) {
        const auto* c = policy_.find_class(n);
        if (!c || !c->isolate) continue;
        for (const auto& src : c->addresses.cidrs())
            for (const auto& dst : c->addresses.cidrs())
                if (src.network.family == dst.network.family) {
                    AclEntry deny;
                    deny.action = AclAction::deny;
                    deny.source = src;
                    deny.destination = dst;
                    want.push_back(deny);
                }
    }
    for (IpFamily fam : {IpFamily::v4, IpFamily::v6}) {
        AclEntry permit;
        permit.source = permit.destination = Cidr{IpAddress{fam, 0}, 0};
        want.push_back(permit);
    }
    auto comparison = compare_acls(want, router.bridge.entries);
    bool unknown = !router.bridge_info.fully_understood || !comparison.complete;
    for (const auto& d : comparison.differences) {
        bool exposure = d.kind == AclDifferenceKind::exposure;
        int line = d.live_entry == kImplicitDeny ? router.bridge_info.line : live_line(router.bridge_info, d.live_entry);
        add(exposure ? DriftKind::port_not_isolated : DriftKind::acl_outage,
            unknown ? DriftImpact::unknown : (exposure ? DriftImpact::exposure : DriftImpact::outage),
            "nft bridge forward",
            exposure ? fmt::format("bridged traffic inside an isolated class passes: {}", d.example)
                     : fmt::format("the bridge filter drops what the intent lets through: {}", d.example),
            line, d.example);
    }
}

}  // namespace

std::vector<AclEntry> intended_forward_entries(const Policy& policy, const SwitchIntent& intent, const DeviceClass& from) {
    if (const Switch* sw = policy.find_switch(intent.switch_name)) return router_forward_entries(policy, *sw, from);
    // A switch the policy does not name: its intent's SVIs say which classes it routes.
    auto gw = gateway_classes(intent);
    if (gw.count(from.name)) return stateful_gateway_entries(policy, from);
    return initiation_entries(policy, from, [&](const DeviceClass& to) { return gw.count(to.name) > 0; });
}

std::vector<std::vector<AclEntry>> intended_forward_entries_by_class(const Policy& policy, const SwitchIntent& intent) {
    std::vector<std::vector<AclEntry>> out;
    out.reserve(policy.classes().size());
    for (const auto& cls : policy.classes()) out.push_back(intended_forward_entries(policy, intent, cls));
    return out;
}

std::vector<DriftFinding> diff_router(const Policy& policy, const SwitchIntent& intent, const ParsedConfig& live) {
    if (!live.router || live.as_built.svis.empty()) return {};
    PolicyProbes probes(policy);
    return diff_router(probes, intent, live, intended_forward_entries_by_class(policy, intent));
}

std::vector<DriftFinding> diff_router(const PolicyProbes& probes, const SwitchIntent& intent, const ParsedConfig& live,
                                      const std::vector<std::vector<AclEntry>>& want_by_class) {
    if (!live.router || live.as_built.svis.empty()) return {};
    return RouterDiff(probes, intent, live, want_by_class).run();
}

}  // namespace microseg
