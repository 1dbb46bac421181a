#include "audit/parse/ios/ios_style_parser.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <map>
#include <set>
#include <span>
#include <unordered_set>

#include <fmt/format.h>

#include "audit/parse/ios/acl_entry.hpp"
#include "audit/parse/ios/blocks.hpp"
#include "audit/parse/ios/gateway.hpp"
#include "audit/parse/ios/ports.hpp"
#include "audit/parse/ios/vlan_set.hpp"
#include "audit/parse/ios/words.hpp"
#include "model/interface_name.hpp"
#include "model/interface_range.hpp"
#include "model/isolation_acl.hpp"

namespace microseg {
namespace {

std::optional<int> vlan_id(std::string_view s) {
    auto v = decimal(s, 4094);
    if (!v || *v < 1) return std::nullopt;
    return static_cast<int>(*v);
}

// "110,120-125" -> ids; nullopt if any part is not a VLAN id or range.
std::optional<VlanSet> vlan_list(std::string_view s) { return parse_vlan_list(s); }

// The words below mostly differ in length, first or last letter: hashing those is enough (the
// standard hash of the whole word was most of a lookup, made for most interface lines).
struct CommandHash {
    std::size_t operator()(std::string_view w) const {
        return w.empty() ? 0 : w.size() * 961 + static_cast<unsigned char>(w.front()) * 31 + static_cast<unsigned char>(w.back());
    }
};
using CommandSet = std::unordered_set<std::string_view, CommandHash>;

// Top-level commands with nothing for the audit: read silently (they are not drift).
bool ignored_top_level(std::string_view first) {
    static const CommandSet ignored = {
        "version", "service", "hostname", "boot", "logging", "ntp", "snmp-server", "username",
        "enable", "aaa", "line", "spanning-tree", "clock", "vtp", "transceiver", "errdisable",
        "power", "license", "diagnostic", "memory", "control-plane", "redundancy", "archive",
        "platform", "call-home", "system", "management", "router", "radius", "tacacs",
        "tacacs-server", "radius-server", "ip", "ipv6", "no", "crypto", "daemon", "alias",
        "event-handler", "queue-monitor", "dot1x", "lldp", "cdp", "mac", "vrf", "key", "login",
        "exec", "terminal", "file", "monitor", "sflow", "feature", "switch", "class-map",
        "policy-map", "track", "access-session", "device-tracking", "multilink", "port-channel",
        "Building", "Current", "Last", "NVRAM", "end",
        // IOS: route policy, boot-variable markers, object-groups (read where an ACL uses them:
        // such an entry is "not understood", see acl_entry.cpp); EOS: the MLAG peer session.
        "route-map", "boot-start-marker", "boot-end-marker", "object-group", "mlag", "interface-range"};
    return ignored.count(first) > 0;
}

bool ignored_interface_command(std::string_view first) {
    static const CommandSet ignored = {
        "description", "no", "shutdown", "spanning-tree", "speed", "duplex", "mtu", "power",
        "channel-group", "load-interval", "storm-control", "authentication", "dot1x", "mab",
        "lldp", "cdp", "negotiation", "logging", "flowcontrol", "ipv6", "vrf", "service-policy",
        "udld", "snmp", "carrier-delay", "bandwidth", "ip",
        // MLAG/LACP settings: nothing the audit compares.
        "mlag", "lacp", "hold-queue", "keepalive", "media-type", "ipv4"};
    return ignored.count(first) > 0;
}

using Line = IosLine;
using Block = std::span<const IosLine>;
using Words = std::span<const std::string_view>;

// "Vlan110" or "vlan110" (written out: starts_with costs a call per port). The letters of a
// range's names are in its prefix.
bool svi_name(std::string_view name) {
    return name.size() >= 4 && (name[0] == 'V' || name[0] == 'v') && name.compare(1, 3, "lan") == 0;
}

// Kept on the thread from one parse to the next (one parse at a time per thread): a parse of a
// small config allocated them anew each time.
struct Buffers {
    std::vector<InterfaceSpan> spans;  // of the interface block being read
    std::string joined;                // "interface range Gi1/0/1 - 36": the words joined
    std::string name;                  // a port's name, built by InterfaceSpan::for_each_name
};

Buffers& thread_buffers() {
    thread_local Buffers buffers;
    return buffers;
}

struct InterfaceState {
    int line = 0;
    bool trunk = false;
    bool access_mode = false;
    // EOS "switchport mode trunk phone": the data device untagged in the native VLAN, the phone
    // tagged (EOS manual, "Phone VLAN"). Read as an access port of the native VLAN.
    bool phone_trunk = false;
    std::optional<int> native_vlan;
    std::optional<int> access_vlan;
    std::optional<unsigned> channel;  // "channel-group N mode ...": a member of Port-channel N
    bool protected_port = false;      // "switchport protected"
    // Nothing for the default, every VLAN on a trunk (IOS and EOS): a block without an allowed
    // line (most, as devices print a block per port) copies no 512-byte set (that copy was a
    // third of reading such a block).
    std::optional<VlanSet> allowed;
    const VlanSet& allowed_vlans() const { return allowed ? *allowed : VlanSet::all(); }
    std::string acl_in;
    int acl_line = 0;
    std::string acl_out;
    int acl_out_line = 0;
    IosGateway gateway;  // the addresses, physical and virtual
};

class IosStyleParser {
public:
    IosStyleParser(const IosParseDialect& d) : dialect_(d) {}
    ParsedConfig run(std::string_view text);

private:
    void top_level(Block block);
    void vlan_block(Block block, std::string_view ids);
    void interface_block(Block block, std::string_view name);
    void interface_command(InterfaceState& s, const Line& l);
    void acl_block(Block block, std::string_view name, bool standard);
    void numbered_acl_line(const Line& l);
    void acl_entry(Acl& acl, ParsedAcl& parsed, const Line& l, Words tokens, bool standard, IosAclMemo& memo);
    void switchport(InterfaceState& s, const Words& w, const Line& l);
    void finish_interfaces(const InterfaceState& s, const InterfaceSpan& span);
    void resolve_members();
    void resolve_port_acls();
    void attach_acls();
    void finish();
    // interface_lines.others[name] = line, inserted next to the last name: configs print
    // interfaces in order, and that order is mostly the map's too (Ethernet11 after Ethernet10,
    // before Ethernet2), so most inserts cost two comparisons rather than a search from the
    // root (a tenth of reading a switch's one block per port).
    void add_other_line(std::string&& name, int line) {
        last_other_ = out_.interface_lines.others.insert_or_assign(last_other_, std::move(name), line);
    }
    void warn(const Line& l, std::string reason) {
        out_.warnings.push_back({l.number, std::string(l.text), std::move(reason)});
    }

