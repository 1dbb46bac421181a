#include "model/acl_diff.hpp"

#include <array>
#include <optional>
#include <set>

namespace microseg {
namespace {

// The packet space has seven dimensions; an entry matches a box in it.
enum Dim { kFamily, kProto, kSrc, kDst, kSport, kDport, kEst, kDims };

struct Interval {
    Uint128 lo = 0;
    Uint128 hi = 0;
};

using Box = std::array<Interval, kDims>;

// Protocol dimension values: "other" IP protocols, then the three the model names.
constexpr Uint128 kOther = 0, kIcmp = 1, kTcp = 2, kUdp = 3;

Interval proto_interval(Protocol p) {
    switch (p) {
        case Protocol::ip: return {kOther, kUdp};
        case Protocol::icmp: return {kIcmp, kIcmp};
        case Protocol::tcp: return {kTcp, kTcp};
        case Protocol::udp: return {kUdp, kUdp};
    }
    return {kOther, kUdp};
}

Interval address_interval(const Cidr& c) { return {c.first().value, c.last().value}; }

IpFamily family_of(const AclEntry& e) {
    if (!e.source.is_any()) return e.source.network.family;
    return e.destination.network.family;
}

Box box_of(const AclEntry& e) {
    Box b;
    auto fam = static_cast<Uint128>(family_of(e) == IpFamily::v6);
    b[kFamily] = {fam, fam};
    b[kProto] = proto_interval(e.protocol);
    // "any" is written as 0.0.0.0/0 but means the whole space of the entry's family.
    Cidr src = e.source, dst = e.destination;
    if (src.is_any()) src.network.family = family_of(e);
    if (dst.is_any()) dst.network.family = family_of(e);
    b[kSrc] = address_interval(src);
    b[kDst] = address_interval(dst);
    bool ports = e.protocol == Protocol::tcp || e.protocol == Protocol::udp;
    b[kSport] = ports ? Interval{e.source_ports.first, e.source_ports.last} : Interval{0, 65535};
    b[kDport] = ports ? Interval{e.destination_ports.first, e.destination_ports.last} : Interval{0, 65535};
    bool est = e.established && (e.protocol == Protocol::tcp || e.protocol == Protocol::icmp);
    b[kEst] = est ? Interval{1, 1} : Interval{0, 1};
    return b;
}

std::optional<Box> intersect(const Box& a, const Box& b) {
    Box r;
    for (int d = 0; d < kDims; ++d) {
        r[d] = {std::max(a[d].lo, b[d].lo), std::min(a[d].hi, b[d].hi)};
        if (r[d].lo > r[d].hi) return std::nullopt;
    }
    return r;
}

bool contains(const Box& outer, const Box& inner) {
    for (int d = 0; d < kDims; ++d)
        if (inner[d].lo < outer[d].lo || inner[d].hi > outer[d].hi) return false;
    return true;
}

// The parts of `a` outside `b` (b must intersect a), as disjoint boxes.
std::vector<Box> subtract(Box a, const Box& b) {
    std::vector<Box> pieces;
    for (int d = 0; d < kDims; ++d) {
        if (a[d].lo < b[d].lo) {
            Box p = a;
            p[d].hi = b[d].lo - 1;
            pieces.push_back(p);
            a[d].lo = b[d].lo;
        }
        if (a[d].hi > b[d].hi) {
            Box p = a;
            p[d].lo = b[d].hi + 1;
            pieces.push_back(p);
            a[d].hi = b[d].hi;
        }
    }
    return pieces;
}

// A readable point of a box: a host address rather than the network address, an ephemeral
// source port when the range allows one.
Packet point_of(const Box& b) {
    auto pick_host = [](const Interval& i) { return i.hi - i.lo >= 2 ? i.lo + 1 : i.lo; };
    Packet p;
    auto fam = b[kFamily].lo == 1 ? IpFamily::v6 : IpFamily::v4;
    static constexpr std::array<Protocol, 4> protos = {Protocol::ip, Protocol::icmp, Protocol::tcp, Protocol::udp};
    // Prefer tcp, then udp, icmp, other: the examples people recognise first.
    p.protocol = protos[static_cast<std::size_t>(b[kProto].lo)];
    for (Uint128 v : {kTcp, kUdp, kIcmp, kOther})
        if (b[kProto].lo <= v && v <= b[kProto].hi) {
            p.protocol = protos[static_cast<std::size_t>(v)];
            break;
        }
    p.source = {fam, pick_host(b[kSrc])};
    p.destination = {fam, pick_host(b[kDst])};
    Uint128 ephemeral = 49152;
    p.source_port = static_cast<std::uint16_t>(
        b[kSport].lo <= ephemeral && ephemeral <= b[kSport].hi ? ephemeral : b[kSport].lo);
    p.destination_port = static_cast<std::uint16_t>(b[kDport].lo);
    p.established = b[kEst].lo == 1;
    return p;
}

// Finds a packet in `region` that none of `blockers` matches, within a step budget.
class WitnessSearch {
public:
    explicit WitnessSearch(std::size_t budget) : budget_(budget) {}
    bool exhausted() const { return exhausted_; }

