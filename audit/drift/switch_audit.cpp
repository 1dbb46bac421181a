#include "audit/drift/switch_audit.hpp"

#include <algorithm>

#include "audit/drift/drift_router.hpp"
#include "audit/parse/redact.hpp"
#include "audit/parse/registry.hpp"
#include "model/config_file.hpp"
#include "model/switch_hash.hpp"

namespace microseg {

std::string_view to_string(SwitchStatus s) {
    switch (s) {
        case SwitchStatus::clean: return "clean";
        case SwitchStatus::drifted: return "drifted";
        case SwitchStatus::unknown: return "unknown";
        case SwitchStatus::not_audited: return "not audited";
    }
    return "not audited";
}

SwitchAuditResult not_audited(const Switch& sw, std::string source, std::string reason) {
    SwitchAuditResult r;
    r.switch_name = sw.name;
    r.platform = sw.platform;
    r.source = std::move(source);
    r.status = SwitchStatus::not_audited;
    r.not_audited_reason = std::move(reason);
    return r;
}

namespace {

SwitchStatus status_of(const std::vector<DriftFinding>& findings) {
    if (findings.empty()) return SwitchStatus::clean;
    bool all_unknown = std::all_of(findings.begin(), findings.end(),
                                   [](const DriftFinding& f) { return f.impact == DriftImpact::unknown; });
    return all_unknown ? SwitchStatus::unknown : SwitchStatus::drifted;
}

std::vector<ServicePort> example_ports(const std::vector<DriftFinding>& findings) {
    std::vector<ServicePort> out;
    for (const auto& f : findings) {
        if (!f.example || f.kind != DriftKind::acl_exposure) continue;
        const auto& p = *f.example;
        if (p.protocol == Protocol::tcp || p.protocol == Protocol::udp)
            out.push_back({p.protocol, {p.destination_port, p.destination_port}});
        else if (p.protocol == Protocol::icmp)
            out.push_back({Protocol::icmp, {}});
    }
    return out;
}

}  // namespace

SwitchAuditResult audit_switch_config(const Policy& policy, const Switch& sw, std::string_view config,
                                      const HashKey& key, std::string source) {
    PolicyProbes probes(policy);
    return audit_switch_config(probes, sw, config, key, std::move(source));
}

SwitchAuditResult audit_switch_config(const PolicyProbes& probes, const Switch& sw, std::string_view config,
                                      const HashKey& key, std::string source) {
    const Policy& policy = probes.policy();
    auto parser = parser_for(sw.platform);
    auto intent = switch_intent(policy, sw);
    if (!intent) return not_audited(sw, std::move(source), intent.error().message);
    auto redacted = redact_config(sw.platform, config, key);
    auto live = parser(redacted.text);
    SwitchAuditResult r;
    r.switch_name = sw.name;
    r.platform = sw.platform;
    r.source = std::move(source);
    r.live_header = live.microseg_header;
    // A router (nftables) has no VLANs, ports or trunks: its filter is compared per class. The
    // intended forward entries of every class are read by its content hash and by both halves
    // of a router's audit, computed once (for a policy's router, router_entries is what
    // intended_forward_entries_by_class gives).
    const RouterEntries forward = router_entries(policy, sw);  // empty unless sw is a router
    r.carries_current_intent =
        live.header && header_matches(*live.header, sw, switch_content_hash(policy, sw, *intent, forward));
    RouterEntries of_other_platform;
    if (live.router && sw.platform != PlatformId::nftables)
        of_other_platform = intended_forward_entries_by_class(policy, *intent);
    const RouterEntries& router_want = sw.platform == PlatformId::nftables ? forward : of_other_platform;
    r.findings = live.router ? diff_router(probes, *intent, live, router_want) : diff_switch(*intent, live);
    r.warnings = std::move(live.warnings);
    r.live_only = live_only_flows(probes, *intent, live, example_ports(r.findings), live.router ? &router_want : nullptr);
    r.status = status_of(r.findings);
    return r;
}

int AuditReport::exit_code() const {
    bool incomplete = std::any_of(switches.begin(), switches.end(), [](const SwitchAuditResult& s) {
        return s.status == SwitchStatus::not_audited || s.status == SwitchStatus::unknown;
    });
    if (incomplete) return 2;
    bool drift = !new_paths.empty() || std::any_of(switches.begin(), switches.end(), [](const SwitchAuditResult& s) {
        return s.status == SwitchStatus::drifted;
    });
    return drift ? 1 : 0;
}

AuditReport build_audit_report(const Policy& policy, std::vector<SwitchAuditResult> switches) {
    AuditReport report;
    report.policy_name = policy.name();
    report.policy_version = policy.version_hash();
    std::vector<LiveOnlyFlow> all;
    for (const auto& s : switches) all.insert(all.end(), s.live_only.begin(), s.live_only.end());
    report.switches = std::move(switches);
    if (!all.empty()) {
        auto as_built = as_built_policy(policy, all);
        report.new_paths = new_lateral_paths(policy, as_built);
    }
    return report;
}

}  // namespace microseg