    IosParseDialect dialect_;
    ParsedConfig out_;
    std::map<std::string, Acl> acls_;
    VlanSet declared_vlans_;
    std::map<int, std::string> vlan_names_;
    std::size_t interfaces_read_ = 0;  // expanded names, against kMaxConfigInterfaces
    Buffers& buffers_ = thread_buffers();
    IosPortList ports_;
    // Port-channel members without L2 settings of their own take their port-channel's, which may
    // come later in the file (EOS prints Ethernet before Port-Channel).
    struct Member {
        std::string name;
        unsigned channel;
        int line;
    };
    std::vector<Member> members_;
    std::map<unsigned, InterfaceState> channels_;
    // Access ports with an inbound ACL: isolated only if it is microseg's isolation ACL, known
    // once every ACL is read.
    struct PortAcl {
        std::size_t span;  // in ports_
        std::vector<std::string> ports;  // its names (the span views a reused buffer)
        std::string acl;
        int line;
    };
    std::vector<PortAcl> port_acls_;
    std::map<std::string, int, std::less<>>::iterator last_other_ = out_.interface_lines.others.end();
    std::set<std::string, std::less<>>::iterator last_protected_ = out_.protected_ports.end();
};

ParsedConfig IosStyleParser::run(std::string_view text) {
    out_.as_built.platform = dialect_.platform;
    out_.read_header(text);
    // A block at a time (buffers reused) rather than all lines first: no allocation the size of
    // the config.
    IosBlockReader reader(text, out_.skipped_lines);
    while (true) {
        auto block = reader.next();
        if (block.empty()) break;
        top_level(block);
    }
    finish();
    return std::move(out_);
}

void IosStyleParser::top_level(Block block) {
    const Line& head = block.front();
    const auto& w = head.words;
    if (head.indented) {
        warn(head, "indented line outside any section");
        return;
    }
    if (is(w[0], "vlan") && w.size() == 2) return vlan_block(block, w[1]);
    if (is(w[0], "vlan") && w.size() > 2 && (is(w[1], "internal") || is(w[1], "configuration"))) {
        out_.skipped_lines += block.size() - 1;  // EOS "vlan internal order ...": declares no VLAN
        return;
    }
    if (is(w[0], "access-list") && w.size() >= 3) {
        out_.skipped_lines += block.size() - 1;
        return numbered_acl_line(head);
    }
    if (is(w[0], "interface") && w.size() >= 2) {
        // "interface Ethernet1-24" (EOS), "interface range Gi1/0/1 - 36 , Gi1/0/40" (IOS) and
        // "interface Ethernet 1" (spaced) all name interfaces; spaces carry no meaning.
        std::size_t first = is(w[1], "range") ? 2 : 1;
        if (first + 1 == w.size()) return interface_block(block, w[first]);
        auto& joined = buffers_.joined;
        joined.clear();
        for (std::size_t i = first; i < w.size(); ++i) joined += w[i];
        return interface_block(block, joined);
    }
    if (is(w[0], "ip") && w.size() >= 3 && is(w[1], "access-list")) {
        // IOS: "ip access-list extended NAME"; EOS: "ip access-list NAME".
        bool standard = is(w[2], "standard");
        if ((standard || is(w[2], "extended")) && w.size() == 4) return acl_block(block, w[3], standard);
        if (w.size() == 3 && !standard) return acl_block(block, w[2], false);
        warn(head, "access-list form not supported");
        out_.skipped_lines += block.size() - 1;
        return;
    }
    if (ignored_top_level(w[0])) {
        out_.skipped_lines += block.size() - 1;
        return;
    }
    warn(head, "unrecognised command");
    out_.skipped_lines += block.size() - 1;
}

void IosStyleParser::vlan_block(Block block, std::string_view ids) {
    // "vlan 110", the usual block, declares one VLAN: no set to build for it.
    auto single = vlan_id(ids);
    auto list = single ? std::nullopt : vlan_list(ids);
    if (!single && !list) return warn(block.front(), "bad VLAN id");
    std::string name;
    for (std::size_t i = 1; i < block.size(); ++i) {
        const auto& w = block[i].words;
        if (is(w[0], "name") && w.size() >= 2) name = std::string(w[1]);
        else if (!is(w[0], "state") && !is(w[0], "private-vlan") && !is(w[0], "trunk")) warn(block[i], "unrecognised VLAN command");
    }
    if (single) {
        declared_vlans_.add(*single);
        vlan_names_[*single] = std::move(name);
        return;
    }
    declared_vlans_ |= *list;
    if (auto id = list->only_id()) vlan_names_[*id] = std::move(name);
}

void IosStyleParser::interface_block(Block block, std::string_view name) {
    // The names are built once each, where they are kept (a vector of names first was an
    // allocation per port more).
    auto& spans = buffers_.spans;
    if (plain_interface_name(name)) spans.assign(1, InterfaceSpan{name, 0, 0, false});
    else if (auto error = split_interface_range(name, spans)) return warn(block.front(), error->message);
    for (const auto& span : spans) interfaces_read_ += span.size();
    if (interfaces_read_ > kMaxConfigInterfaces)
        return warn(block.front(), fmt::format("more than {} interfaces in the configuration: not read",
                                               kMaxConfigInterfaces));
    InterfaceState s;
    s.line = block.front().number;
    for (std::size_t i = 1; i < block.size(); ++i) interface_command(s, block[i]);
    for (const auto& span : spans) finish_interfaces(s, span);
    bool port = std::any_of(spans.begin(), spans.end(), [](const InterfaceSpan& sp) { return !svi_name(sp.prefix); });
    if (port && !s.acl_out.empty())  // on an SVI it is an Uncertainty (finish_interfaces)
        out_.warnings.push_back({s.acl_out_line, fmt::format("ip access-group {} out", s.acl_out),
                                 "outbound ACL on a port: not part of the model"});
}

void IosStyleParser::interface_command(InterfaceState& s, const Line& l) {
    const auto& w = l.words;
    if (is(w[0], "switchport")) return switchport(s, w, l);
    std::string problem;
    if (s.gateway.read(w, l.number, problem)) {
        if (!problem.empty()) warn(l, std::move(problem));
        return;
    }
    if (is(w[0], "ip") && w.size() == 4 && is(w[1], "access-group")) {
        if (is(w[3], "in")) s.acl_in = std::string(w[2]), s.acl_line = l.number;
        else s.acl_out = std::string(w[2]), s.acl_out_line = l.number;
        return;
    }
    if (is(w[0], "channel-group") && w.size() >= 2) {
        if (auto n = decimal(w[1], 1u << 20)) s.channel = *n;
        return;
    }
    // "no switchport trunk allowed vlan": back to the default, every VLAN.
    if (is(w[0], "no") && w.size() >= 4 && is(w[1], "switchport") && is(w[2], "trunk") && is(w[3], "allowed"))
        return void(s.allowed.reset());
    if (!ignored_interface_command(w[0])) warn(l, "unrecognised interface command");
}

void IosStyleParser::switchport(InterfaceState& s, const Words& w, const Line& l) {
    auto at = [&](std::size_t i) { return i < w.size() ? w[i] : std::string_view{}; };
    if (w.size() == 1) return;  // plain "switchport": L2 mode, the default
    if (is(at(1), "mode")) {
        s.phone_trunk = is(at(2), "trunk") && is(at(3), "phone");
        s.trunk = is(at(2), "trunk") && !s.phone_trunk;
        s.access_mode = is(at(2), "access");
        if (!s.trunk && !s.access_mode && !s.phone_trunk) warn(l, "switchport mode not modelled");
        return;
    }
    if (is(at(1), "trunk") && is(at(2), "native") && is(at(3), "vlan")) {
        if (auto v = vlan_id(at(4))) s.native_vlan = *v;  // "native vlan tag" changes no VLAN
        return;
    }
    if (is(at(1), "access") && is(at(2), "vlan")) {
        auto v = vlan_id(at(3));
        if (!v) return warn(l, "bad access VLAN");
        s.access_vlan = *v;
        return;
    }
    // IOS protected ports isolate from each other on this one switch only; the VLAN spans
    // others, so it is no evidence of isolation (DESIGN "Isolation"): drift ignores it, verify
    // emulates it (ParsedConfig::protected_ports).
    if (is(at(1), "protected")) return void(s.protected_port = true);
    if (is(at(1), "isolated")) return;
    if (is(at(1), "trunk") && is(at(2), "allowed") && is(at(3), "vlan")) {
        auto verb = at(4);
        if (is(verb, "all")) return void(s.allowed.reset());
        if (is(verb, "none")) return void(s.allowed = VlanSet{});
        bool has_verb = is(verb, "add") || is(verb, "remove") || is(verb, "except");
        auto list = vlan_list(has_verb ? at(5) : verb);
        if (!list) return warn(l, "bad VLAN list");
        if (is(verb, "add")) {
            if (!s.allowed) s.allowed = VlanSet::all();
            *s.allowed |= *list;
        } else if (is(verb, "remove")) {
            s.allowed = s.allowed_vlans().without(*list);
        } else if (is(verb, "except")) {
            s.allowed = VlanSet::all().without(*list);
        } else {
            s.allowed = *list;
        }
        return;
    }
    if (is(at(1), "trunk") || is(at(1), "nonegotiate") || is(at(1), "port-security") ||
        is(at(1), "voice") || is(at(1), "host") || is(at(1), "phone") || is(at(1), "backup-link"))
        return;
    warn(l, "unrecognised switchport command");
}

// "Port-channel10" (IOS), "Port-Channel10" (EOS), "Po10": the channel's number.
std::optional<unsigned> port_channel_number(const InterfaceSpan& span) {
    std::string_view name = span.prefix;
    // Most names are ports: their first letter settles it before find_first_of, which calls
    // memchr for every letter ("GigabitEthernet": 15 calls a port).
    if (name.empty() || (name[0] | 0x20) != 'p') return std::nullopt;
    std::size_t digits = name.find_first_of("0123456789");
    if (digits == std::string_view::npos || digits < 2) return std::nullopt;
    auto letters = name.substr(0, digits);
    auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); };
    std::string_view full = "port-channel";
    if (letters.size() > full.size()) return std::nullopt;
    for (std::size_t i = 0; i < letters.size(); ++i)
        if (lower(letters[i]) != full[i]) return std::nullopt;
    auto n = decimal(name.substr(digits), 1u << 20);
    if (!n) return std::nullopt;
    return *n;
}

