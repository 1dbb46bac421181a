#include "audit/parse/ios/acl_entry.hpp"

#include "audit/parse/ios/words.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <boost/container/small_vector.hpp>

namespace microseg {
namespace {

struct Cursor {
    std::span<const std::string_view> t;
    std::size_t i = 0;
    bool done() const { return i >= t.size(); }
    std::string_view peek() const { return done() ? std::string_view{} : t[i]; }
    std::string_view next() { return done() ? std::string_view{} : t[i++]; }
};

std::optional<Protocol> protocol_of(std::string_view w) {
    if (auto p = parse_protocol(w)) return p;
    if (is(w, "6")) return Protocol::tcp;
    if (is(w, "17")) return Protocol::udp;
    if (is(w, "1")) return Protocol::icmp;
    return std::nullopt;
}

// host A | A WILDCARD | A/len, after its first word `w`, into `out`. (Addresses are written in
// place: an optional<Cidr> returned through two calls was a fifth of reading an ACL entry.)
bool read_address_words(std::string_view w, Cursor& c, std::string& error, IosAclMemo::Address& memo, Cidr& out) {
    if (is(w, "host")) {
        auto a = IpAddress::parse(c.next());
        if (!a) return error = "bad host address", false;
        out = {*a, a->bits()};
        return true;
    }
    if (std::find(w.begin(), w.end(), '/') != w.end()) {  // (inline: memchr's call cost more on short words)
        auto cidr = Cidr::parse_interface(w);
        if (!cidr) return error = fmt::format("bad prefix '{}'", w), false;
        out = *cidr;
        return true;
    }
    auto a = IpAddress::parse(w);
    auto wildcard_word = c.next();
    std::optional<IpAddress> wildcard;
    if (!memo.wildcard_word.empty() && wildcard_word == memo.wildcard_word) wildcard = memo.wildcard;
    else if ((wildcard = IpAddress::parse(wildcard_word))) memo.wildcard_word = wildcard_word, memo.wildcard = *wildcard;
    if (!a || !wildcard) return error = fmt::format("bad address '{}'", w), false;
    IpAddress mask{wildcard->family, ~wildcard->value & (wildcard->family == IpFamily::v4 ? 0xffffffffu : ~Uint128{0})};
    bool contiguous = false;
    out = Cidr::from_mask(*a, mask, &contiguous);
    if (!contiguous) return error = fmt::format("non-contiguous wildcard {}", *wildcard), false;
    return true;
}

// any | host A | A WILDCARD | A/len into `out`. The words decide the form, so the same words read
// the same.
bool read_address(Cursor& c, std::string& error, IosAclMemo::Address& memo, Cidr& out) {
    auto w = c.next();
    if (is(w, "any")) {
        out = Cidr{};
        return true;
    }
    if (!memo.first.empty() && w == memo.first && (memo.second.empty() || c.peek() == memo.second)) {
        if (!memo.second.empty()) c.next();
        out = memo.cidr;
        return true;
    }
    std::size_t words = c.i;
    if (!read_address_words(w, c, error, memo, out)) return false;
    memo.first = w;
    memo.second = c.i > words ? c.t[words] : std::string_view{};
    memo.cidr = out;
    return true;
}

constexpr std::size_t kMaxIosEqPorts = 10;

// The port ranges of one side of an entry; a valid line never needs the heap for them.
using PortRanges = boost::container::small_vector<PortRange, kMaxIosEqPorts + 1>;

bool is_port_operator(std::string_view w) {
    return is(w, "eq") || is(w, "neq") || is(w, "lt") || is(w, "gt") || is(w, "range");
}

// eq P [P..] | neq P | lt P | gt P | range P Q -> the port ranges it matches, into `out`; all
// ports when there is no operator (always for protocols without ports). False on an error.
bool read_ports(Cursor& c, Protocol proto, PortRanges& out, std::string& error) {
    bool has_ports = proto == Protocol::tcp || proto == Protocol::udp;
    if (!has_ports || !is_port_operator(c.peek())) {
        out.push_back(PortRange{});
        return true;
    }
    auto op = c.next();
    auto port = [&]() -> std::optional<std::uint16_t> {
        auto w = c.next();
        auto p = ios_port_number(w, proto);
        if (!p) error = fmt::format("unknown port '{}'", w);
        return p;
    };
    if (is(op, "eq")) {
        do {
            auto p = port();
            if (!p) return false;
            out.push_back({*p, *p});
        } while (!c.done() && ios_port_number(c.peek(), proto));
        // IOS takes at most 10 ports after eq; more on both sides would multiply into
        // (source ports x destination ports) entries.
        if (out.size() > kMaxIosEqPorts) return error = fmt::format("more than {} ports after eq", kMaxIosEqPorts), false;
    } else if (is(op, "range")) {
        auto a = port(), b = port();
        if (!a || !b || *a > *b) return error = error.empty() ? "bad port range" : error, false;
        out.push_back({*a, *b});
    } else {
        auto p = port();
        if (!p) return false;
        if (is(op, "lt") && *p > 0) out.push_back({0, static_cast<std::uint16_t>(*p - 1)});
        if (is(op, "gt") && *p < 65535) out.push_back({static_cast<std::uint16_t>(*p + 1), 65535});
        if (is(op, "neq")) {
            if (*p > 0) out.push_back({0, static_cast<std::uint16_t>(*p - 1)});
            if (*p < 65535) out.push_back({static_cast<std::uint16_t>(*p + 1), 65535});
        }
    }
    return true;
}

// Trailing words: established, log, log-input, echo-reply; anything else is not understood.
// `e` holds the protocol and gets the flags.
bool read_options(Cursor& c, AclEntry& e, std::string& error) {
    while (!c.done()) {
        auto w = c.next();
        if (is(w, "log") || is(w, "log-input")) {
            e.log = true;
        } else if (is(w, "established") && e.protocol == Protocol::tcp) {
            e.established = true;
        } else if (is(w, "echo-reply") && e.protocol == Protocol::icmp) {
            e.established = true;
        } else {
            error = fmt::format("unsupported option '{}'", w);
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<std::uint16_t> ios_port_number(std::string_view word, Protocol protocol) {
    if (auto n = decimal(word, 65535)) return static_cast<std::uint16_t>(*n);
    // No name starts with a digit: the address that follows "eq 22" needs no search.
    if (word.empty() || (word[0] >= '0' && word[0] <= '9')) return std::nullopt;
    static const std::map<std::string_view, std::uint16_t, std::less<>> tcp = {
        {"bgp", 179}, {"domain", 53}, {"ftp", 21}, {"ftp-data", 20}, {"ldap", 389}, {"ldaps", 636},
        {"www", 80}, {"http", 80}, {"https", 443}, {"smtp", 25}, {"ssh", 22}, {"telnet", 23},
        {"lpd", 515}, {"pop3", 110}, {"imap", 143}, {"kerberos", 88}, {"sunrpc", 111}};
    static const std::map<std::string_view, std::uint16_t, std::less<>> udp = {
        {"bootpc", 68}, {"bootps", 67}, {"domain", 53}, {"ntp", 123}, {"snmp", 161},
        {"snmptrap", 162}, {"syslog", 514}, {"tftp", 69}, {"radius", 1812}, {"kerberos", 88},
        {"sip", 5060}, {"isakmp", 500}};
    const auto& table = protocol == Protocol::udp ? udp : tcp;
    auto it = table.find(word);
    if (it == table.end()) return std::nullopt;
    return it->second;
}

IosAclLine parse_ios_acl_line(std::span<const std::string_view> tokens, std::vector<AclEntry>& entries,
                              IosAclMemo& memo) {
    IosAclLine out;
    Cursor c{tokens};
    auto action = c.next();
    if (is(action, "remark")) {
        out.is_remark = true;
        return out;
    }
    if (!is(action, "permit") && !is(action, "deny")) {
        out.error = fmt::format("'{}' is not permit, deny or remark", action);
        return out;
    }
    // Object-groups are not expanded: the entry is "not understood", so the findings of its ACL
    // are "unknown" rather than read from a guess.
    for (auto w : tokens)
        if (is(w, "object-group")) return out.error = "object-group not expanded", out;
    auto proto = protocol_of(c.next());
    if (!proto) {
        out.error = fmt::format("unsupported protocol '{}'", tokens.size() > 1 ? tokens[1] : "");
        return out;
    }
    AclEntry base;
    base.action = is(action, "permit") ? AclAction::permit : AclAction::deny;
    base.protocol = *proto;
    PortRanges src_ports, dst_ports;
    if (!read_address(c, out.error, memo.source, base.source) || !read_ports(c, base.protocol, src_ports, out.error))
        return out;
    if (!read_address(c, out.error, memo.destination, base.destination) ||
        !read_ports(c, base.protocol, dst_ports, out.error) || !read_options(c, base, out.error))
        return out;
    // Each entry is made in place, field by field: a copy of `base` copied its (empty) remark too.
    for (const auto& sp : src_ports) {
        for (const auto& dp : dst_ports) {
            AclEntry& e = entries.emplace_back();
            e.action = base.action;
            e.protocol = base.protocol;
            e.source = base.source;
            e.destination = base.destination;
            e.source_ports = sp;
            e.destination_ports = dp;
            e.established = base.established;
            e.log = base.log;
        }
    }
    out.entries = src_ports.size() * dst_ports.size();
    return out;
}

IosAclLine parse_ios_standard_acl_line(std::span<const std::string_view> tokens, std::vector<AclEntry>& entries,
                                       IosAclMemo& memo) {
    if (tokens.size() < 2 || !(is(tokens[0], "permit") || is(tokens[0], "deny")))
        return parse_ios_acl_line(tokens, entries, memo);  // a remark, or the error it gives
    boost::container::small_vector<std::string_view, 8> t{tokens[0], "ip"};
    std::size_t i = 1;
    auto src = tokens[i];
    if (is(src, "any") || std::find(src.begin(), src.end(), '/') != src.end()) {
        t.push_back(src), i += 1;
    } else if (is(src, "host") || (i + 1 < tokens.size() && IpAddress::parse(tokens[i + 1]))) {
        t.insert(t.end(), {src, i + 1 < tokens.size() ? tokens[i + 1] : std::string_view{}}), i += 2;
    } else {
        t.insert(t.end(), {"host", src}), i += 1;  // an address alone is a host
    }
    t.push_back("any");
    t.insert(t.end(), tokens.begin() + static_cast<std::ptrdiff_t>(std::min(i, tokens.size())), tokens.end());
    return parse_ios_acl_line(std::span<const std::string_view>(t.data(), t.size()), entries, memo);
}

}  // namespace microseg
