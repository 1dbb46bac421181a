// Juniper Junos (EX access switches). The switch's junos_style picks the dialect: ELS (EX2300/
// 3400/4300 and later, QFX: `interface-mode`, irb.N) or non-ELS (older EX: `port-mode`,
// `interfaces vlan unit N`, `l3-interface vlan.N`).
//
// Set-style, not hierarchical: the audit fetches `show configuration | display set` (the
// platform table's config_command), so what we emit and what we read back share one grammar,
// one line per statement, and a diff of the two is a diff of lines. `load set` applies it.
#include <algorithm>
#include <map>

#include "emitters/config_writer.hpp"
#include "emitters/emitter.hpp"
#include "emitters/junos_names.hpp"
#include "model/config_file.hpp"
#include "model/interface_range.hpp"
#include "model/naming.hpp"
#include "model/switch_hash.hpp"

namespace microseg {
namespace {

using Out = ConfigWriter;

const JunosDialect& dialect_of(const Switch& sw) { return junos_dialect_of(sw); }

NameRules prefixed(std::string_view prefix) {
    NameRules r = junos_name_rules();
    r.prefix = prefix;
    return r;
}

std::string vlan_name(const VlanIntent& v) { return platform_vlan_name(PlatformId::junos, v.id, v.name); }

std::string filter_name(const Acl& acl) { return junos_filter_name(acl); }

void emit_vlans(Out& out, const SwitchIntent& intent, const JunosDialect& d) {
    for (const auto& v : intent.vlans) {
        auto name = vlan_name(v);
        out.line(fmt::format("set vlans {} vlan-id {}", name, v.id));
        if (v.isolated && d.no_local_switching) out.line(fmt::format("set vlans {} no-local-switching", name));
        bool routed = std::any_of(intent.svis.begin(), intent.svis.end(),
                                  [&](const SviIntent& s) { return s.vlan == v.id; });
        if (routed) out.line(fmt::format("set vlans {} l3-interface {}.{}", name, d.l3_device, v.id));
    }
}

std::string isolation_filter_name(const std::string& cls) { return junos_isolation_filter_name(cls); }

// One interface-range per class: member-range lines for runs, member lines for singles.
// An isolated class's range applies its isolation filter to every member port.
void emit_access_ports(Out& out, const SwitchIntent& intent, const JunosDialect& d) {
    std::map<std::string, std::vector<std::string>> by_class;
    std::map<std::string, int> vlan_of;
    std::map<std::string, bool> isolated;
    for (const auto& p : intent.access_ports) {
        by_class[p.device_class].push_back(p.interface);
        vlan_of[p.device_class] = p.vlan;
        isolated[p.device_class] = p.isolated;
    }
    for (const auto& [cls, names] : by_class) {
        auto range = safe_identifier(cls, prefixed("ms-"));
        auto base = fmt::format("set interfaces interface-range {}", range);
        for (const auto& run : fold_interface_runs(names)) {
            if (run.numbered && !run.is_single())
                out.line(fmt::format("{} member-range {} to {}", base, run.name(run.first), run.name(run.last)));
            else
                out.line(fmt::format("{} member {}", base, run.name(run.first)));
        }
        out.line(fmt::format("{} description \"microseg {}\"", base, safe_comment(cls, 60)));
        auto vlan = std::find_if(intent.vlans.begin(), intent.vlans.end(),
                                 [&](const VlanIntent& v) { return v.id == vlan_of[cls]; });
        out.line(fmt::format("{} unit 0 family ethernet-switching {} access", base, d.port_mode));
        out.line(fmt::format("{} unit 0 family ethernet-switching vlan members {}", base, vlan_name(*vlan)));
        if (isolated[cls])
            out.line(fmt::format("{} unit 0 family ethernet-switching filter input {}", base, isolation_filter_name(cls)));
    }
}

void emit_trunks(Out& out, const SwitchIntent& intent, const JunosDialect& d) {
    for (const auto& t : intent.trunks) {
        auto base = fmt::format("set interfaces {} unit 0 family ethernet-switching", t.interface);
        out.line(fmt::format("{} {} trunk", base, d.port_mode));
        for (int id : t.vlans) {
            auto v = std::find_if(intent.vlans.begin(), intent.vlans.end(),
                                  [&](const VlanIntent& x) { return x.id == id; });
            out.line(fmt::format("{} vlan members {}", base, vlan_name(*v)));
        }
    }
}

std::string port_text(const PortRange& r) {
    return r.is_single() ? fmt::format("{}", r.first) : fmt::format("{}-{}", r.first, r.last);
}

// The `from` conditions of one term; an empty list matches every packet.
std::vector<std::string> term_conditions(const AclEntry& e) {
    std::vector<std::string> from;
    if (!e.source.is_any()) from.push_back(fmt::format("source-address {}", e.source));
    if (!e.destination.is_any()) from.push_back(fmt::format("destination-address {}", e.destination));
    if (e.protocol != Protocol::ip) from.push_back(fmt::format("protocol {}", e.protocol));
    bool ports = e.protocol == Protocol::tcp || e.protocol == Protocol::udp;
    if (ports && !e.source_ports.is_all()) from.push_back("source-port " + port_text(e.source_ports));
    if (ports && !e.destination_ports.is_all()) from.push_back("destination-port " + port_text(e.destination_ports));
    if (e.established && e.protocol == Protocol::tcp) from.push_back("tcp-established");
    if (e.established && e.protocol == Protocol::icmp) from.push_back("icmp-type echo-reply");
    return from;
}

std::size_t emit_filter(Out& out, const Acl& acl) {
    auto base = fmt::format("set firewall family inet filter {}", filter_name(acl));
    int seq = 10;
    for (const auto& e : acl.entries) {
        bool last = e.action == AclAction::deny && e.source.is_any() && e.destination.is_any();
        auto term = fmt::format("{} term {}", base, last ? std::string("deny-rest") : fmt::format("t{:04}", seq));
        seq += 10;
        for (const auto& c : term_conditions(e)) out.line(fmt::format("{} from {}", term, c));
        if (e.log) out.line(fmt::format("{} then syslog", term));
        out.line(fmt::format("{} then {}", term, e.action == AclAction::permit ? "accept" : "discard"));
    }
    return acl.entries.size();
}

// The isolation filter (model/isolation_acl.hpp) as a port filter. Its denies are not logged:
// the log and syslog modifiers of port filters differ between EX models, and the drop is what
// isolates.
std::size_t emit_isolation_filter(Out& out, const Acl& acl, const std::string& cls, const JunosDialect& d) {
    auto base = fmt::format("set firewall family ethernet-switching filter {}", isolation_filter_name(cls));
    int seq = 10;
    for (const auto& e : acl.entries) {
        bool rest = e.source.is_any() && e.destination.is_any();
        auto term = fmt::format("{} term {}", base, rest ? std::string("accept-rest") : fmt::format("t{:04}", seq));
        seq += 10;
        if (!e.source.is_any()) out.line(fmt::format("{} from {} {}", term, d.source_address, e.source));
        if (!e.destination.is_any()) out.line(fmt::format("{} from {} {}", term, d.destination_address, e.destination));
        if (e.protocol != Protocol::ip) out.line(fmt::format("{} from {} {}", term, d.protocol, e.protocol));
        out.line(fmt::format("{} then {}", term, e.action == AclAction::permit ? "accept" : "discard"));
    }
    return acl.entries.size();
}

void emit_irbs(Out& out, const SwitchIntent& intent, const JunosDialect& d) {
    for (const auto& svi : intent.svis) {
        auto base = fmt::format("set interfaces {} unit {} family inet", d.l3_device, svi.vlan);
        for (const auto& a : svi.addresses)
            out.line(fmt::format("{} address {}/{}", base, a.address, a.subnet.prefix_len));
        out.line(fmt::format("{} filter input {}", base, filter_name(svi.acl)));
    }
}

class JunosEmitter final : public Emitter {
public:
    Result<EmittedConfig> emit(const Policy& policy, const Switch& sw) const override {
        // family inet filters and addresses are IPv4; reject IPv6 before rendering.
        auto intent = checked_intent(policy, sw, /*ipv4_only=*/true);
        if (!intent) return intent.error();
        std::vector<std::string> filters;
        for (const auto& svi : intent->svis) filters.push_back(svi.acl.name.substr(3));
        if (auto names = safe_identifiers(filters, prefixed("ms-in-")); !names) return names.error();
        const auto& d = dialect_of(sw);
        Out out;
        out.line(header_line(policy, sw, switch_content_hash(policy, sw, *intent)));
        emit_vlans(out, *intent, d);
        emit_access_ports(out, *intent, d);
        emit_trunks(out, *intent, d);
        EmittedConfig config;
        for (const auto& acl : intent->isolation_acls)
            config.ace_count += emit_isolation_filter(out, acl, acl.name.substr(4), d);  // drop "iso-"
        for (const auto& svi : intent->svis) config.ace_count += emit_filter(out, svi.acl);
        emit_irbs(out, *intent, d);
        config.text = std::move(out.text);
        return within_budget(sw, std::move(config));
    }
};

}  // namespace

const Emitter& junos_emitter() {
    static const JunosEmitter e;
    return e;
}

}  // namespace microseg