// The interfaces of one item of an interface block, all configured by `s`. Lines are kept as a
// map would keep them: a name defined again has the later line (config lines come in order).
void IosStyleParser::finish_interfaces(const InterfaceState& s, const InterfaceSpan& span) {
    auto& sw = out_.as_built;
    if (auto pc = port_channel_number(span); pc && !span.range) channels_.insert_or_assign(*pc, s);
    if (!svi_name(span.prefix) && !s.trunk && (s.access_mode || s.access_vlan || s.phone_trunk)) {
        if (!s.acl_in.empty()) {
            std::vector<std::string> names;
            span.for_each_name(buffers_.name, [&](std::string_view n) { names.emplace_back(n); });
            port_acls_.push_back({ports_.span_count(), std::move(names), s.acl_in, s.acl_line});
        }
        if (s.protected_port)
            span.for_each_name(buffers_.name, [&](std::string_view n) {
                last_protected_ = out_.protected_ports.emplace_hint(last_protected_, n);  // as add_other_line
            });
        int vlan = s.phone_trunk ? s.native_vlan.value_or(1) : s.access_vlan.value_or(1);
        return ports_.add(span, vlan, /*isolated=*/false, s.line);  // resolve_port_acls decides
    }
    bool member = s.channel && !s.trunk && !svi_name(span.prefix);
    for (unsigned n = span.first; n <= span.last; ++n) {
        if (member) members_.push_back({span.name(n), *s.channel, s.line});
        auto name = span.name(n);
        if (svi_name(span.prefix)) {
            if (auto id = vlan_id(std::string_view(name).substr(4))) {
                SviIntent svi;
                svi.vlan = *id;
                std::vector<SviAddress> own;
                svi.addresses = s.gateway.addresses(name, out_.uncertain, own);
                svi.acl.name = s.acl_in;
                if (!s.acl_out.empty())
                    out_.uncertain.push_back({UncertainKind::svi_outbound_acl, name, s.acl_out_line,
                                              fmt::format("outbound ACL {}", s.acl_out)});
                sw.svis.push_back(std::move(svi));
                out_.svis[*id] = ParsedSvi{s.line, s.acl_in, true, std::move(own)};
            }
            add_other_line(std::move(name), s.line);
        } else if (s.trunk) {
            sw.trunks.emplace_back(std::move(name), s.allowed_vlans().id_set());
            out_.interface_lines.trunks.push_back(s.line);
        } else {
            add_other_line(std::move(name), s.line);
        }
    }
}

