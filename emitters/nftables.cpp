// Linux nftables: a complete `nft -f` file for a Linux router/firewall acting as the gateway of
// its classes. One `inet microseg` table (forward chain, policy drop, conntrack for replies,
// one chain per source class; an input chain keeping the router's own ssh, https and snmp for
// the management class) and one `bridge microseg` table dropping traffic between members of
// isolated classes. Classes are matched by address only, never by interface name, so the
// file works on any router whatever its interfaces are called (`microseg verify` loads it into
// a network namespace whose interfaces it names itself).
//
// Each table is declared, deleted and declared again in the same file: nft applies a file as
// one transaction, so reloading replaces exactly the tables microseg owns and nothing else.
#include <algorithm>
#include <set>
#include <tuple>

#include "emitters/config_writer.hpp"
#include "emitters/emitter.hpp"
#include "model/acl.hpp"
#include "model/config_file.hpp"
#include "model/infrastructure_acl.hpp"
#include "model/naming.hpp"
#include "model/switch_hash.hpp"

namespace microseg {
namespace {

// Counts the rules, as the ACE budget does.
struct Out : ConfigWriter {
    std::size_t rules = 0;
    void rule(std::string_view s) {
        line(fmt::format("\t\t{}", s));
        ++rules;
    }
};

std::string_view family_word(const Cidr& c) { return c.network.family == IpFamily::v4 ? "ip" : "ip6"; }

std::string nft_ports(const PortRange& r) {
    return r.is_single() ? fmt::format("{}", r.first) : fmt::format("{}-{}", r.first, r.last);
}

// A rule of a source-class chain. The source address was matched by the jump, so only the
// destination and service remain (entries that differed only in source prefix collapse).
std::string chain_rule(const AclEntry& e) {
    std::string s = fmt::format("{} daddr {}", family_word(e.destination), e.destination);
    switch (e.protocol) {
        case Protocol::tcp:
        case Protocol::udp:
            s += fmt::format(" {} dport {}", e.protocol, nft_ports(e.destination_ports));
            break;
        case Protocol::icmp:
            s += e.destination.network.family == IpFamily::v4 ? " meta l4proto icmp" : " meta l4proto ipv6-icmp";
            break;
        case Protocol::ip: break;
    }
    // A deny keeps a broad destination (0.0.0.0/0) from covering the classes inside it.
    return s + (e.action == AclAction::permit ? " accept" : " drop");
}

struct SourceChain {
    const DeviceClass* cls;
    std::string name;
    const std::vector<AclEntry>* entries;  // in the router's RouterEntries
};

// The router's own address is reached through the input hook, which microseg leaves alone.
// DESIGN "Topology": the forward chain filters what its local classes (gateway classes and the
// external classes that enter through it, `via`) send and receive. So there is a chain for
// every local class and for every other class with a flow to a local class (transit from a
// class routed elsewhere to the internet crosses this router): router_forward_entries.
std::vector<SourceChain> source_chains(const Policy& policy, const Switch& sw, const RouterEntries& entries) {
    std::vector<SourceChain> out;
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        const DeviceClass& c = policy.classes()[i];
        if (entries[i].empty() && !policy.is_local(sw, c)) continue;
        out.push_back({&c, safe_identifier(c.name, nft_name_rules()), &entries[i]});
    }
    std::sort(out.begin(), out.end(), [](const SourceChain& a, const SourceChain& b) { return a.name < b.name; });
    return out;
}

struct Dispatch {
    Cidr source;
    std::string target;  // chain name, or empty: drop (an address of a class with no chain here)
};

// Most specific prefix first, so an address is judged by the class that owns it (DESIGN:
// the most specific subnet wins) even when an external class such as 0.0.0.0/0 covers it.
// Every chain ends in a drop, so a packet never falls through to a less specific class.
std::vector<Dispatch> dispatch_rules(const Policy& policy, const std::vector<SourceChain>& chains) {
    std::vector<Dispatch> out;
    std::vector<Cidr> chained;
    for (const auto& ch : chains)
        for (const auto& c : ch.cls->addresses.cidrs()) {
            out.push_back({c, ch.name});
            chained.push_back(c);
        }
    auto drop_if_shadowed = [&](const Cidr& c) {
        bool shadowed = std::any_of(chained.begin(), chained.end(),
                                    [&](const Cidr& w) { return w.prefix_len < c.prefix_len && w.contains(c); });
        if (shadowed) out.push_back({c, ""});
    };
    for (const auto& cls : policy.classes()) {
        bool has_chain = std::any_of(chains.begin(), chains.end(), [&](const SourceChain& ch) { return ch.cls == &cls; });
        if (has_chain) continue;
        for (const auto& c : cls.addresses.cidrs()) drop_if_shadowed(c);
    }
    // An unowned internal address is no "internet" host (DESIGN: internal_space).
    for (const auto& c : policy.internal_space())
        if (std::find(chained.begin(), chained.end(), c) == chained.end()) drop_if_shadowed(c);
    std::sort(out.begin(), out.end(), [](const Dispatch& a, const Dispatch& b) {
        if (a.source.prefix_len != b.source.prefix_len) return a.source.prefix_len > b.source.prefix_len;
        return std::tie(a.source.network, a.target) < std::tie(b.source.network, b.target);
    });
    out.erase(std::unique(out.begin(), out.end(), [](const Dispatch& a, const Dispatch& b) {
                  return a.source == b.source && a.target == b.target;
              }), out.end());
    return out;
}

// What an IOS SVI ACL does for the switch's own address (it filters packets to the CPU too):
// only the management class reaches this router's management services. Policy accept, and
// only those ports: VPN, routing protocols and DHCP relay on the router are not the policy's
// to cut, and an operator must never be locked out. No management class: nothing to keep.
void emit_input_chain(Out& out, const Policy& policy) {
    const DeviceClass* mgmt = policy.management_class();
    if (!mgmt) return;
    out.line("");
    out.line("\tchain input {");
    out.line("\t\ttype filter hook input priority filter; policy accept;");
    out.rule("iif \"lo\" accept");
    for (const auto& c : mgmt->addresses.cidrs()) out.rule(fmt::format("{} saddr {} accept", family_word(c), c));
    for (const auto& p : operator_to_switch_ports())
        out.rule(fmt::format("{} dport {} drop", p.protocol, nft_ports(p.ports)));
    out.line("\t}");
}

void emit_inet_table(Out& out, const Policy& policy, const std::vector<SourceChain>& chains) {
    out.line("table inet microseg");
    out.line("delete table inet microseg");
    out.line("table inet microseg {");
    out.line("\tchain forward {");
    out.line("\t\ttype filter hook forward priority filter; policy drop;");
    out.rule("ct state established,related accept");  // replies of every permitted initiation
    out.rule("ct state invalid drop");
    for (const auto& d : dispatch_rules(policy, chains)) {
        auto match = fmt::format("{} saddr {}", family_word(d.source), d.source);
        out.rule(d.target.empty() ? match + " drop" : fmt::format("{} jump {}", match, d.target));
    }
    out.rule("log prefix \"microseg forward drop: \" drop");
    out.line("\t}");
    emit_input_chain(out, policy);
    for (const auto& ch : chains) {
        out.line("");
        out.line(fmt::format("\tchain {} {{", ch.name));
        std::vector<std::string> rules;
        for (const auto& e : *ch.entries) rules.push_back(chain_rule(e));
        rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
        for (const auto& r : rules) out.rule(r);
        // nft log prefixes are at most 127 bytes; chain names are at most 64.
        out.rule(fmt::format("log prefix \"microseg {} drop: \" drop", ch.name));
        out.line("\t}");
    }
    out.line("}");
}

// Members of an isolated class reach each other only through a bridge on this host, if any;
// drop that bridged traffic (family bridge sees frames before any routing).
void emit_bridge_table(Out& out, const Policy& policy, const Switch& sw) {
    out.line("table bridge microseg");
    out.line("delete table bridge microseg");
    out.line("table bridge microseg {");
    out.line("\tchain forward {");
    out.line("\t\ttype filter hook forward priority filter; policy accept;");
    std::vector<std::string> names = sw.gateway_for;
    for (const auto& p : sw.ports) names.push_back(p.device_class);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const auto& n : names) {
        const auto* c = policy.find_class(n);
        if (!c || !c->isolate) continue;
        for (const auto& src : c->addresses.cidrs())
            for (const auto& dst : c->addresses.cidrs())
                if (src.network.family == dst.network.family)
                    out.rule(fmt::format("{0} saddr {1} {0} daddr {2} drop", family_word(src), src, dst));
    }
    out.line("\t}");
    out.line("}");
}

class NftablesEmitter final : public Emitter {
public:
    Result<EmittedConfig> emit(const Policy& policy, const Switch& sw) const override {
        auto intent = checked_intent(policy, sw, /*ipv4_only=*/false);
        if (!intent) return intent.error();
        const RouterEntries entries = router_entries(policy, sw);
        auto chains = source_chains(policy, sw, entries);
        std::vector<std::string> raw;
        for (const auto& ch : chains) raw.push_back(ch.cls->name);
        if (auto names = safe_identifiers(raw, nft_name_rules()); !names) return names.error();
        Out out;
        out.line(header_line(policy, sw, switch_content_hash(policy, sw, *intent, entries)));
        out.line("# Replaces only the tables microseg owns: nft -f <this file>");
        emit_inet_table(out, policy, chains);
        out.line("");
        emit_bridge_table(out, policy, sw);
        return within_budget(sw, EmittedConfig{std::move(out.text), out.rules});
    }
};

}  // namespace

const Emitter& nftables_emitter() {
    static const NftablesEmitter e;
    return e;
}

}  // namespace microseg
