// A parsed vendor config as the nftables ruleset of its switch namespace (emulation.hpp).
#include "verify/emulation.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace microseg::verify {

namespace {

constexpr std::string_view kTable = "microseg_emu";
// Long vendor names stay readable in `nft list ruleset` yet far below nft's 256-byte limit.
constexpr std::size_t kMaxNameChars = 64;

// One chain per ACL config name in a table: a valid nft identifier whatever the vendor allowed
// in the name (a keyword or a quote must not reach the ruleset), and two names that sanitise
// alike must still get two chains.
class ChainNames {
public:
    // The chain of ACL `acl`; `fresh` says whether this call made it (its rules are still due).
    std::string of(const std::string& acl, bool& fresh) {
        auto known = by_acl_.find(acl);
        fresh = known == by_acl_.end();
        if (!fresh) return known->second;
        std::string base = "acl_";
        for (char c : std::string_view(acl).substr(0, kMaxNameChars)) {
            bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            base += word ? c : '_';
        }
        std::string name = base;
        for (int n = 2; used_.count(name); ++n) name = fmt::format("{}_{}", base, n);
        used_.insert(name);
        return by_acl_[acl] = name;
    }

private:
    std::map<std::string, std::string> by_acl_;
    std::set<std::string> used_;
};

// The rules of one table: ACL chains first (a jump must name a chain already declared), then
// the jumps each base chain makes.
struct TableText {
    ChainNames names;
    std::string acl_chains;
    std::string jumps;
};

// A netdev name goes between quotes into the ruleset: anything but a plain Linux interface name
// is a bug of the caller, never something to paste.
void check_netdev(const std::string& name) {
    bool plain = !name.empty() && name.size() <= 15 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-' || c == '.';
    });
    if (!plain) throw std::invalid_argument("port_netdev holds a name that is no Linux interface name");
}

std::string ports_match(std::string_view protocol, std::string_view field, const PortRange& ports) {
    if (ports.is_all()) return {};
    if (ports.is_single()) return fmt::format(" {} {} {}", protocol, field, ports.first);
    return fmt::format(" {} {} {}-{}", protocol, field, ports.first, ports.last);
}

bool is_ipv6(const AclEntry& e) {
    return e.source.network.family == IpFamily::v6 || e.destination.network.family == IpFamily::v6;
}

// The nft match of one IPv4 entry, with a leading space; empty for "ip any any".
std::string entry_match(const AclEntry& e) {
    std::string m;
    if (!e.source.is_any()) m += " ip saddr " + e.source.str();
    if (!e.destination.is_any()) m += " ip daddr " + e.destination.str();
    switch (e.protocol) {
    case Protocol::tcp:
    case Protocol::udp: {
        std::string_view l4 = e.protocol == Protocol::tcp ? "tcp" : "udp";
        m += fmt::format(" meta l4proto {}", l4);
        m += ports_match(l4, "sport", e.source_ports) + ports_match(l4, "dport", e.destination_ports);
        // IOS `established`: any segment but a connection's first, i.e. ACK or RST set.
        if (e.established && e.protocol == Protocol::tcp) m += " tcp flags & (ack | rst) != 0";
        break;
    }
    case Protocol::icmp:
        m += " meta l4proto icmp";
        if (e.established) m += " icmp type echo-reply";
        break;
    case Protocol::ip:
        break;
    }
    return m;
}

const ParsedAcl* parsed_acl(const ParsedConfig& config, const std::string& name) {
    auto it = config.acls.find(name);
    return it == config.acls.end() ? nullptr : &it->second;
}

// One ACL as a chain: its entries in order, each a terminal verdict (first match), then the
// implicit deny every vendor ends a list with.
void write_acl_chain(std::string& out, const std::string& chain, const Acl& acl, const ParsedAcl* lines) {
    out += fmt::format("  chain {} {{\n", chain);
    for (std::size_t i = 0; i < acl.entries.size(); ++i) {
        const AclEntry& e = acl.entries[i];
        int line = lines && i < lines->entry_lines.size() ? lines->entry_lines[i] : 0;
        if (is_ipv6(e)) {
            out += fmt::format("    # line {}: IPv6 entry not emulated\n", line);
            continue;
        }
        out += fmt::format("   {} counter {} comment \"line {}\"\n", entry_match(e),
                           e.action == AclAction::permit ? "accept" : "drop", line);
    }
    out += fmt::format("    counter drop comment \"line {}: implicit deny\"\n  }}\n", lines ? lines->line : 0);
}

// The chain of ACL `name` in `table`, written the first time it is asked for.
std::string acl_chain(TableText& table, const std::string& name, const Acl& acl, const ParsedConfig& config) {
    bool fresh = false;
    std::string chain = table.names.of(name, fresh);
    if (fresh) write_acl_chain(table.acl_chains, chain, acl, parsed_acl(config, name));
    return chain;
}