void IosStyleParser::acl_block(Block block, std::string_view name, bool standard) {
    Acl acl;
    acl.name = std::string(name);
    ParsedAcl parsed;
    parsed.line = block.front().number;
    acl.entries.reserve(block.size() - 1);  // about one entry a line
    parsed.entry_lines.reserve(block.size() - 1);
    IosAclMemo memo;
    for (std::size_t i = 1; i < block.size(); ++i) acl_entry(acl, parsed, block[i], block[i].words, standard, memo);
    out_.acls[acl.name] = std::move(parsed);
    acls_[acl.name] = std::move(acl);
}

// "access-list 111 permit tcp ...": a line per entry, each its own block. 1-99 and 1300-1999
// are standard lists (source only), 100-199 and 2000-2699 extended (IOS Security Configuration
// Guide, "IP Access List Overview").
void IosStyleParser::numbered_acl_line(const Line& l) {
    auto n = decimal(l.words[1], 2699);
    bool standard = n && ((*n >= 1 && *n <= 99) || *n >= 1300) && *n <= 1999;
    bool extended = n && ((*n >= 100 && *n <= 199) || *n >= 2000);
    if (!standard && !extended) return warn(l, "access-list number is not an IPv4 standard or extended list");
    std::string name(l.words[1]);
    auto& acl = acls_[name];
    auto& parsed = out_.acls[name];
    if (acl.name.empty()) acl.name = name, parsed.line = l.number;
    IosAclMemo memo;  // its views would outlive nothing: each line is its own block
    acl_entry(acl, parsed, l, l.words.subspan(2), standard, memo);
}

