#include "audit/parse/nftables/rules.hpp"
#include "audit/parse/nftables/values.hpp"

#include <algorithm>
#include <list>
#include <set>
#include <string_view>

namespace microseg::nft {

bool Cube::is_everything() const {
    return families == (kV4 | kV6) && !source.set && !destination.set && protocol == Protocol::ip &&
           source_ports.is_all() && destination_ports.is_all() && !echo_reply;
}

using detail::family_bit;

namespace {
// `p` as a Cidr, or any address of `family` (prefix length 0) when it is not set.
void set_cidr(Cidr& out, const Prefix& p, IpFamily family) {
    out.network.family = p.set ? p.family : family;
    out.network.value = p.set ? p.value() : Uint128{0};
    out.prefix_len = p.set ? p.len : 0;
}
}  // namespace

void append_product(const Cube* a, std::size_t a_size, const Cube* b, std::size_t b_size, std::vector<Cube>& out) {
    for (std::size_t i = 0; i < a_size; ++i)
        for (std::size_t j = 0; j < b_size; ++j) {
            out.push_back(a[i]);  // met in place: see push_meet in parse_nftables.cpp
            if (!meet(out.back(), b[j])) out.pop_back();
        }
}

void append_entries(const Cube& c, AclAction action, bool log, std::vector<AclEntry>& out) {
    for (IpFamily fam : {IpFamily::v4, IpFamily::v6}) {
        if (!(c.families & family_bit(fam))) continue;
        // A copy of a blank entry: emplace_back() value-initialises, zeroing the entry with a
        // `rep stos` first, 2.5 times slower.
        static const AclEntry kBlank;
        AclEntry& e = out.emplace_back(kBlank);
        e.action = action;
        e.log = log;
        e.protocol = c.protocol;
        // Field by field: a Cidr built and then copied stalled on store forwarding.
        set_cidr(e.source, c.source, fam);
        set_cidr(e.destination, c.destination, fam);
        e.source_ports = c.source_ports;
        e.destination_ports = c.destination_ports;
        e.established = c.echo_reply;
    }
}

namespace {

// `s == literal`, compiled in place (the string_view operator called memcmp).
template <std::size_t N>
bool equal(std::string_view s, const char (&literal)[N]) {
    return s.size() == N - 1 && std::char_traits<char>::compare(s.data(), literal, N - 1) == 0;
}

// Buffers reused from rule to rule: allocating them for every rule was most of reading one.
struct Scratch {
    std::vector<std::string_view> values;
    std::vector<Cidr> cidrs;
    std::vector<PortRange> ranges;
    std::vector<Cube> alternatives;
    std::vector<Cube> product;
};

class RuleReader {
public:
    // The rule's cubes are built in place at the end of `cubes`, from `base_` on.
    RuleReader(const std::vector<Token>& t, std::uint8_t families, const NamedSets& sets, Scratch& scratch,
               std::vector<Cube>& cubes, std::vector<std::string_view>& targets, Rule& rule, std::string& why)
        : t_(t), n_(t.size()), sets_(sets), s_(scratch), cubes_(cubes), targets_(targets), base_(cubes.size()),
          rule_(rule), why_(why) {
        // Built in place: a local cube copied in was reloaded wide right after its narrow
        // stores (a store-forwarding stall, a quarter of this function).
        cubes_.emplace_back().families = families;
        if (!t.empty()) rule_.line = t.front().line;
    }

    void read() {
        while (i_ < n_ && why_.empty()) step();
        if (why_.empty()) decide_conntrack();
        rule_.first_cube = static_cast<std::uint32_t>(base_);
        rule_.cube_count = static_cast<std::uint32_t>(cubes_.size() - base_);
    }

private:
    bool at(std::string_view s, std::size_t ahead = 0) const {
        return i_ + ahead < n_ && t_[i_ + ahead].is(s);
    }
    void fail(std::string why) {
        if (why_.empty()) why_ = std::move(why);
    }
    std::size_t cube_count() const { return cubes_.size() - base_; }
    void narrow(const std::vector<Cube>& alternatives) {
        if (cube_count() * alternatives.size() > kMaxRuleCubes)
            return fail(fmt::format("its sets multiply to more than {} matches", kMaxRuleCubes));
        if (alternatives.size() != 1) {
            auto& p = s_.product;
            p.clear();
            append_product(cubes_.data() + base_, cube_count(), alternatives.data(), alternatives.size(), p);
            cubes_.resize(base_);
            cubes_.insert(cubes_.end(), p.begin(), p.end());
            return;
        }
        narrow_by(alternatives.front());
    }
    // One alternative (`ip daddr 10.1.0.0/16`, most matches): the product in place.
    void narrow_by(const Cube& only) {
        std::size_t kept = base_;
        for (std::size_t i = base_; i < cubes_.size(); ++i)
            if (meet(cubes_[i], only)) {
                if (kept != i) cubes_[kept] = cubes_[i];
                ++kept;
            }
        cubes_.resize(kept);
    }

