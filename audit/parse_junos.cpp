// Juniper Junos `show configuration` (hierarchical or `| display set`) -> ParsedConfig.
// audit/junos_statements.cpp flattens either form into set statements; this file reads them
// into a small Junos-shaped structure (VLANs by name, interfaces and interface-ranges, irb
// units, filters with terms), then converts that to the shared model (Batfish style).
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "audit/ios_acl_entry.hpp"
#include "audit/junos_statements.hpp"
#include "audit/parsed_config.hpp"
#include "model/interface_range.hpp"

namespace microseg {
namespace {

using Words = std::vector<std::string_view>;  // views into the config text (junos_statements)

std::optional<int> number(std::string_view s, int lo, int hi) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

struct JunosVlan {
    std::set<int> ids;
    int line = 0;
    bool no_local_switching = false;
    std::string l3_interface;
};

struct JunosPort {
    int line = 0;
    bool switching = false;  // has family ethernet-switching
    bool trunk = false;
    std::vector<std::pair<std::string_view, int>> members;  // vlan members (word, line)
};

struct JunosRange {
    std::vector<std::string> interfaces;
    JunosPort port;
};

struct JunosIrb {
    int line = 0;
    std::vector<SviAddress> addresses;
    std::string filter;
};

struct JunosTerm {
    std::string name;
    int line = 0;
    std::map<std::string, Words, std::less<>> from;  // condition -> values
    Words then;
};

struct JunosFilter {
    int line = 0;
    std::vector<JunosTerm> terms;  // in order of first appearance
    std::map<std::string, std::size_t, std::less<>> term_index;  // name -> index in terms
};

// Real IRBs have a handful of addresses; the list is searched for duplicates on every add.
constexpr std::size_t kMaxIrbAddresses = 256;
// `vlan members` entries of one port, its own and its ranges' (4,094 VLAN ids exist).
constexpr std::size_t kMaxPortMembers = 4096;

// The entry of `key` in a map keyed by strings, made on first use; looking up by the view
// does not build a string per statement.
template <class Map>
typename Map::mapped_type& entry(Map& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
    return it->second;
}

bool ignored_top_level(std::string_view w) {
    static const std::set<std::string_view> ignored = {
        "version", "system", "chassis", "services", "security", "snmp", "routing-options",
        "protocols", "policy-options", "class-of-service", "forwarding-options", "event-options",
        "poe", "switch-options", "virtual-chassis", "groups", "apply-groups", "access",
        "ethernet-switching-options", "multi-chassis", "routing-instances", "applications"};
    return ignored.count(w) > 0;
}

// Statements under an interface that carry nothing for the audit.
bool ignored_interface_word(std::string_view w) {
    static const std::set<std::string_view> ignored = {
        "description", "ether-options", "gigether-options", "mtu", "speed", "disable",
        "link-mode", "native-vlan-id", "vlan-tagging", "aggregated-ether-options", "enable"};
    return ignored.count(w) > 0;
}

class JunosParser {
public:
    ParsedConfig run(std::string_view text);

private:
    void statement(const JunosStatement& s);
    void vlan(const Words& w, const JunosStatement& s);
    void interface(const Words& w, const JunosStatement& s);
    bool switching(JunosPort& p, const Words& w, std::size_t at, const JunosStatement& s);
    void irb(const Words& w, const JunosStatement& s);
    void filter(const Words& w, std::size_t at, const JunosStatement& s);
    void convert();
    void convert_ports();
    void convert_filters();
    void convert_svis();
    std::set<int> member_ids(const JunosPort& p);
    void warn(int line, const JunosStatement* s, std::string reason);