void IosStyleParser::acl_entry(Acl& acl, ParsedAcl& parsed, const Line& l, Words tokens, bool standard,
                               IosAclMemo& memo) {
    if (std::all_of(tokens[0].begin(), tokens[0].end(), [](char c) { return c >= '0' && c <= '9'; }))
        tokens = tokens.subspan(1);  // sequence number
    // EOS "statistics per-entry" / "counters per-entry": counting, no entry.
    if (tokens.empty() || is(tokens[0], "statistics") || is(tokens[0], "counters")) return;
    auto entry = standard ? parse_ios_standard_acl_line(tokens, acl.entries, memo)
                          : parse_ios_acl_line(tokens, acl.entries, memo);
    if (!entry.error.empty()) {
        warn(l, "ACL entry not understood: " + entry.error);
        parsed.fully_understood = false;
        return;
    }
    parsed.entry_lines.insert(parsed.entry_lines.end(), entry.entries, l.number);
}

void IosStyleParser::resolve_members() {
    for (auto& m : members_) {
        auto pc = channels_.find(m.channel);
        if (pc == channels_.end()) continue;
        const auto& s = pc->second;
        if (s.trunk) {
            out_.as_built.trunks.emplace_back(std::move(m.name), s.allowed_vlans().id_set());
            out_.interface_lines.trunks.push_back(m.line);
        } else if (s.access_mode || s.access_vlan || s.phone_trunk) {
            int vlan = s.phone_trunk ? s.native_vlan.value_or(1) : s.access_vlan.value_or(1);
            ports_.add(InterfaceSpan{m.name, 0, 0, false}, vlan, /*isolated=*/false, m.line);
        }
    }
}