    // narrow_by(a cube of `family` matching only the prefix on the source or destination),
    // field by field from registers. Built in memory as that cube and met, the prefix was read
    // back wide right after being written narrowly: a store-forwarding stall per address.
    void narrow_address(bool source, IpFamily family, std::uint64_t high, std::uint64_t low, std::uint8_t len) {
        const Prefix p{high, low, len, family, true};
        std::size_t kept = base_;
        for (std::size_t i = base_; i < cubes_.size(); ++i) {
            Cube& c = cubes_[i];
            c.families &= family_bit(family);
            Prefix& into = source ? c.source : c.destination;
            if (!into.set || (into.family == family && into.contains(p))) {
                into.high = high, into.low = low, into.len = len, into.family = family, into.set = true;
            } else if (into.family != family || !p.contains(into)) {
                continue;  // as meet_address: disjoint
            }
            if (c.source.set) c.families &= family_bit(c.source.family);
            if (c.destination.set) c.families &= family_bit(c.destination.family);
            if (c.families == 0) continue;
            // meet's protocol, ports and echo-reply: the prefix's cube has none of them.
            if (kept != i) cubes_[kept] = c;
            ++kept;
        }
        cubes_.resize(kept);
    }

    // The value at i_ is one word, as values() reads it: no `==`/`!=`, set, `@named` or list.
    bool single_word() const {
        if (i_ >= n_ || at("==") || at("!=") || at("{")) return false;
        if (!t_[i_].quoted && t_[i_].text.starts_with("@")) return false;
        return !(at(",", 1) && i_ + 2 < n_);
    }

    // The words of tokens [first, last) of an anonymous set's element, joined by spaces.
    void element(std::size_t first, std::size_t last, std::vector<std::string_view>& out) {
        if (last - first == 1 && !t_[first].text.empty()) return out.push_back(t_[first].text);
        std::string joined;
        for (std::size_t i = first; i < last; ++i) {
            joined += joined.empty() ? "" : " ";
            joined += t_[i].text;
        }
        if (!joined.empty()) out.push_back(joined_.emplace_back(std::move(joined)));
    }

    // A value: `!=`? then a word list `a,b`, an anonymous set `{ a, b }` or `@named`.
    // Into s_.values, which view the tokens, the named sets or joined_. False if unreadable.
    bool values(bool& negated) {
        negated = false;
        if (at("==")) ++i_;
        if (at("!=")) negated = true, ++i_;
        if (i_ >= n_) return false;
        auto& out = s_.values;
        out.clear();
        if (at("{")) {
            std::size_t first = ++i_;  // of the current element
            while (i_ < n_ && !at("}")) {
                if (at(",")) element(first, i_, out), first = i_ + 1;
                ++i_;
            }
            if (!at("}")) return false;  // truncated
            element(first, i_, out);
            ++i_;
            return true;
        }
        if (!t_[i_].quoted && t_[i_].text.starts_with("@")) {
            auto it = sets_.find(t_[i_].text.substr(1));
            ++i_;
            if (it == sets_.end()) return false;
            out.assign(it->second.begin(), it->second.end());
            return true;
        }
        out.push_back(t_[i_++].text);
        while (at(",") && i_ + 1 < n_) {
            out.push_back(t_[i_ + 1].text);
            i_ += 2;
        }
        return true;
    }

