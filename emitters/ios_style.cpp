#include "emitters/ios_style.hpp"

#include <algorithm>
#include <map>

#include "emitters/config_writer.hpp"
#include "model/config_file.hpp"
#include "model/naming.hpp"
#include "model/switch_hash.hpp"

namespace microseg {
namespace {

// `!` separates blocks as both platforms print them.
struct Out : ConfigWriter {
    void block_end() { line("!"); }
};

std::string vlan_line_name(const VlanIntent& v, PlatformId platform) { return platform_vlan_name(platform, v.id, v.name); }

void emit_vlans(Out& out, const SwitchIntent& intent, const IosDialect& d) {
    for (const auto& v : intent.vlans) {
        out.line(fmt::format("vlan {}", v.id));
        if (!v.name.empty()) out.line(fmt::format("{}name {}", d.indent, vlan_line_name(v, intent.platform)));
        out.block_end();
    }
}

std::vector<std::string> run_headers(const InterfaceRun& run, const IosDialect& d) {
    if (!run.numbered || run.is_single()) return {fmt::format("interface {}", run.name(run.first))};
    if (!run.suffix.empty()) {  // subinterfaces: no range syntax, one block each
        std::vector<std::string> out;
        for (unsigned n = run.first; n <= run.last; ++n) out.push_back(fmt::format("interface {}", run.name(n)));
        return out;
    }
    return {d.range_header(run)};
}

void emit_access_ports(Out& out, const SwitchIntent& intent, const IosDialect& d) {
    // One block per run of consecutive ports of one class, classes in VLAN order.
    std::map<std::pair<int, std::string>, std::vector<const AccessPortIntent*>> by_class;
    for (const auto& p : intent.access_ports) by_class[{p.vlan, p.device_class}].push_back(&p);
    for (const auto& [key, ports] : by_class) {
        std::vector<std::string> names;
        for (const auto* p : ports) names.push_back(p->interface);
        for (const auto& run : fold_interface_runs(names)) {
            for (const auto& header : run_headers(run, d)) {
                out.line(header);
                out.line(fmt::format("{}description microseg {}", d.indent, safe_comment(key.second, 60)));
                out.line(fmt::format("{}switchport mode access", d.indent));
                out.line(fmt::format("{}switchport access vlan {}", d.indent, key.first));
                if (ports.front()->isolated)
                    for (const auto& l : d.isolated_port_lines(*ports.front())) out.line(fmt::format("{}{}", d.indent, l));
                out.block_end();
            }
        }
    }
}

void emit_trunks(Out& out, const SwitchIntent& intent, const IosDialect& d) {
    for (const auto& t : intent.trunks) {
        out.line(fmt::format("interface {}", t.interface));
        out.line(fmt::format("{}switchport mode trunk", d.indent));
        // An empty list would mean "all VLANs" to a switch that is told nothing: say none.
        out.line(fmt::format("{}switchport trunk allowed vlan {}", d.indent,
                             t.vlans.empty() ? "none" : vlan_list(t.vlans)));
        out.block_end();
    }
}

std::size_t emit_acl(Out& out, const Acl& acl, const IosDialect& d) {
    out.line(fmt::format("{} {}", d.acl_command, ios_acl_name(acl.name)));
    std::string last_remark;
    int seq = 10;
    auto numbered = [&](const std::string& body) {
        if (!d.sequence_numbers) return fmt::format("{}{}", d.indent, body);
        auto s = fmt::format("{}{} {}", d.indent, seq, body);
        seq += 10;
        return s;
    };
    for (const auto& e : acl.entries) {
        if (e.remark != last_remark) {
            out.line(numbered("remark " + safe_comment(e.remark)));
            last_remark = e.remark;
        }
        out.line(numbered(ios_entry(e, d)));
    }
    out.block_end();
    return acl.entries.size();
}

void emit_svis(Out& out, const SwitchIntent& intent, const IosDialect& d) {
    for (const auto& svi : intent.svis) {
        out.line(fmt::format("interface Vlan{}", svi.vlan));
        std::string classes;
        for (const auto& c : svi.classes) classes += (classes.empty() ? "" : "+") + c;
        out.line(fmt::format("{}description microseg gateway {}", d.indent, safe_comment(classes, 60)));
        bool primary = true;
        for (const auto& a : svi.addresses) {
            auto addr = d.prefix_notation ? fmt::format("{}/{}", a.address, a.subnet.prefix_len)
                                          : fmt::format("{} {}", a.address, a.subnet.mask());
            out.line(fmt::format("{}ip address {}{}", d.indent, addr, primary ? "" : " secondary"));
            primary = false;
        }
        out.line(fmt::format("{}ip access-group {} in", d.indent, ios_acl_name(svi.acl.name)));
        out.line(fmt::format("{}no shutdown", d.indent));
        out.block_end();
    }
}

}  // namespace

std::string ios_address(const Cidr& c, const IosDialect& d) {
    if (c.is_any()) return "any";
    if (c.is_host()) return fmt::format("host {}", c.network);
    if (d.prefix_notation) return c.str();
    return fmt::format("{} {}", c.network, c.wildcard());
}

std::string ios_ports(const PortRange& r) {
    if (r.is_all()) return "";
    if (r.is_single()) return fmt::format(" eq {}", r.first);
    return fmt::format(" range {} {}", r.first, r.last);
}

std::string ios_entry(const AclEntry& e, const IosDialect& d) {
    bool ports = e.protocol == Protocol::tcp || e.protocol == Protocol::udp;
    std::string s = fmt::format("{} {} {}{} {}{}", e.action == AclAction::permit ? "permit" : "deny",
                                e.protocol, ios_address(e.source, d), ports ? ios_ports(e.source_ports) : "",
                                ios_address(e.destination, d), ports ? ios_ports(e.destination_ports) : "");
    if (e.established && e.protocol == Protocol::tcp) s += " established";
    if (e.established && e.protocol == Protocol::icmp) s += " echo-reply";
    if (e.log) s += " log";
    return s;
}

std::string ios_acl_name(const std::string& neutral_name) {
    // "in-<classes>" -> MS_IN_<CLASSES>; "iso-<class>" (port isolation) -> MS_ISO_<CLASS>.
    std::string_view n = neutral_name;
    if (n.starts_with("iso-")) {
        NameRules rules = ios_acl_rules();
        rules.prefix = "MS_ISO_";
        return safe_identifier(n.substr(4), rules);
    }
    if (n.starts_with("in-")) n.remove_prefix(3);
    return safe_identifier(n, ios_acl_rules());
}

std::string vlan_list(const std::vector<int>& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += j == i ? fmt::format("{}", ids[i]) : fmt::format("{}-{}", ids[i], ids[j]);
        i = j + 1;
    }
    return out;
}