// An inbound ACL on an access port (IOS and EOS) isolates it only when it is the isolation ACL
// microseg emits (MS_ISO_<class>: its isolated peers denied, model/isolation_acl.hpp); any
// other ACL, or one never defined, is no evidence of isolation (the old reading counted any
// ACL, even a missing one).
void IosStyleParser::resolve_port_acls() {
    for (const auto& p : port_acls_) {
        auto acl = acls_.find(p.acl);
        bool defined = acl != acls_.end();
        bool ours = defined && p.acl.starts_with("MS_ISO_") && out_.acls[p.acl].fully_understood &&
                    has_isolation_shape(acl->second.entries);
        if (defined && out_.acls[p.acl].fully_understood)
            for (const auto& port : p.ports) out_.keep_port_acl(acl->second, port);
        if (ours) {
            ports_.set_isolated(p.span);
            for (const auto& port : p.ports) out_.keep_isolation_acl(acl->second, port);
        } else if (defined) {  // it may well deny the class's peers: the verdict is "unknown"
            for (const auto& port : p.ports)
                out_.uncertain.push_back({UncertainKind::port_isolation, port, p.line,
                                          fmt::format("port ACL {} is not an isolation ACL microseg reads", p.acl)});
        } else {
            out_.warnings.push_back({p.line, "ip access-group " + p.acl + " in",
                                     "port ACL not defined: the port is not isolated"});
        }
    }
}