    void addresses(IpFamily family, bool source) {
        // One IPv4 prefix: what values() and address_value() give, without their vectors.
        std::uint32_t network = 0;
        int len = 0;
        if (family == IpFamily::v4 && single_word() && ipv4_prefix(t_[i_].text, network, len)) {
            ++i_;
            return narrow_address(source, IpFamily::v4, 0, network, static_cast<std::uint8_t>(len));
        }
        bool neg = false;
        if (!values(neg)) return fail("an address value it cannot read");
        auto& cidrs = s_.cidrs;
        cidrs.clear();
        for (const auto& v : s_.values) {
            std::size_t before = cidrs.size();
            bool ok = address_value(v, cidrs);
            if (!ok || std::any_of(cidrs.begin() + static_cast<std::ptrdiff_t>(before), cidrs.end(),
                                   [&](const Cidr& x) { return x.network.family != family; }))
                return fail(fmt::format("address '{}'", v));
        }
        if (neg) cidrs = complement(cidrs, family);
        auto& alts = s_.alternatives;
        alts.clear();
        for (const auto& c : cidrs) {
            Cube cube;
            cube.families = family_bit(family);
            (source ? cube.source : cube.destination) = Prefix::of(c);
            alts.push_back(cube);
        }
        narrow(alts);
    }

    void ports(std::string_view proto, bool source) {
        // One port of tcp or udp: what values() and port_value() give, without their vectors.
        const bool tcp = equal(proto, "tcp"), udp = equal(proto, "udp");
        if (std::optional<std::uint32_t> port; (tcp || udp) && single_word() && (port = number(t_[i_].text, 65535))) {
            ++i_;
            Cube cube;
            cube.protocol = tcp ? Protocol::tcp : Protocol::udp;
            auto p = static_cast<std::uint16_t>(*port);
            (source ? cube.source_ports : cube.destination_ports) = PortRange{p, p};
            return narrow_by(cube);
        }
        bool neg = false;
        if (!values(neg)) return fail("a port value it cannot read");
        auto& ranges = s_.ranges;
        ranges.clear();
        for (const auto& v : s_.values) {
            auto r = port_value(v, proto);
            if (!r) return fail(fmt::format("port '{}'", v));
            ranges.push_back(*r);
        }
        if (neg) ranges = complement_ports(ranges);
        auto& alts = s_.alternatives;
        alts.clear();
        const bool th = equal(proto, "th");
        for (Protocol p : {Protocol::tcp, Protocol::udp}) {
            if (!th && !(p == Protocol::tcp ? tcp : udp)) continue;
            for (const auto& r : ranges) {
                Cube cube;
                cube.protocol = p;
                (source ? cube.source_ports : cube.destination_ports) = r;
                alts.push_back(cube);
            }
        }
        narrow(alts);
    }

    void protocols(std::uint8_t families) {
        bool neg = false;
        const auto* vs = values(neg) ? &s_.values : nullptr;
        if (!vs) return fail("a protocol value it cannot read");
        std::vector<Cube> alts;
        std::set<std::pair<Protocol, std::uint8_t>> named;
        for (const auto& v : *vs) {
            auto p = protocol_value(v);
            if (!p) return fail(fmt::format("protocol '{}' (only tcp, udp and icmp are modelled)", v));
            named.insert({p->protocol, p->families});
        }
        if (neg) return fail("a negated protocol (other protocols are not modelled one by one)");
        for (const auto& [p, fam] : named) {
            Cube cube;
            cube.protocol = p;
            cube.families = static_cast<std::uint8_t>(fam & families);
            alts.push_back(cube);
        }
        narrow(alts);
    }

    void icmp_type(std::uint8_t family) {
        bool neg = false;
        const auto* vs = values(neg) ? &s_.values : nullptr;
        if (!vs || neg || vs->size() != 1 || vs->front() != "echo-reply")
            return fail("an icmp type other than echo-reply");
        Cube cube;
        cube.protocol = Protocol::icmp;
        cube.families = family;
        cube.echo_reply = true;
        narrow_by(cube);
    }

    void conntrack() {
        if (at("vmap")) return conntrack_vmap();
        bool neg = false;
        const auto* vs = values(neg) ? &s_.values : nullptr;
        if (!vs || neg) return fail("a ct state it cannot read");
        for (auto state : *vs) ct_states_ |= state_bit(state);
    }