    ParsedConfig out_;
    std::map<std::string, JunosVlan, std::less<>> vlans_;
    std::map<std::string, JunosPort, std::less<>> ports_;
    std::map<std::string, JunosRange, std::less<>> ranges_;
    std::size_t entries_ = 0;
    std::size_t range_members_ = 0;  // interface-range members, against kMaxConfigInterfaces  // filter entries so far, against kMaxConfigAclEntries
    std::map<int, JunosIrb> irbs_;
    std::map<std::string, JunosFilter, std::less<>> filters_;
    std::map<std::string, std::vector<Cidr>, std::less<>> prefix_lists_;
    std::map<std::string, Acl> acls_;
};

void JunosParser::warn(int line, const JunosStatement* s, std::string reason) {
    std::string text;
    if (s) {
        text = "set";
        for (const auto& w : s->words) fmt::format_to(std::back_inserter(text), " {}", w);
    }
    out_.warnings.push_back({line, std::move(text), std::move(reason)});
}

ParsedConfig JunosParser::run(std::string_view text) {
    out_.as_built.platform = PlatformId::junos;
    auto first = text.substr(0, text.find('\n'));
    if (first.find("microseg policy") != std::string_view::npos) out_.microseg_header = std::string(first);
    auto read = junos_statements(text);
    for (const auto& [line, reason] : read.problems) warn(line, nullptr, reason);
    out_.skipped_lines += read.inactive;
    for (const auto& s : read.statements) statement(s);
    convert();
    return std::move(out_);
}

void JunosParser::statement(const JunosStatement& s) {
    const auto& w = s.words;
    auto at = [&](std::size_t i) { return i < w.size() ? std::string_view(w[i]) : std::string_view{}; };
    if (at(0) == "vlans" && w.size() >= 3) return vlan(w, s);
    if (at(0) == "interfaces" && w.size() >= 3) return interface(w, s);
    if (at(0) == "firewall" && at(1) == "family" && at(2) == "inet" && at(3) == "filter" && w.size() >= 6)
        return filter(w, 4, s);
    if (at(0) == "firewall" && at(1) == "filter" && w.size() >= 4) return filter(w, 2, s);
    if (at(0) == "firewall" && at(1) != "family" && at(1) != "filter") return void(++out_.skipped_lines);
    if (at(0) == "firewall" && at(2) != "inet") return warn(s.line, &s, "filter of a family not modelled (IPv4 only)");
    if (at(0) == "policy-options" && at(1) == "prefix-list" && w.size() == 4) {
        if (auto c = Cidr::parse_interface(w[3])) entry(prefix_lists_, w[2]).push_back(*c);
        return;
    }
    if (ignored_top_level(at(0))) return void(++out_.skipped_lines);
    warn(s.line, &s, "unrecognised statement");
}

void JunosParser::vlan(const Words& w, const JunosStatement& s) {
    auto& v = entry(vlans_, w[1]);
    if (v.line == 0) v.line = s.line;
    const auto& key = w[2];
    if (key == "vlan-id" && w.size() == 4) {
        auto id = number(w[3], 1, 4094);
        if (!id) return warn(s.line, &s, "bad VLAN id");
        v.ids = {*id};
    } else if (key == "vlan-id-list" && w.size() == 4) {
        auto dash = w[3].find('-');
        auto a = number(std::string_view(w[3]).substr(0, dash), 1, 4094);
        auto b = dash == std::string::npos ? a : number(std::string_view(w[3]).substr(dash + 1), 1, 4094);
        if (!a || !b || *a > *b) return warn(s.line, &s, "bad VLAN id list");
        for (int i = *a; i <= *b; ++i) v.ids.insert(i);
    } else if (key == "l3-interface" && w.size() == 4) {
        v.l3_interface = w[3];
    } else if (key == "no-local-switching") {
        v.no_local_switching = true;
    } else if (key != "description") {
        warn(s.line, &s, "unrecognised VLAN statement");
    }
}

// interfaces IF ... | interfaces interface-range NAME ... | interfaces irb unit N ...
void JunosParser::interface(const Words& w, const JunosStatement& s) {
    if (w[1] == "irb") return irb(w, s);
    bool range = w[1] == "interface-range";
    if (range && w.size() < 4) return warn(s.line, &s, "incomplete interface-range");
    std::size_t at = range ? 3 : 2;
    JunosPort& port = range ? entry(ranges_, w[2]).port : entry(ports_, w[1]);
    if (port.line == 0) port.line = s.line;
    if (range && w[at] == "member" && w.size() == at + 2) {
        entry(ranges_, w[2]).interfaces.emplace_back(w[at + 1]);
        return;
    }
    if (range && w[at] == "member-range" && w.size() == at + 4 && w[at + 2] == "to") {
        // "member-range ge-0/0/0 to ge-0/0/11": same prefix, a run of last numbers.
        auto a = w[at + 1], b = w[at + 3];
        auto cut = a.find_last_not_of("0123456789") + 1;
        bool same = cut < a.size() && b.size() > cut && b.compare(0, cut, a, 0, cut) == 0;
        if (!same) return warn(s.line, &s, "bad member-range");
        auto names = expand_interface_range(fmt::format("{}-{}", a, b.substr(cut)));
        if (!names) return warn(s.line, &s, "bad member-range");
        range_members_ += names->size();
        if (range_members_ > kMaxConfigInterfaces)
            return warn(s.line, &s, fmt::format("more than {} interface-range members: not read", kMaxConfigInterfaces));
        auto& list = entry(ranges_, w[2]).interfaces;
        list.insert(list.end(), names->begin(), names->end());
        return;
    }
    if (ignored_interface_word(w[at])) return;
    if (w[at] == "unit" && w.size() > at + 3 && w[at + 2] == "family" && w[at + 3] == "ethernet-switching") {
        if (w[at + 1] != "0") return warn(s.line, &s, "switching on a unit other than 0");
        if (switching(port, w, at + 4, s)) return;
    }
    if (w[at] == "unit" && w.size() > at + 2 && (w[at + 2] == "description" || w[at + 2] == "family")) return;
    warn(s.line, &s, "unrecognised interface statement");
}

bool JunosParser::switching(JunosPort& p, const Words& w, std::size_t at, const JunosStatement& s) {
    p.switching = true;
    if (w.size() == at) return true;
    const auto& key = w[at];
    if ((key == "interface-mode" || key == "port-mode") && w.size() == at + 2) {
        if (w[at + 1] != "access" && w[at + 1] != "trunk") return false;
        p.trunk = w[at + 1] == "trunk";
        return true;
    }
    if (key == "vlan" && w.size() == at + 3 && w[at + 1] == "members") {
        p.members.push_back({w[at + 2], s.line});
        return true;
    }
    return key == "storm-control" || key == "recovery-timeout";
}

void JunosParser::irb(const Words& w, const JunosStatement& s) {
    auto unit = w.size() >= 4 && w[2] == "unit" ? number(w[3], 0, 1 << 30) : std::nullopt;
    if (!unit) return warn(s.line, &s, "irb statement without a unit");
    auto& irb = irbs_[*unit];
    if (irb.line == 0) irb.line = s.line;
    if (w.size() < 7 || w[4] != "family" || w[5] != "inet") return;  // description, inet6, ...
    if (w[6] == "address" && w.size() >= 8) {
        IpAddress host;
        auto subnet = Cidr::parse_interface(w[7], &host);
        if (!subnet) return warn(s.line, &s, "bad irb address");
        SviAddress a{host, *subnet};
        if (irb.addresses.size() >= kMaxIrbAddresses)
            return warn(s.line, &s, fmt::format("more than {} addresses on one irb unit: not read", kMaxIrbAddresses));
        bool primary = w.size() == 9 && w[8] == "primary";
        if (std::find(irb.addresses.begin(), irb.addresses.end(), a) == irb.addresses.end())
            irb.addresses.insert(primary ? irb.addresses.begin() : irb.addresses.end(), a);
        return;
    }
    if (w[6] == "filter" && w.size() == 9 && w[7] == "input") return void(irb.filter = w[8]);
    if (w[6] == "filter") return warn(s.line, &s, "output filter: not part of the model");
    warn(s.line, &s, "unrecognised irb statement");
}

// firewall family inet filter NAME term T (from|then) ...; `at` points at NAME.
void JunosParser::filter(const Words& w, std::size_t at, const JunosStatement& s) {
    auto& f = entry(filters_, w[at]);
    if (f.line == 0) f.line = s.line;
    if (w.size() == at + 2 && w[at + 1] == "interface-specific") return;
    if (w.size() < at + 4 || w[at + 1] != "term") return warn(s.line, &s, "unrecognised filter statement");
    auto [index, fresh] = f.term_index.emplace(w[at + 2], f.terms.size());
    if (fresh) f.terms.push_back(JunosTerm{std::string(w[at + 2]), s.line, {}, {}});
    auto it = f.terms.begin() + static_cast<std::ptrdiff_t>(index->second);
    const auto& part = w[at + 3];
    if (part == "then" && w.size() >= at + 5) return it->then.push_back(w[at + 4]);
    if (part == "from" && w.size() >= at + 5) {
        auto& values = entry(it->from, w[at + 4]);
        values.insert(values.end(), w.begin() + static_cast<std::ptrdiff_t>(at + 5), w.end());
        return;
    }
    warn(s.line, &s, "unrecognised term statement");
}


// The VLAN ids a port's `vlan members` name: VLAN names, ids, ranges, "all".
std::set<int> JunosParser::member_ids(const JunosPort& p) {
    std::set<int> out;
    for (const auto& [m, line] : p.members) {
        if (auto it = vlans_.find(m); it != vlans_.end()) {
            out.insert(it->second.ids.begin(), it->second.ids.end());
        } else if (m == "all") {
            for (const auto& [name, v] : vlans_) out.insert(v.ids.begin(), v.ids.end());
        } else if (m == "default") {
            out.insert(1);
        } else {
            auto dash = m.find('-');
            auto a = number(std::string_view(m).substr(0, dash), 1, 4094);
            auto b = dash == std::string::npos ? a : number(std::string_view(m).substr(dash + 1), 1, 4094);
            if (!a || !b || *a > *b) {
                warn(line, nullptr, fmt::format("vlan member '{}' is not a configured VLAN", m));
                continue;
            }
            for (int v = *a; v <= *b; ++v) out.insert(v);
        }
    }
    return out;
}

void JunosParser::convert_ports() {
    // A range's settings apply to each member; an interface's own statements add to them.
    std::map<std::string, JunosPort, std::less<>> effective = ports_;
    for (const auto& [name, range] : ranges_) {
        for (const auto& i : range.interfaces) {
            auto& p = effective[i];
            bool own = ports_.count(i) > 0;
            if (!own) p.line = range.port.line;
            p.switching = p.switching || range.port.switching;
            p.trunk = p.trunk || range.port.trunk;
            if (p.members.size() + range.port.members.size() > kMaxPortMembers) {
                // Each member of a range gets the range's list: both long would multiply.
                warn(range.port.line, nullptr, fmt::format("interface-range {}: more than {} VLAN members on {}: not read",
                                                           name, kMaxPortMembers, i));
                continue;
            }
            p.members.insert(p.members.begin(), range.port.members.begin(), range.port.members.end());
        }
    }
    std::set<int> isolated;
    for (const auto& [name, v] : vlans_)
        if (v.no_local_switching) isolated.insert(v.ids.begin(), v.ids.end());
    auto& sw = out_.as_built;
    std::size_t read = 0;
    for (const auto& [name, p] : effective) {
        if (!p.switching) continue;
        if (++read > kMaxConfigInterfaces) {
            warn(p.line, nullptr, fmt::format("more than {} switching interfaces in the configuration: not read",
                                              kMaxConfigInterfaces));
            break;
        }
        out_.interface_lines[name] = p.line;
        auto ids = member_ids(p);
        if (p.trunk) {
            sw.trunks.push_back({name, {ids.begin(), ids.end()}});
            continue;
        }
        if (ids.size() > 1) warn(p.line, nullptr, fmt::format("access port {} in several VLANs", name));
        int id = ids.empty() ? 1 : *ids.begin();
        sw.access_ports.push_back({name, id, "", isolated.count(id) > 0});
    }
    auto by_name = [](const auto& a, const auto& b) { return interface_less(a.interface, b.interface); };
    std::sort(sw.access_ports.begin(), sw.access_ports.end(), by_name);
    std::sort(sw.trunks.begin(), sw.trunks.end(), by_name);
}

// What one term's `from` says, as alternatives per dimension; the term is their product.
struct TermMatch {
    std::vector<Cidr> sources{Cidr{}}, destinations{Cidr{}};
    std::vector<Protocol> protocols{Protocol::ip};
    std::vector<PortRange> source_ports{PortRange{}}, destination_ports{PortRange{}};
    bool established = false;
};

std::optional<std::vector<PortRange>> port_list(const Words& values, const std::vector<Protocol>& protocols) {
    std::vector<PortRange> out;
    Protocol proto = protocols.size() == 1 ? protocols[0] : Protocol::tcp;
    for (const auto& v : values) {
        auto dash = v.find('-');
        auto a = ios_port_number(std::string_view(v).substr(0, dash), proto);
        auto b = dash == std::string::npos ? a : ios_port_number(std::string_view(v).substr(dash + 1), proto);
        if (!a || !b || *a > *b) return std::nullopt;
        out.push_back({*a, *b});
    }
    return out;
}

std::string read_term(const JunosTerm& t, const std::map<std::string, std::vector<Cidr>, std::less<>>& lists, TermMatch& m) {
    auto addresses = [&](const Words& values, std::vector<Cidr>& into) -> std::string {
        into.clear();
        for (const auto& v : values) {
            auto c = Cidr::parse_interface(v);
            if (!c) return fmt::format("bad address '{}'", v);
            into.push_back(*c);
        }
        return "";
    };
    auto prefixes = [&](const Words& values, std::vector<Cidr>& into) -> std::string {
        into.clear();
        for (const auto& v : values) {
            auto it = lists.find(v);
            if (it == lists.end()) return fmt::format("unknown prefix-list '{}'", v);
            into.insert(into.end(), it->second.begin(), it->second.end());
        }
        return "";
    };
    if (auto it = t.from.find("protocol"); it != t.from.end()) {
        m.protocols.clear();
        for (const auto& v : it->second) {
            auto p = v == "6" ? Protocol::tcp : v == "17" ? Protocol::udp : v == "1" ? Protocol::icmp : parse_protocol(v);
            if (!p || *p == Protocol::ip) return fmt::format("protocol '{}' not modelled", v);
            m.protocols.push_back(*p);
        }
    }
    for (const auto& [key, values] : t.from) {
        std::string error;
        if (std::find(values.begin(), values.end(), "except") != values.end()) return "'except' not modelled";
        if (key == "source-address") error = addresses(values, m.sources);
        else if (key == "destination-address") error = addresses(values, m.destinations);
        else if (key == "source-prefix-list") error = prefixes(values, m.sources);
        else if (key == "destination-prefix-list") error = prefixes(values, m.destinations);
        else if (key == "source-port" || key == "destination-port") {
            auto ports = port_list(values, m.protocols);
            bool l4 = std::all_of(m.protocols.begin(), m.protocols.end(),
                                  [](Protocol p) { return p == Protocol::tcp || p == Protocol::udp; });
            if (!ports || !l4) return fmt::format("{} needs protocol tcp or udp and port numbers", key);
            (key == "source-port" ? m.source_ports : m.destination_ports) = *ports;
        } else if (key == "tcp-established" && m.protocols == std::vector<Protocol>{Protocol::tcp}) {
            m.established = true;
        } else if (key == "icmp-type" && values == Words{"echo-reply"} && m.protocols == std::vector<Protocol>{Protocol::icmp}) {
            m.established = true;
        } else if (key != "protocol") {
            return fmt::format("match condition '{}' not modelled", key);
        }
        if (!error.empty()) return error;
    }
    return "";
}

void JunosParser::convert_filters() {
    for (const auto& [name, f] : filters_) {
        Acl acl{name, {}};
        ParsedAcl parsed;
        parsed.line = f.line;
        for (const auto& t : f.terms) {
            TermMatch m;
            auto error = read_term(t, prefix_lists_, m);
            AclEntry base;
            base.action = AclAction::permit;  // non-terminating actions only: implicit accept
            for (const auto& a : t.then) {
                if (a == "discard" || a == "reject") base.action = AclAction::deny;
                else if (a == "log" || a == "syslog") base.log = true;
                else if (a != "accept" && a != "count" && error.empty()) error = fmt::format("action '{}' not modelled", a);
            }
            if (!error.empty()) {
                warn(t.line, nullptr, fmt::format("filter {} term {}: {}", name, t.name, error));
                parsed.fully_understood = false;
                continue;
            }
            base.established = m.established;
            // A term is the product of its lists: 1,000 addresses on each side and 1,000 ports
            // would be 10^12 entries, so the product is checked against what is left first.
            std::size_t product = 1;
            for (std::size_t n : {m.sources.size(), m.destinations.size(), m.protocols.size(),
                                  m.source_ports.size(), m.destination_ports.size()})
                product = n == 0 ? 0 : product > kMaxConfigAclEntries / n ? kMaxConfigAclEntries + 1 : product * n;
            entries_ += product;
            if (entries_ > kMaxConfigAclEntries) {
                warn(t.line, nullptr, fmt::format("filter {} term {}: more than {} entries in the filters: not read",
                                                  name, t.name, kMaxConfigAclEntries));
                parsed.fully_understood = false;
                entries_ -= product;
                continue;
            }
            for (const auto& src : m.sources)
                for (const auto& dst : m.destinations)
                    for (auto proto : m.protocols)
                        for (const auto& sp : m.source_ports)
                            for (const auto& dp : m.destination_ports) {
                                AclEntry e = base;
                                e.source = src, e.destination = dst, e.protocol = proto;
                                e.source_ports = sp, e.destination_ports = dp;
                                acl.entries.push_back(e);
                                parsed.entry_lines.push_back(t.line);
                            }
        }
        out_.acls[name] = parsed;
        acls_[name] = std::move(acl);
    }
}

void JunosParser::convert_svis() {
    auto& sw = out_.as_built;
    std::size_t svi_entries = 0;
    for (const auto& [name, v] : vlans_) {
        if (!v.l3_interface.starts_with("irb.")) continue;
        auto unit = number(std::string_view(v.l3_interface).substr(4), 0, 1 << 30);
        auto irb = unit ? irbs_.find(*unit) : irbs_.end();
        if (irb == irbs_.end() || v.ids.size() != 1) {
            warn(v.line, nullptr, fmt::format("VLAN {}: l3-interface {} is not configured", name, v.l3_interface));
            continue;
        }
        SviIntent svi;
        svi.vlan = *v.ids.begin();
        svi.addresses = irb->second.addresses;
        svi.acl.name = irb->second.filter;
        ParsedSvi parsed{irb->second.line, svi.acl.name, true};
        auto acl = acls_.find(svi.acl.name);
        if (acl == acls_.end()) {
            parsed.acl_exists = svi.acl.name.empty();
        } else if ((svi_entries += acl->second.entries.size()) > kMaxConfigAclEntries) {
            // One big filter on many IRBs would multiply memory; its findings are "unknown".
            warn(irb->second.line, nullptr, fmt::format("more than {} filter entries on the IRBs: not read",
                                                        kMaxConfigAclEntries));
            out_.acls[svi.acl.name].fully_understood = false;
        } else {
            svi.acl.entries = acl->second.entries;
        }
        out_.svis[svi.vlan] = parsed;
        out_.interface_lines[v.l3_interface] = irb->second.line;
        out_.interface_lines[fmt::format("Vlan{}", svi.vlan)] = irb->second.line;
        sw.svis.push_back(std::move(svi));
    }
    std::sort(sw.svis.begin(), sw.svis.end(), [](const SviIntent& a, const SviIntent& b) { return a.vlan < b.vlan; });
}

void JunosParser::convert() {
    auto& sw = out_.as_built;
    for (const auto& [name, v] : vlans_) {
        if (v.ids.empty()) warn(v.line, nullptr, fmt::format("VLAN {} has no vlan-id", name));
        for (int id : v.ids) sw.vlans.push_back({id, v.ids.size() == 1 ? name : "", {}, v.no_local_switching});
    }
    std::sort(sw.vlans.begin(), sw.vlans.end(), [](const VlanIntent& a, const VlanIntent& b) { return a.id < b.id; });
    convert_ports();
    convert_filters();
    convert_svis();
}

}  // namespace

ParsedConfig parse_junos(std::string_view text) { return JunosParser().run(text); }

}  // namespace microseg