// Gives each SVI the entries of the ACL it applies. acls_ is not needed after this, so the last
// SVI of an ACL takes the entries over rather than copying them.
void IosStyleParser::attach_acls() {
    auto& sw = out_.as_built;
    std::vector<Acl*> source(sw.svis.size(), nullptr);  // by SVI: the ACL to take entries from
    std::map<const Acl*, int> takers;
    std::size_t entries = 0;  // copied to SVIs, against kMaxConfigAclEntries
    for (std::size_t i = 0; i < sw.svis.size(); ++i) {
        const auto& svi = sw.svis[i];
        auto& parsed = out_.svis[svi.vlan];
        if (svi.acl.name.empty()) continue;
        auto it = acls_.find(svi.acl.name);
        parsed.acl_exists = it != acls_.end();
        if (!parsed.acl_exists) continue;
        entries += it->second.entries.size();
        if (entries > kMaxConfigAclEntries) {
            // One huge ACL on thousands of SVIs would multiply memory; its findings are "unknown".
            out_.acls[svi.acl.name].fully_understood = false;
            out_.warnings.push_back({parsed.line, "interface Vlan" + std::to_string(svi.vlan),
                                     fmt::format("more than {} ACL entries on the SVIs: not read", kMaxConfigAclEntries)});
            continue;
        }
        source[i] = &it->second;
        ++takers[source[i]];
    }
    for (std::size_t i = 0; i < sw.svis.size(); ++i) {
        if (!source[i]) continue;
        if (--takers[source[i]] == 0) sw.svis[i].acl.entries = std::move(source[i]->entries);
        else sw.svis[i].acl.entries = source[i]->entries;
    }
}

void IosStyleParser::finish() {
    auto& sw = out_.as_built;
    auto ids = declared_vlans_.ids();
    sw.vlans.reserve(ids.size());
    for (int id : ids) {
        auto name = vlan_names_.find(id);
        sw.vlans.push_back(VlanIntent{id, name == vlan_names_.end() ? std::string() : std::move(name->second), {}, false});
    }
    resolve_port_acls();
    attach_acls();
    resolve_members();
    ports_.finish(sw.access_ports, out_.interface_lines.access_ports);
    // Configs list interfaces in order, and the natural-order comparison is not cheap.
    auto by_name = [](const auto& a, const auto& b) { return interface_less(a.interface, b.interface); };
    if (!std::is_sorted(sw.trunks.begin(), sw.trunks.end(), by_name))
        sort_by_interface(sw.trunks, [](const auto& t) -> std::string_view { return t.interface; }, &out_.interface_lines.trunks);
    std::sort(sw.svis.begin(), sw.svis.end(), [](const SviIntent& a, const SviIntent& b) { return a.vlan < b.vlan; });
    std::sort(sw.vlans.begin(), sw.vlans.end(), [](const VlanIntent& a, const VlanIntent& b) { return a.id < b.id; });
    // A VLAN is isolated on this switch when it has access ports and all of them are isolated.
    VlanSet with_ports, with_open_ports;
    for (const auto& p : sw.access_ports) {
        with_ports.add(p.vlan);
        if (!p.isolated) with_open_ports.add(p.vlan);
    }
    for (auto& v : sw.vlans) v.isolated = with_ports.contains(v.id) && !with_open_ports.contains(v.id);
}

}  // namespace

ParsedConfig parse_ios_style(std::string_view text, const IosParseDialect& dialect) {
    return IosStyleParser(dialect).run(text);
}

}  // namespace microseg