    std::optional<Box> find(const Box& region, const std::vector<const Box*>& blockers, std::size_t from) {
        if (budget_ == 0) {
            exhausted_ = true;
            return std::nullopt;
        }
        --budget_;
        for (std::size_t i = from; i < blockers.size(); ++i) {
            const Box& b = *blockers[i];
            if (!intersect(region, b)) continue;
            if (contains(b, region)) return std::nullopt;
            for (const auto& piece : subtract(region, b))
                if (auto w = find(piece, blockers, i + 1)) return w;
            return std::nullopt;
        }
        return region;
    }

private:
    std::size_t budget_;
    bool exhausted_ = false;
};

Box whole_space() {
    Box b;
    b[kFamily] = {0, 1};
    b[kProto] = {kOther, kUdp};
    b[kSrc] = {0, ~Uint128{0}};
    b[kDst] = {0, ~Uint128{0}};
    b[kSport] = {0, 65535};
    b[kDport] = {0, 65535};
    b[kEst] = {0, 1};
    return b;
}

// The entries as boxes, with the implicit final deny as one more entry.
struct DecisionList {
    std::vector<Box> boxes;
    std::vector<bool> permits;
    explicit DecisionList(const std::vector<AclEntry>& entries) {
        for (const auto& e : entries) {
            boxes.push_back(box_of(e));
            permits.push_back(e.action == AclAction::permit);
        }
        boxes.push_back(whole_space());
        permits.push_back(false);
    }
    std::size_t index(std::size_t i) const { return i + 1 == boxes.size() ? kImplicitDeny : i; }
};

bool same_interval(const Interval& a, const Interval& b) { return a.lo == b.lo && a.hi == b.hi; }

// How many leading entries the two lists share (the same boxes with the same actions). A packet
// that one list decides within that prefix meets the same entry first in the other list, so no
// difference can come from a pair with an entry in it. A drift audit mostly compares lists that
// did not change, and a router's list for a class inside 0.0.0.0/0 starts with the same denies
// of every internal subnet on both sides: thousands of pairs, each searched, for nothing.
std::size_t common_prefix(const DecisionList& a, const DecisionList& b) {
    std::size_t k = 0;
    auto same_box = [](const Box& x, const Box& y) {
        for (int d = 0; d < kDims; ++d)
            if (!same_interval(x[d], y[d])) return false;
        return true;
    };
    while (k < a.boxes.size() && k < b.boxes.size() && a.permits[k] == b.permits[k] && same_box(a.boxes[k], b.boxes[k]))
        ++k;
    return k;
}

}  // namespace

std::string Packet::str() const {
    std::string state = protocol == Protocol::tcp ? (established ? " (reply)" : " (new)")
                        : protocol == Protocol::icmp ? (established ? " (echo-reply)" : "")
                                                     : "";
    if (protocol == Protocol::tcp || protocol == Protocol::udp)
        return fmt::format("{} {}:{} -> {}:{}{}", protocol, source, source_port, destination,
                           destination_port, state);
    return fmt::format("{} {} -> {}{}", protocol == Protocol::ip ? "ip(other)" : "icmp", source,
                       destination, state);
}

namespace {

bool in(const Interval& i, Uint128 v) { return i.lo <= v && v <= i.hi; }

// contains(box_of(e), packet as a point), one dimension at a time, cheapest first: most entries
// fail on the protocol or a port, before their addresses are turned into intervals. The audit
// probes every (class, class, port) against whole ACLs, so this runs millions of times.
bool entry_matches(const AclEntry& e, const Packet& p) {
    if ((family_of(e) == IpFamily::v6) != (p.source.family == IpFamily::v6)) return false;
    if (e.protocol != Protocol::ip && e.protocol != p.protocol) return false;
    const bool ports = e.protocol == Protocol::tcp || e.protocol == Protocol::udp;
    if (ports && (p.destination_port < e.destination_ports.first || p.destination_port > e.destination_ports.last))
        return false;
    if (ports && (p.source_port < e.source_ports.first || p.source_port > e.source_ports.last)) return false;
    if (e.established && (e.protocol == Protocol::tcp || e.protocol == Protocol::icmp) && !p.established) return false;
    // "any" is the whole space of the entry's family, which the family test above matched.
    if (!e.destination.is_any() && !in(address_interval(e.destination), p.destination.value)) return false;
    return e.source.is_any() || in(address_interval(e.source), p.source.value);
}

}  // namespace

bool acl_permits(const std::vector<AclEntry>& entries, const Packet& packet) {
    for (const auto& e : entries)
        if (entry_matches(e, packet)) return e.action == AclAction::permit;
    return false;
}

bool acl_permits(const std::vector<const AclEntry*>& entries, const Packet& packet) {
    for (const AclEntry* e : entries)
        if (entry_matches(*e, packet)) return e->action == AclAction::permit;
    return false;
}

// An entry whose prefix is not "any" matches only the addresses inside it (none of the other
// family); entry_matches makes the exact decision.
static bool may_match(const Cidr& field, const IpAddress& a) { return field.is_any() || field.contains(a); }

std::vector<const AclEntry*> entries_from(const std::vector<AclEntry>& entries, const IpAddress& source) {
    std::vector<const AclEntry*> out;
    for (const auto& e : entries)
        if (may_match(e.source, source)) out.push_back(&e);
    return out;
}

void entries_to(const std::vector<const AclEntry*>& entries, const IpAddress& destination,
                std::vector<const AclEntry*>& out) {
    out.clear();
    for (const AclEntry* e : entries)
        if (may_match(e->destination, destination)) out.push_back(e);
}

// Pairs visited and blockers gathered, against a budget. The search budget bounds the searches
// but not this setup, which grows with the product of the lists' lengths (a crafted 100,000-entry
// ACL took seconds, a million would take hours); past it the comparison is incomplete, and
// its findings "unknown", as when the search budget runs out.
constexpr std::size_t kCompareWork = 100'000'000;

AclComparison compare_acls(const std::vector<AclEntry>& intent, const std::vector<AclEntry>& live) {
    DecisionList want(intent), have(live);
    AclComparison out;
    const std::size_t shared = common_prefix(want, have);
    WitnessSearch search(2'000'000);
    std::size_t work = 0;
    std::set<std::size_t> exposed_live, outage_intent;
    std::vector<const Box*> blockers;
    for (std::size_t i = shared; i < have.boxes.size(); ++i) {
        for (std::size_t j = shared; j < want.boxes.size(); ++j) {
            if (++work > kCompareWork) {
                out.complete = false;
                return out;
            }
            if (have.permits[i] == want.permits[j]) continue;
            bool exposure = have.permits[i];
            if (exposure ? exposed_live.count(i) : outage_intent.count(j)) continue;
            auto region = intersect(have.boxes[i], want.boxes[j]);
            if (!region) continue;
            // Packets in the region that an earlier entry of either list already decided are
            // not decided by this pair.
            blockers.clear();
            work += i + j;
            for (std::size_t k = 0; k < i; ++k) blockers.push_back(&have.boxes[k]);
            for (std::size_t k = 0; k < j; ++k) blockers.push_back(&want.boxes[k]);
            auto w = search.find(*region, blockers, 0);
            if (!w) continue;
            (exposure ? exposed_live : outage_intent).insert(exposure ? i : j);
            out.differences.push_back({exposure ? AclDifferenceKind::exposure : AclDifferenceKind::outage,
                                       point_of(*w), have.index(i), want.index(j)});
        }
    }
    out.complete = !search.exhausted();
    return out;
}

namespace {

// Depth-first over the lists: at each level an entry that decides as wanted narrows the region,
// and the entries before it in its list join the blockers (they would have decided first).
class DecisionSearch {
public:
    DecisionSearch(const std::vector<const std::vector<AclEntry>*>& lists, const std::vector<bool>& permits)
        : permits_(permits), search_(2'000'000) {
        for (const auto* l : lists) lists_.push_back(l ? std::optional<DecisionList>(DecisionList(*l)) : std::nullopt);
    }
    bool exhausted() const { return search_.exhausted() || work_ > kCompareWork; }

