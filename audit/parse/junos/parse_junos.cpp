// Juniper Junos `show configuration` (hierarchical or `| display set`) -> ParsedConfig.
// audit/parse/junos/statements.cpp flattens either form into set statements; this file reads them
// into a small Junos-shaped structure (VLANs by name, interfaces and interface-ranges, irb
// units, filters with terms), then converts that to the shared model (Batfish style).
#include <algorithm>
#include <map>
#include <set>

#include "audit/parse/junos/filters.hpp"
#include "audit/parse/junos/groups.hpp"
#include "audit/parse/junos/ports.hpp"
#include "audit/parse/junos/statements.hpp"
#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"
#include "model/interface_name.hpp"
#include "model/interface_range.hpp"
#include "model/isolation_acl.hpp"

namespace microseg {
namespace {

// Every word and name below views the config text (or junos_statements' unescaped words),
// which outlives the parse: keys and lists need no string of their own.
using Words = std::span<const std::string_view>;  // a statement's words

struct JunosIrb {
    int line = 0;
    std::vector<SviAddress> addresses;
    std::string_view filter;
};

// Real IRBs have a handful of addresses; the list is searched for duplicates on every add.
constexpr std::size_t kMaxIrbAddresses = 256;
// `vlan members` entries of one port, its own and its ranges' (4,094 VLAN ids exist).
constexpr std::size_t kMaxPortMembers = 4096;

// Word equality that inlines: libstdc++'s == calls an out-of-line compare(), which cost more
// than the rest of the statement dispatch.
bool is(std::string_view word, std::string_view literal) {
    return word.size() == literal.size() && std::char_traits<char>::compare(word.data(), literal.data(), word.size()) == 0;
}

bool ignored_top_level(std::string_view w) {
    static const std::set<std::string_view, JunosWordLess> ignored = {
        "version", "system", "chassis", "services", "security", "snmp", "routing-options",
        "protocols", "policy-options", "class-of-service", "forwarding-options", "event-options",
        "poe", "switch-options", "virtual-chassis", "access",
        "ethernet-switching-options", "multi-chassis", "routing-instances", "applications"};
    return ignored.count(w) > 0;
}

// Statements under an interface that carry nothing for the audit.
bool ignored_interface_word(std::string_view w) {
    static const std::set<std::string_view, JunosWordLess> ignored = {
        "description", "ether-options", "gigether-options", "mtu", "speed", "disable",
        "link-mode", "native-vlan-id", "vlan-tagging", "aggregated-ether-options", "enable"};
    return ignored.count(w) > 0;
}

class JunosParser {
public:
    ParsedConfig run(std::string_view text);

private:
    bool read_statements(std::string_view text, const JunosStatements& read, std::span<const JunosStatement> statements,
                         bool stop_at_groups);
    void statement(const JunosStatement& s);
    void vlan(const Words& w, const JunosStatement& s);
    void interface(const Words& w, const JunosStatement& s);
    bool switching(JunosPort& p, const Words& w, std::size_t at, const JunosStatement& s);
    void irb(const Words& w, const JunosStatement& s);
    void filter(const Words& w, std::size_t at, const JunosStatement& s);
    void term_statement(JunosTerm& t, const Words& w, std::size_t at, const JunosStatement& s);
    void convert();
    void convert_ports();
    bool port_isolated(std::string_view port, const JunosPort& p);
    void convert_filters();
    void convert_svis();
    const std::vector<int>& member_ids(const JunosPort& p);
    JunosFilter& filter_named(std::string_view name);
    using Irbs = std::map<std::pair<std::string_view, int>, JunosIrb>;  // by ("irb" or "vlan", unit)
    Irbs::const_iterator irb_of(const JunosVlan& v) const;
    void warn(int line, const JunosStatement* s, std::string reason);
    void doubt_interface(const JunosStatement& s, const std::string& reason);