std::string vlan_list(const VlanIdSet& ids) {
    std::string out;
    for (const auto& r : ids.ranges()) {
        if (!out.empty()) out += ',';
        out += r.first == r.last ? fmt::format("{}", r.first) : fmt::format("{}-{}", r.first, r.last);
    }
    return out;
}

Result<EmittedConfig> render_ios_style(const Policy& policy, const Switch& sw, const IosDialect& d) {
    auto intent = checked_intent(policy, sw, /*ipv4_only=*/true);  // IOS/EOS "ip access-list" is IPv4
    if (!intent) return intent.error();
    std::vector<std::string> acl_names;
    for (const auto& svi : intent->svis) acl_names.push_back(svi.acl.name.substr(3));  // drop 'in-'
    if (auto names = safe_identifiers(acl_names, ios_acl_rules()); !names) return names.error();

    Out out;
    out.line(header_line(policy, sw, switch_content_hash(policy, sw, *intent)));
    out.block_end();
    emit_vlans(out, *intent, d);
    emit_access_ports(out, *intent, d);
    emit_trunks(out, *intent, d);
    EmittedConfig config;
    for (const auto& acl : intent->isolation_acls) config.ace_count += emit_acl(out, acl, d);
    for (const auto& svi : intent->svis) config.ace_count += emit_acl(out, svi.acl, d);
    emit_svis(out, *intent, d);
    out.line("end");
    config.text = std::move(out.text);
    return within_budget(sw, std::move(config));
}

}  // namespace microseg