    // `ct state vmap { established : accept, related : accept, invalid : drop }`, as `nft list
    // ruleset` prints Debian's and many routers' first rule: the same packets as the pair
    // `ct state established,related accept` + `ct state invalid drop`, read as such. Any other
    // state or verdict in the map is not modelled.
    void conntrack_vmap() {
        ++i_;
        if (!at("{")) return fail("a ct state vmap it cannot read");
        ++i_;
        unsigned accepted = 0, dropped = 0;
        while (i_ + 2 < n_ && !at("}")) {
            if (!at(":", 1)) return fail("a ct state vmap it cannot read");
            unsigned bit = state_bit(t_[i_].text);
            if (at("accept", 2)) accepted |= bit;
            else if (at("drop", 2)) dropped |= bit;
            else return fail(fmt::format("a ct state vmap verdict '{}'", t_[i_ + 2].text));
            i_ += 3;
            if (at(",")) ++i_;
        }
        if (!at("}")) return fail("a truncated ct state vmap");
        ++i_;
        bool replies = (accepted & kEstablished) && (accepted & ~(kEstablished | kRelated)) == 0;
        if (rule_.verdict != Verdict::none) return fail("two verdicts");
        if ((dropped & ~kInvalid) != 0 || (accepted != 0 && !replies) || (accepted | dropped) == 0)
            return fail("a ct state vmap other than 'established : accept, related : accept, invalid : drop'");
        // An invalid packet is never one the model produces: the accepted states decide.
        ct_states_ = accepted != 0 ? accepted : kInvalid;
        rule_.verdict = accepted != 0 ? Verdict::accept : Verdict::drop;
    }

    void skip_log_options() {
        for (;;) {
            if ((at("prefix") || at("level") || at("group") || at("snaplen") || at("queue-threshold")) &&
                i_ + 1 < n_) {
                i_ += 2;
            } else if (at("flags")) {
                bool neg = false;
                ++i_;
                values(neg);
            } else {
                return;
            }
        }
    }

    void verdict(Verdict v) {
        if (rule_.verdict != Verdict::none) return fail("two verdicts");
        rule_.verdict = v;
        ++i_;
        if (v == Verdict::jump || v == Verdict::go_to) {
            if (i_ >= n_) return fail("a jump without a chain");
            targets_.push_back(t_[i_++].text);
            rule_.target = static_cast<std::uint32_t>(targets_.size());
        }
    }

    // `meta nfproto ipv4|ipv6`, after its two words.
    void meta_nfproto() {
        bool neg = false;
        const auto* vs = values(neg) ? &s_.values : nullptr;
        if (!vs || neg || vs->size() != 1 || (vs->front() != "ipv4" && vs->front() != "ipv6"))
            return fail("meta nfproto");
        Cube cube;
        cube.families = vs->front() == "ipv4" ? kV4 : kV6;
        narrow_by(cube);
    }

    // `iifname "lan0"`, `oifname`, `iif`, `oif` (or after `meta`): the model filters by address,
    // and which addresses come in or go out by an interface is not in the ruleset, so the
    // rule's packets are not known. True (and the rule failed) when the rule matches one.
    bool interface_match(const Token& w) {
        bool meta = w.is("meta") && (at("iifname", 1) || at("oifname", 1) || at("iif", 1) || at("oif", 1));
        if (!meta && !w.is("iifname") && !w.is("oifname") && !w.is("iif") && !w.is("oif")) return false;
        std::size_t value = meta ? i_ + 2 : i_ + 1;
        auto name = value < n_ ? t_[value].text : std::string_view{};
        fail(fmt::format("a match on interface {} \"{}\" (the addresses behind an interface are not modelled)",
                         t_[value - 1].text, name));
        return true;
    }