    ParsedConfig out_;
    JunosVlans vlans_;
    std::map<std::string_view, JunosPort, JunosWordLess> ports_;
    std::pair<std::string_view, JunosVlan*> last_vlan_{};  // junos_remembered's
    std::pair<std::string_view, JunosPort*> last_port_{};
    std::map<std::string_view, JunosRange, JunosWordLess> ranges_;
    std::vector<int> ids_;  // member_ids' result
    std::size_t entries_ = 0;  // filter entries so far, against kMaxConfigAclEntries
    std::size_t range_members_ = 0;  // interface-range members, against kMaxConfigInterfaces
    Irbs irbs_;
    std::map<std::string_view, JunosFilter, JunosWordLess> filters_;
    std::set<std::string_view, JunosWordLess> port_filters_;  // defined under family ethernet-switching
    // The filter of the last filter statement: a filter's statements come together.
    std::pair<std::string_view, JunosFilter*> last_filter_{{}, nullptr};
    JunosPrefixLists prefix_lists_;
    std::map<std::string_view, Acl, JunosWordLess> acls_;
    bool groups_seen_ = false;  // a groups or apply-groups statement: expand, then read again
};

void JunosParser::warn(int line, const JunosStatement* s, std::string reason) {
    std::string text;
    if (s) {
        text = "set";
        for (const auto& w : s->words) fmt::format_to(std::back_inserter(text), " {}", w);
    }
    out_.warnings.push_back({line, std::move(text), std::move(reason)});
}

// A group problem about an interface (`[groups G] interfaces IF ...`): what the device makes of
// that interface is not known, so its port and trunk findings are "unknown".
void JunosParser::doubt_interface(const JunosStatement& s, const std::string& reason) {
    auto w = s.words;
    if (w.size() >= 2 && is(w[0], "groups")) w = w.subspan(2);
    if (w.size() < 2 || !is(w[0], "interfaces") || is(w[1], "interface-range") || w[1].starts_with("<")) return;
    out_.uncertain.push_back({UncertainKind::interface_config, std::string(w[1]), s.line, reason});
}

ParsedConfig JunosParser::run(std::string_view text) {
    auto read = junos_statements(text);
    if (read_statements(text, read, read.statements, true)) {
        convert();
        return std::move(out_);
    }
    // A group: its statements are read where it applies, by a parser that starts again (groups
    // come first in what a device prints, so little was read in vain). Configs without groups
    // pay one test per statement for this.
    auto expanded = expand_junos_groups(read.statements);
    JunosParser again;
    again.read_statements(text, read, expanded.statements, false);
    for (const auto& p : expanded.problems) {
        again.warn(p.statement.line, &p.statement, p.reason);
        again.doubt_interface(p.statement, p.reason);
    }
    again.out_.skipped_lines += expanded.group_statements;
    again.convert();
    for (auto name : expanded.unordered_filters) {
        auto acl = again.out_.acls.find(std::string(name));
        if (acl != again.out_.acls.end()) acl->second.fully_understood = false;
    }
    return std::move(again.out_);
}

// False when it stopped at a statement that defines or applies a group (groups_seen_); expanded
// statements have none left, and are read to the end whatever they hold.
bool JunosParser::read_statements(std::string_view text, const JunosStatements& read,
                                  std::span<const JunosStatement> statements, bool stop_at_groups) {
    out_.as_built.platform = PlatformId::junos;
    out_.read_header(text);
    for (const auto& [line, reason] : read.problems) warn(line, nullptr, reason);
    out_.skipped_lines += read.inactive;
    for (const auto& s : statements) {
        statement(s);
        if (groups_seen_ && stop_at_groups) return false;
    }
    return true;
}

void JunosParser::statement(const JunosStatement& s) {
    const auto& w = s.words;
    auto at = [&](std::size_t i) { return i < w.size() ? std::string_view(w[i]) : std::string_view{}; };
    // Groups are expanded before statements are read (groups.hpp): one seen here stops the
    // reading. It is always `... apply-groups NAME`: one word to test, not every word.
    auto k = w.size() >= 2 ? w[w.size() - 2] : std::string_view{};
    if (is(k, "apply-groups") || is(k, "apply-groups-except")) return void(groups_seen_ = true);
    if (is(at(0), "vlans") && w.size() >= 3) return vlan(w, s);
    if (is(at(0), "interfaces") && w.size() >= 3) return interface(w, s);
    if (is(at(0), "firewall") && is(at(1), "family") && is(at(2), "inet") && is(at(3), "filter") && w.size() >= 6)
        return filter(w, 4, s);
    if (is(at(0), "firewall") && is(at(1), "filter") && w.size() >= 4) return filter(w, 2, s);
    if (is(at(0), "firewall") && is(at(1), "family") && is(at(2), "ethernet-switching") && is(at(3), "filter") &&
        w.size() >= 6) {
        port_filters_.insert(w[4]);
        return filter(w, 4, s);
    }
    if (is(at(0), "firewall") && !is(at(1), "family") && !is(at(1), "filter")) return void(++out_.skipped_lines);
    if (is(at(0), "firewall") && !is(at(2), "inet")) return warn(s.line, &s, "filter of a family not modelled (IPv4 only)");
    if (is(at(0), "policy-options") && is(at(1), "prefix-list") && w.size() == 4) {
        auto c = junos_prefix(w[3]);
        if (!c) return warn(s.line, &s, "bad prefix-list entry");
        return prefix_lists_[w[2]].push_back(*c);
    }
    if (is(at(0), "groups")) return void(groups_seen_ = true);
    if (ignored_top_level(at(0))) return void(++out_.skipped_lines);
    warn(s.line, &s, "unrecognised statement");
}

void JunosParser::vlan(const Words& w, const JunosStatement& s) {
    auto& v = junos_remembered(vlans_, last_vlan_, w[1]);
    if (v.line == 0) v.line = s.line;
    const auto& key = w[2];
    if (is(key, "vlan-id") && w.size() == 4) {
        auto id = junos_number(w[3], 1, 4094);
        if (!id) return warn(s.line, &s, "bad VLAN id");
        v.ids.assign(1, *id);
    } else if (is(key, "vlan-id-list") && w.size() == 4) {
        auto dash = w[3].find('-');
        auto a = junos_number(std::string_view(w[3]).substr(0, dash), 1, 4094);
        auto b = dash == std::string::npos ? a : junos_number(std::string_view(w[3]).substr(dash + 1), 1, 4094);
        if (!a || !b || *a > *b) return warn(s.line, &s, "bad VLAN id list");
        junos_add_ids(v.ids, *a, *b);
    } else if (is(key, "l3-interface") && w.size() == 4) {
        v.l3_interface = w[3];
    } else if (is(key, "no-local-switching")) {
        v.no_local_switching = true;
    } else if (!is(key, "description")) {
        warn(s.line, &s, "unrecognised VLAN statement");
    }
}

// interfaces IF ... | interfaces interface-range NAME ... | interfaces irb unit N ...
void JunosParser::interface(const Words& w, const JunosStatement& s) {
    if (is(w[1], "irb") || is(w[1], "vlan")) return irb(w, s);
    bool range = is(w[1], "interface-range");
    if (range && w.size() < 4) return warn(s.line, &s, "incomplete interface-range");
    std::size_t at = range ? 3 : 2;
    JunosPort& port = range ? ranges_[w[2]].port : junos_remembered(ports_, last_port_, w[1]);
    if (port.line == 0) port.line = s.line;
    if (range && is(w[at], "member") && w.size() == at + 2) {
        ranges_[w[2]].interfaces.emplace_back(w[at + 1]);
        return;
    }
    if (range && is(w[at], "member-range") && w.size() == at + 4 && is(w[at + 2], "to")) {
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
        auto& list = ranges_[w[2]].interfaces;
        list.insert(list.end(), std::make_move_iterator(names->begin()), std::make_move_iterator(names->end()));
        return;
    }
    if (ignored_interface_word(w[at])) return;
    if (is(w[at], "unit") && w.size() > at + 3 && is(w[at + 2], "family") && is(w[at + 3], "ethernet-switching")) {
        if (!is(w[at + 1], "0")) return warn(s.line, &s, "switching on a unit other than 0");
        if (switching(port, w, at + 4, s)) return;
    }
    if (is(w[at], "unit") && w.size() > at + 2 && (is(w[at + 2], "description") || is(w[at + 2], "family"))) return;
    warn(s.line, &s, "unrecognised interface statement");
}

bool JunosParser::switching(JunosPort& p, const Words& w, std::size_t at, const JunosStatement& s) {
    p.switching = true;
    if (w.size() == at) return true;
    const auto& key = w[at];
    if ((is(key, "interface-mode") || is(key, "port-mode")) && w.size() == at + 2) {
        if (!is(w[at + 1], "access") && !is(w[at + 1], "trunk")) return false;
        p.trunk = is(w[at + 1], "trunk");
        return true;
    }
    if (is(key, "vlan") && w.size() == at + 3 && is(w[at + 1], "members")) {
        p.members.push_back({w[at + 2], s.line});
        return true;
    }
    if (is(key, "filter") && w.size() == at + 3 && is(w[at + 1], "input")) {
        p.filter_in = w[at + 2], p.filter_line = s.line;
        return true;
    }
    return is(key, "storm-control") || is(key, "recovery-timeout");
}

void JunosParser::irb(const Words& w, const JunosStatement& s) {
    auto unit = w.size() >= 4 && is(w[2], "unit") ? junos_number(w[3], 0, 1 << 30) : std::nullopt;
    if (!unit) return warn(s.line, &s, "irb statement without a unit");
    // ELS routes a VLAN through irb.N, pre-ELS (EX4200 and older) through vlan.N: same statements.
    auto& irb = irbs_[{is(w[1], "irb") ? "irb" : "vlan", *unit}];
    if (irb.line == 0) irb.line = s.line;
    if (w.size() < 7 || !is(w[4], "family") || !is(w[5], "inet")) return;  // description, inet6, ...
    if (is(w[6], "address") && w.size() >= 8) {
        IpAddress host;
        auto subnet = Cidr::parse_interface(w[7], &host);
        if (!subnet) return warn(s.line, &s, "bad irb address");
        SviAddress a{host, *subnet};
        if (irb.addresses.size() >= kMaxIrbAddresses)
            return warn(s.line, &s, fmt::format("more than {} addresses on one irb unit: not read", kMaxIrbAddresses));
        bool primary = w.size() == 9 && is(w[8], "primary");
        if (std::find(irb.addresses.begin(), irb.addresses.end(), a) == irb.addresses.end())
            irb.addresses.insert(primary ? irb.addresses.begin() : irb.addresses.end(), a);
        return;
    }
    if (is(w[6], "filter") && w.size() == 9 && is(w[7], "input")) return void(irb.filter = w[8]);
    if (is(w[6], "filter")) return warn(s.line, &s, "output filter: not part of the model");
    warn(s.line, &s, "unrecognised irb statement");
}

JunosFilter& JunosParser::filter_named(std::string_view name) {
    if (!last_filter_.second || last_filter_.first != name) last_filter_ = {name, &filters_[name]};
    return *last_filter_.second;
}

// firewall family inet filter NAME term T (from|then) ...; `at` points at NAME.
void JunosParser::filter(const Words& w, std::size_t at, const JunosStatement& s) {
    auto& f = filter_named(w[at]);
    if (f.line == 0) f.line = s.line;
    if (w.size() == at + 2 && is(w[at + 1], "interface-specific")) return;
    if (w.size() < at + 4 || !is(w[at + 1], "term")) return warn(s.line, &s, "unrecognised filter statement");
    // A term's statements come together too: the last term is checked before the index.
    auto name = w[at + 2];
    if (f.terms.empty() || f.terms.back().name != name) {
        auto [index, fresh] = f.term_index.emplace(name, f.terms.size());
        if (fresh) {
            f.terms.push_back(JunosTerm{name, s.line, {}, {}});
            f.terms.back().from.reserve(4);  // a term has a few conditions: grow once, not thrice
        }
        if (index->second + 1 != f.terms.size()) return term_statement(f.terms[index->second], w, at, s);
    }
    term_statement(f.terms.back(), w, at, s);
}

// ELS port filters (family ethernet-switching) name the IP fields ip-source-address,
// ip-destination-address and ip-protocol; read as the inet names, which non-ELS uses there too.
std::string_view inet_condition(std::string_view key) {
    if (is(key, "ip-source-address")) return "source-address";
    if (is(key, "ip-destination-address")) return "destination-address";
    if (is(key, "ip-protocol")) return "protocol";
    return key;
}

void JunosParser::term_statement(JunosTerm& t, const Words& w, std::size_t at, const JunosStatement& s) {
    const auto& part = w[at + 3];
    if (is(part, "then") && w.size() >= at + 5) return t.then.push_back(w[at + 4]);
    if (is(part, "from") && w.size() >= at + 5) {
        bool port_filter = is(w[1], "family") && is(w[2], "ethernet-switching");
        auto key = port_filter ? inet_condition(w[at + 4]) : w[at + 4];
        for (std::size_t i = at + 5; i < w.size(); ++i) t.from.push_back({key, w[i]});
        if (w.size() == at + 5) t.from.push_back({key, {}, false});
        return;
    }
    warn(s.line, &s, "unrecognised term statement");
}

// The VLAN ids a port's `vlan members` name, its ranges' first (ports.hpp): VLAN names, ids,
// ranges, "all". Ascending, without repeats.
// In ids_, a buffer for every port (a vector per port was an allocation per port).
const std::vector<int>& JunosParser::member_ids(const JunosPort& p) {
    auto& out = ids_;
    out.clear();
    auto add = [&](const std::vector<std::pair<std::string_view, int>>& members) {
        for (const auto& [m, line] : members)
            if (!junos_member_ids(vlans_, m, out))
                warn(line, nullptr, fmt::format("vlan member '{}' is not a configured VLAN", m));
    };
    for (auto r = p.ranges.rbegin(); r != p.ranges.rend(); ++r) {
        if ((*r)->clean) out.insert(out.end(), (*r)->ids.begin(), (*r)->ids.end());  // no warning to give
        else add((*r)->port.members);
    }
    add(p.members);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void JunosParser::convert_ports() {
    // A range's settings apply to each member; an interface's own statements add to them (ports_ moves).
    std::map<std::string_view, JunosPort, JunosWordLess> effective = std::move(ports_);
    for (auto& [name, p] : effective) p.own = true;
    for (auto& [name, range] : ranges_) {
        junos_resolve_range(vlans_, range);
        for (const auto& i : range.interfaces) {
            auto& p = effective[i];
            if (!p.own) p.line = range.port.line;
            p.switching = p.switching || range.port.switching;
            p.trunk = p.trunk || range.port.trunk;
            if (p.filter_in.empty()) p.filter_in = range.port.filter_in, p.filter_line = range.port.filter_line;
            if (p.members.size() + p.range_members + range.port.members.size() > kMaxPortMembers) {
                // Each member of a range gets the range's list: both long would multiply.
                warn(range.port.line, nullptr, fmt::format("interface-range {}: more than {} VLAN members on {}: not read",
                                                           name, kMaxPortMembers, i));
                continue;
            }
            p.ranges.push_back(&range);
            p.range_members += range.port.members.size();
        }
    }
    auto& sw = out_.as_built;
    std::size_t read = 0;
    sw.access_ports.reserve(effective.size());
    for (const auto& [name, p] : effective) {
        if (!p.switching) continue;
        if (++read > kMaxConfigInterfaces) {
            warn(p.line, nullptr, fmt::format("more than {} switching interfaces in the configuration: not read",
                                              kMaxConfigInterfaces));
            break;
        }
        auto& lines = out_.interface_lines;
        const auto& ids = member_ids(p);
        if (p.trunk) {
            sw.trunks.push_back({std::string(name), ids});
            lines.trunks.push_back(p.line);
            continue;
        }
        if (ids.size() > 1) warn(p.line, nullptr, fmt::format("access port {} in several VLANs", name));
        int id = ids.empty() ? 1 : ids.front();
        sw.access_ports.push_back({std::string(name), id, "", port_isolated(name, p)});
        lines.access_ports.push_back(p.line);
    }
    auto name = [](const auto& port) -> std::string_view { return port.interface; };
    sort_by_interface(sw.access_ports, name, &out_.interface_lines.access_ports);
    sort_by_interface(sw.trunks, name, &out_.interface_lines.trunks);
}

// A port filter isolates the port only when it is the isolation filter microseg emits
// (ms-iso-<class>, of the isolation shape, fully read); any other is no evidence either way
// ("unknown"). `no-local-switching` alone acts on this switch only (DESIGN "Isolation").
bool JunosParser::port_isolated(std::string_view port, const JunosPort& p) {
    if (p.filter_in.empty()) return false;
    auto acl = acls_.find(p.filter_in);
    if (acl == acls_.end() || !port_filters_.count(p.filter_in)) {
        warn(p.filter_line, nullptr, fmt::format("{}: port filter {} is not a defined ethernet-switching filter: "
                                                 "the port is not isolated", port, p.filter_in));
        return false;
    }
    bool ours = p.filter_in.starts_with("ms-iso-") && out_.acls[std::string(p.filter_in)].fully_understood &&
                has_isolation_shape(acl->second.entries);
    if (out_.acls[std::string(p.filter_in)].fully_understood) out_.keep_port_acl(acl->second, port);
    if (ours) out_.keep_isolation_acl(acl->second, port);  // drift compares its terms with the intent's
    else out_.uncertain.push_back({UncertainKind::port_isolation, std::string(port), p.filter_line,
                                   fmt::format("port filter {} is not an isolation filter microseg reads", p.filter_in)});
    return ours;
}

void JunosParser::convert_filters() {
    TermMatch m;
    for (auto& [name, f] : filters_) {
        Acl acl{std::string(name), {}};
        ParsedAcl parsed;
        parsed.line = f.line;
        for (auto& t : f.terms) {
            auto error = read_term(t, prefix_lists_, m);
            AclEntry base;
            base.action = AclAction::permit;  // non-terminating actions only: implicit accept
            for (const auto& a : t.then) {
                if (is(a, "discard") || is(a, "reject")) base.action = AclAction::deny;
                else if (is(a, "log") || is(a, "syslog")) base.log = true;
                else if (!is(a, "accept") && !is(a, "count") && error.empty()) error = fmt::format("action '{}' not modelled", a);
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
                                AclEntry& e = acl.entries.emplace_back(base);
                                e.source = src, e.destination = dst, e.protocol = proto;
                                e.source_ports = sp, e.destination_ports = dp;
                                parsed.entry_lines.push_back(t.line);
                            }
        }
        out_.acls[std::string(name)] = std::move(parsed);
        acls_[name] = std::move(acl);
    }
}

// `vlans X l3-interface irb.N` (ELS) or `vlan.N` (pre-ELS): true for either form.
bool routed_interface(std::string_view l3) { return l3.starts_with("irb.") || l3.starts_with("vlan."); }

// The irb (or pre-ELS vlan) unit a VLAN routes through, or irbs_.end().
JunosParser::Irbs::const_iterator JunosParser::irb_of(const JunosVlan& v) const {
    if (!routed_interface(v.l3_interface) || v.ids.size() != 1) return irbs_.end();
    auto dot = v.l3_interface.find('.');
    auto unit = junos_number(v.l3_interface.substr(dot + 1), 0, 1 << 30);
    return unit ? irbs_.find({v.l3_interface.substr(0, dot), *unit}) : irbs_.end();
}

void JunosParser::convert_svis() {
    auto& sw = out_.as_built;
    // How many IRBs read each filter: the last one takes its entries instead of a copy.
    std::map<std::string_view, std::size_t, JunosWordLess> readers;
    for (const auto& [name, v] : vlans_)
        if (auto irb = irb_of(v); irb != irbs_.end() && acls_.count(irb->second.filter)) ++readers[irb->second.filter];
    std::size_t svi_entries = 0;
    for (const auto& [name, v] : vlans_) {
        if (!routed_interface(v.l3_interface)) continue;
        auto irb = irb_of(v);
        if (irb == irbs_.end()) {
            warn(v.line, nullptr, fmt::format("VLAN {}: l3-interface {} is not configured", name, v.l3_interface));
            continue;
        }
        SviIntent svi;
        svi.vlan = *v.ids.begin();
        svi.addresses = irb->second.addresses;
        svi.acl.name = std::string(irb->second.filter);
        ParsedSvi parsed{irb->second.line, svi.acl.name, true};
        auto acl = acls_.find(svi.acl.name);
        bool last_reader = acl != acls_.end() && --readers[acl->first] == 0;
        if (acl == acls_.end()) {
            parsed.acl_exists = svi.acl.name.empty();
        } else if ((svi_entries += acl->second.entries.size()) > kMaxConfigAclEntries) {
            // One big filter on many IRBs would multiply memory; its findings are "unknown".
            warn(irb->second.line, nullptr, fmt::format("more than {} filter entries on the IRBs: not read",
                                                        kMaxConfigAclEntries));
            out_.acls[svi.acl.name].fully_understood = false;
        } else if (last_reader) {
            svi.acl.entries = std::move(acl->second.entries);
        } else {
            svi.acl.entries = acl->second.entries;
        }
        out_.svis[svi.vlan] = parsed;
        // After the ports: an assignment, as if a port had the name (a crafted config).
        out_.set_interface_line(v.l3_interface, irb->second.line);
        out_.set_interface_line(fmt::format("Vlan{}", svi.vlan), irb->second.line);
        sw.svis.push_back(std::move(svi));
    }
    std::sort(sw.svis.begin(), sw.svis.end(), [](const SviIntent& a, const SviIntent& b) { return a.vlan < b.vlan; });
}

void JunosParser::convert() {
    auto& sw = out_.as_built;
    for (const auto& [name, v] : vlans_) {
        if (v.ids.empty()) warn(v.line, nullptr, fmt::format("VLAN {} has no vlan-id", name));
        for (int id : v.ids) sw.vlans.push_back({id, std::string(v.ids.size() == 1 ? name : std::string_view{}), {}, false});
    }
    std::sort(sw.vlans.begin(), sw.vlans.end(), [](const VlanIntent& a, const VlanIntent& b) { return a.id < b.id; });
    convert_filters();  // first: a port's isolation depends on its filter
    convert_ports();
    convert_svis();
    // As on IOS/EOS: a VLAN is isolated on this switch when it has access ports, all isolated.
    std::set<int> with_ports, open;
    for (const auto& p : sw.access_ports) (p.isolated ? with_ports : open).insert(p.vlan);
    for (auto& v : sw.vlans) v.isolated = with_ports.count(v.id) && !open.count(v.id);
}

}  // namespace

ParsedConfig parse_junos(std::string_view text) { return JunosParser().run(text); }

}  // namespace microseg