    std::optional<Box> find(std::size_t level, const Box& region) {
        if (level == lists_.size()) return search_.find(region, blockers_, 0);
        if (!lists_[level]) return permits_[level] ? find(level + 1, region) : std::nullopt;  // permits all
        const DecisionList& list = *lists_[level];
        for (std::size_t i = 0; i < list.boxes.size(); ++i) {
            if (++work_ > kCompareWork) return std::nullopt;
            if (list.permits[i] != permits_[level]) continue;
            auto narrowed = intersect(region, list.boxes[i]);
            if (!narrowed) continue;
            const std::size_t mark = blockers_.size();
            for (std::size_t k = 0; k < i; ++k)
                if (intersect(*narrowed, list.boxes[k])) blockers_.push_back(&list.boxes[k]);
            auto w = find(level + 1, *narrowed);
            blockers_.resize(mark);
            if (w) return w;
        }
        return std::nullopt;
    }

private:
    std::vector<std::optional<DecisionList>> lists_;
    const std::vector<bool>& permits_;
    WitnessSearch search_;
    std::vector<const Box*> blockers_;
    std::size_t work_ = 0;
};

}  // namespace

std::optional<Packet> packet_decided_as(const std::vector<const std::vector<AclEntry>*>& lists,
                                        const std::vector<bool>& permits, bool& complete) {
    DecisionSearch search(lists, permits);
    auto w = search.find(0, whole_space());
    complete = w.has_value() || !search.exhausted();
    if (!w) return std::nullopt;
    return point_of(*w);
}

}  // namespace microseg