// The name of the inbound ACL the SVI of `svi` applies and defines with entries; empty if none.
std::string svi_acl_name(const ParsedConfig& config, const SviIntent& svi) {
    auto parsed = config.svis.find(svi.vlan);
    // Applied but undefined permits everything on IOS; an empty list filters nothing to emulate.
    if (svi.vlan <= 0 || svi.acl.entries.empty() || parsed == config.svis.end() || !parsed->second.acl_exists)
        return {};
    return parsed->second.acl_in;
}

// Router ACLs: what enters a VLAN's SVI to be routed (forward) or for the switch (input).
TableText svi_filters(const ParsedConfig& config) {
    TableText table;
    for (const auto& svi : config.as_built.svis) {
        std::string name = svi_acl_name(config, svi);
        if (name.empty()) continue;
        std::string chain = acl_chain(table, name, svi.acl, config);
        table.jumps += fmt::format("    iifname \"{}\" jump {}\n", bridge_name(svi.vlan), chain);
    }
    return table;
}

const Acl* port_acl(const ParsedConfig& config, const std::string& name) {
    const auto& acls = config.port_acls;
    auto it = std::find_if(acls.begin(), acls.end(), [&](const Acl& a) { return a.name == name; });
    return it == acls.end() ? nullptr : &*it;
}

// Port ACLs: IPv4 entering an access port, bridged or routed; ARP is no IP and passes.
TableText port_filters(const ParsedConfig& config, const std::map<std::string, std::string>& port_netdev) {
    TableText table;
    for (const auto& port : config.as_built.access_ports) {
        auto applied = config.port_acl_of.find(port.interface);
        auto netdev = port_netdev.find(port.interface);
        if (applied == config.port_acl_of.end() || netdev == port_netdev.end()) continue;
        const Acl* acl = port_acl(config, applied->second);
        if (!acl || acl->entries.empty()) continue;
        check_netdev(netdev->second);
        std::string chain = acl_chain(table, applied->second, *acl, config);
        table.jumps += fmt::format("    iifname \"{}\" ether type ip jump {}\n", netdev->second, chain);
    }
    return table;
}

struct BaseChain {
    std::string_view hook;
    int priority;
};

void write_table(std::string& out, std::string_view family, const TableText& table,
                 const std::vector<BaseChain>& hooks) {
    // Declaring the table before deleting it makes the delete valid on a first load too.
    out += fmt::format("table {0} {1}\ndelete table {0} {1}\ntable {0} {1} {{\n", family, kTable);
    out += table.acl_chains;
    for (const auto& base : hooks) {
        out += fmt::format("  chain {0} {{\n    type filter hook {0} priority {1}; policy accept;\n{2}  }}\n",
                           base.hook, base.priority, table.jumps);
    }
    out += "}\n";
}

}  // namespace

std::string bridge_name(int vlan) {
    return fmt::format("br{}", vlan);
}

std::string emulation_ruleset(const ParsedConfig& config, const std::map<std::string, std::string>& port_netdev) {
    // No device text (hostname, ACL names) goes into the ruleset unsanitised, comments included.
    std::string out = "# microseg: this switch's filters as its vendor applies them (README: How each vendor is emulated)\n";
    // Port ACLs sit where a frame enters the bridge, before any bridging or routing decision.
    write_table(out, "bridge", port_filters(config, port_netdev), {{"prerouting", -200}});
    write_table(out, "ip", svi_filters(config), {{"forward", 0}, {"input", 0}});
    return out;
}

std::vector<std::string> emulation_limits(const ParsedConfig& config) {
    std::vector<std::pair<int, std::string>> by_line;  // read top to bottom, as the config
    for (const auto& u : config.uncertain) {
        if (u.kind != UncertainKind::port_isolation && u.kind != UncertainKind::svi_outbound_acl) continue;
        // A port ACL read in full is emulated as written, whatever isolation drift makes of it.
        if (u.kind == UncertainKind::port_isolation && config.port_acl_of.count(u.interface)) continue;
        by_line.emplace_back(u.line, fmt::format("line {}: {}: {}; not emulated", u.line, u.interface, u.reason));
    }
    // An entry the parser skipped is missing from the emulated list: the verdict can differ.
    std::set<std::string> in_use;
    for (const auto& svi : config.as_built.svis) {
        std::string name = svi_acl_name(config, svi);
        if (!name.empty()) in_use.insert(name);
    }
    for (const auto& [port, name] : config.port_acl_of) in_use.insert(name);
    for (const auto& name : in_use) {
        const ParsedAcl* parsed = parsed_acl(config, name);
        if (!parsed || parsed->fully_understood) continue;
        by_line.emplace_back(parsed->line, fmt::format("line {}: ACL {}: an entry microseg could not read; not emulated",
                                                       parsed->line, name));
    }
    std::stable_sort(by_line.begin(), by_line.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> limits;
    for (auto& [line, text] : by_line) limits.push_back(std::move(text));
    return limits;
}

}  // namespace microseg::verify