    void step() {
        const auto& w = t_[i_];
        if (w.quoted) return fail(fmt::format("unexpected string \"{}\"", w.text));
        if ((w.is("ip") || w.is("ip6")) && i_ + 1 < n_) {
            auto fam = w.is("ip") ? IpFamily::v4 : IpFamily::v6;
            const auto what = t_[i_ + 1].text;
            i_ += 2;
            if (equal(what, "saddr") || equal(what, "daddr")) return addresses(fam, equal(what, "saddr"));
            if (equal(what, "protocol") || equal(what, "nexthdr")) return protocols(family_bit(fam));
            return fail(fmt::format("{} {}", w.text, what));
        }
        if ((w.is("tcp") || w.is("udp") || w.is("th")) && (at("dport", 1) || at("sport", 1))) {
            bool source = at("sport", 1);
            i_ += 2;
            return ports(w.text, source);
        }
        if (w.is("meta") && (at("l4proto", 1) || at("nfproto", 1) || at("protocol", 1))) {
            bool nfproto = at("nfproto", 1);
            i_ += 2;
            return nfproto ? meta_nfproto() : protocols(kV4 | kV6);
        }
        if ((w.is("icmp") || w.is("icmpv6")) && at("type", 1)) {
            i_ += 2;
            return icmp_type(w.is("icmp") ? kV4 : kV6);
        }
        if (w.is("ct") && at("state", 1)) {
            i_ += 2;
            return conntrack();
        }
        if (interface_match(w)) return;
        if (w.is("counter")) {
            ++i_;
            while ((at("packets") || at("bytes")) && i_ + 1 < n_) i_ += 2;
            return;
        }
        if (w.is("log")) {
            rule_.log = true;
            ++i_;
            return skip_log_options();
        }
        if (w.is("comment") && i_ + 1 < n_) {
            i_ += 2;
            return;
        }
        if (w.is("accept")) return verdict(Verdict::accept);
        if (w.is("drop")) return verdict(Verdict::drop);
        if (w.is("reject")) {
            verdict(Verdict::drop);  // for reachability a reject is a drop; skip `with ...`
            if (at("with")) i_ = n_;
            return;
        }
        if (w.is("jump")) return verdict(Verdict::jump);
        if (w.is("goto")) return verdict(Verdict::go_to);
        if (w.is("return")) return verdict(Verdict::return_);
        if (w.is("continue")) return verdict(Verdict::continue_);
        fail(fmt::format("'{}'", w.text));
    }

    // `ct state established,related accept` is how replies pass; `ct state invalid drop`
    // drops what the model never produces. Any other use of conntrack is not modelled.
    void decide_conntrack() {
        if (ct_states_ == 0) return;
        Cube only = cube_count() == 0 ? Cube{} : cubes_[base_];
        only.families = kV4 | kV6;  // whatever the table's family: no other match
        bool alone = cube_count() == 1 && only.is_everything();
        bool replies = (ct_states_ & ~(kEstablished | kRelated)) == 0;
        if (alone && replies && (ct_states_ & kEstablished) && rule_.verdict == Verdict::accept)
            rule_.conntrack_replies = true;
        else if (ct_states_ == kInvalid && rule_.verdict == Verdict::drop)
            rule_.no_effect = true;
        else
            fail("a ct state match other than 'established,related accept' or 'invalid drop'");
    }

    // The ct states named, as bits: a std::set<std::string> was constructed for every rule.
    static constexpr unsigned kEstablished = 1, kRelated = 2, kInvalid = 4, kOther = 8;
    static unsigned state_bit(std::string_view s) {
        return s == "established" ? kEstablished : s == "related" ? kRelated : s == "invalid" ? kInvalid : kOther;
    }

    const std::vector<Token>& t_;
    const std::size_t n_;  // t_.size(), divided by 24 at every test otherwise
    const NamedSets& sets_;
    Scratch& s_;
    std::vector<Cube>& cubes_;
    std::vector<std::string_view>& targets_;
    std::size_t base_;
    Rule& rule_;
    std::string& why_;  // why the rule is not understood; empty while it is
    std::size_t i_ = 0;
    unsigned ct_states_ = 0;
    std::list<std::string> joined_;  // set elements of several words, joined (a list: no allocation unused)
};

}  // namespace

void parse_rule(const std::vector<Token>& tokens, std::uint8_t families, const NamedSets& sets, std::vector<Cube>& cubes,
                std::vector<std::string_view>& targets, Rule& rule, std::string& why) {
    thread_local Scratch scratch;
    rule = Rule{};
    why.clear();
    RuleReader(tokens, families, sets, scratch, cubes, targets, rule, why).read();
    rule.understood = why.empty();
}

}  // namespace microseg::nft
