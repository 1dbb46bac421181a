#include <doctest/doctest.h>

#include "model/acl_diff.hpp"

using namespace microseg;

namespace {

Cidr net(const char* s) { return *Cidr::parse(s); }

AclEntry permit(Protocol p, const char* src, const char* dst, PortRange dport = {}, bool est = false) {
    AclEntry e;
    e.protocol = p;
    e.source = net(src);
    e.destination = net(dst);
    e.destination_ports = dport;
    e.established = est;
    return e;
}

AclEntry deny(Protocol p, const char* src, const char* dst, PortRange dport = {}) {
    auto e = permit(p, src, dst, dport);
    e.action = AclAction::deny;
    return e;
}

// Every reported example really is decided differently, in the reported direction.
void check_examples(const std::vector<AclEntry>& intent, const std::vector<AclEntry>& live,
                    const AclComparison& c) {
    for (const auto& d : c.differences) {
        bool want = acl_permits(intent, d.example);
        bool have = acl_permits(live, d.example);
        CHECK_MESSAGE(want != have, d.example.str());
        CHECK(have == (d.kind == AclDifferenceKind::exposure));
    }
}

const std::vector<AclEntry> kIntent = {
    permit(Protocol::tcp, "10.200.0.0/21", "10.130.0.0/27", {443, 443}),
    permit(Protocol::tcp, "10.200.0.0/21", "10.130.0.0/27", {8443, 8443}),
    permit(Protocol::udp, "10.200.0.0/21", "10.100.0.0/27", {53, 53}),
    permit(Protocol::tcp, "10.200.0.0/21", "0.0.0.0/0", {}, true),
    deny(Protocol::ip, "0.0.0.0/0", "0.0.0.0/0"),
};

}  // namespace

TEST_CASE("identical, reordered and re-compacted lists are equivalent") {
    CHECK(compare_acls(kIntent, kIntent).equivalent());
    auto reordered = kIntent;
    std::swap(reordered[0], reordered[2]);  // disjoint entries: order does not matter
    CHECK(compare_acls(kIntent, reordered).equivalent());
    // Two adjacent /22s instead of the /21, and no explicit final deny (implicit).
    std::vector<AclEntry> split = {
        permit(Protocol::tcp, "10.200.0.0/22", "10.130.0.0/27", {443, 443}),
        permit(Protocol::tcp, "10.200.4.0/22", "10.130.0.0/27", {443, 443}),
        permit(Protocol::tcp, "10.200.0.0/21", "10.130.0.0/27", {8443, 8443}),
        permit(Protocol::udp, "10.200.0.0/21", "10.100.0.0/27", {53, 53}),
        permit(Protocol::tcp, "10.200.0.0/21", "0.0.0.0/0", {}, true),
    };
    CHECK(compare_acls(kIntent, split).equivalent());
    // A redundant entry fully shadowed by an earlier one changes nothing.
    auto redundant = kIntent;
    redundant.insert(redundant.begin() + 1, permit(Protocol::tcp, "10.200.1.0/24", "10.130.0.5/32", {443, 443}));
    CHECK(compare_acls(kIntent, redundant).equivalent());
}

TEST_CASE("an extra permit is an exposure with a concrete packet") {
    auto live = kIntent;
    live.insert(live.begin(), permit(Protocol::tcp, "10.200.0.0/21", "10.110.0.0/21", {22, 22}));
    auto c = compare_acls(kIntent, live);
    REQUIRE(c.differences.size() == 1);
    const auto& d = c.differences[0];
    CHECK(d.kind == AclDifferenceKind::exposure);
    CHECK(d.live_entry == 0);
    CHECK(d.intent_entry == 4);
    CHECK(d.example.protocol == Protocol::tcp);
    CHECK(d.example.destination_port == 22);
    CHECK_FALSE(d.example.established);
    CHECK(net("10.110.0.0/21").contains(d.example.destination));
    CHECK(d.example.str() == "tcp 10.200.0.1:49152 -> 10.110.0.1:22 (new)");
    check_examples(kIntent, live, c);
}

TEST_CASE("a missing permit is an outage") {
    auto live = kIntent;
    live.erase(live.begin() + 1);  // no tcp/8443
    auto c = compare_acls(kIntent, live);
    REQUIRE(c.differences.size() == 1);
    CHECK(c.differences[0].kind == AclDifferenceKind::outage);
    CHECK(c.differences[0].intent_entry == 1);
    CHECK(c.differences[0].example.destination_port == 8443);
    check_examples(kIntent, live, c);
}

TEST_CASE("a shadowing deny makes a later permit an outage") {
    auto live = kIntent;
    live.insert(live.begin(), deny(Protocol::tcp, "10.200.0.0/21", "10.130.0.0/27", {440, 450}));
    auto c = compare_acls(kIntent, live);
    // It hides the tcp/443 permit and, for 440-450, the replies the established entry allows.
    REQUIRE(c.differences.size() == 2);
    CHECK(c.differences[0].kind == AclDifferenceKind::outage);
    CHECK(c.differences[0].live_entry == 0);
    CHECK(c.differences[0].intent_entry == 0);
    CHECK(c.differences[0].example.destination_port == 443);
    CHECK(c.differences[1].intent_entry == 3);
    CHECK(c.differences[1].example.established);
    check_examples(kIntent, live, c);
}

TEST_CASE("a reply entry without 'established' exposes new sessions") {
    auto live = kIntent;
    live[3].established = false;
    auto c = compare_acls(kIntent, live);
    REQUIRE(c.differences.size() == 1);
    CHECK(c.differences[0].kind == AclDifferenceKind::exposure);
    CHECK_FALSE(c.differences[0].example.established);
    check_examples(kIntent, live, c);
}

TEST_CASE("permit-all, deny-all and mixed families") {
    std::vector<AclEntry> all = {permit(Protocol::ip, "0.0.0.0/0", "0.0.0.0/0")};
    auto open = compare_acls(kIntent, all);
    CHECK_FALSE(open.differences.empty());
    for (const auto& d : open.differences) CHECK(d.kind == AclDifferenceKind::exposure);
    check_examples(kIntent, all, open);
    auto closed = compare_acls(kIntent, {});
    CHECK(closed.differences.size() == 4);  // every intended permit is an outage
    check_examples(kIntent, {}, closed);
    std::vector<AclEntry> v6 = {permit(Protocol::tcp, "2001:db8::/64", "2001:db8:1::/64", {443, 443})};
    auto c6 = compare_acls({}, v6);
    REQUIRE(c6.differences.size() == 1);
    CHECK(c6.differences[0].example.source.family == IpFamily::v6);
}

TEST_CASE("two huge lists: the comparison stops, incomplete, instead of running for hours") {
    // 15,000 x 15,000 pairs of alternating permits and denies, each pair intersecting: past the
    // work budget the result says "incomplete" (findings unknown) rather than claiming a verdict.
    std::vector<AclEntry> intent, live;
    for (std::uint16_t i = 0; i < 15000; ++i) {
        auto p = permit(Protocol::tcp, "10.0.0.0/8", "10.0.0.0/8", {static_cast<std::uint16_t>(i + 1), static_cast<std::uint16_t>(i + 1)});
        intent.push_back(p);
        live.push_back(i % 2 ? p : deny(Protocol::tcp, "10.0.0.0/8", "10.0.0.0/8", p.destination_ports));
    }
    auto c = compare_acls(intent, live);
    CHECK_FALSE(c.complete);
    CHECK_FALSE(c.equivalent());
    // A small drift is still found completely.
    std::vector<AclEntry> small_intent(intent.begin(), intent.begin() + 50), small_live(live.begin(), live.begin() + 50);
    auto s = compare_acls(small_intent, small_live);
    CHECK(s.complete);
    CHECK(s.differences.size() == 25);
}

TEST_CASE("two identical huge lists are equivalent at once, whatever their remarks") {
    // The same 15,000 alternating entries on both sides: the pairwise search would exceed its
    // budget (as above) and say "incomplete"; identical decisions need no search.
    std::vector<AclEntry> intent, live;
    for (std::uint16_t i = 0; i < 15000; ++i) {
        PortRange port{static_cast<std::uint16_t>(i + 1), static_cast<std::uint16_t>(i + 1)};
        auto e = i % 2 ? permit(Protocol::tcp, "10.0.0.0/8", "10.0.0.0/8", port)
                       : deny(Protocol::tcp, "10.0.0.0/8", "10.0.0.0/8", port);
        intent.push_back(e);
        e.remark = "read back from a device";
        e.log = true;
        live.push_back(e);
    }
    auto c = compare_acls(intent, live);
    CHECK(c.complete);
    CHECK(c.equivalent());
    // One changed action is a difference again, found by the search.
    std::vector<AclEntry> small_intent(intent.begin(), intent.begin() + 50), small_live(live.begin(), live.begin() + 50);
    small_live[7].action = small_live[7].action == AclAction::permit ? AclAction::deny : AclAction::permit;
    auto s = compare_acls(small_intent, small_live);
    CHECK(s.complete);
    CHECK(s.differences.size() == 1);
}

TEST_CASE("packet_decided_as finds a packet a state permits that neither old nor new does") {
    const std::vector<AclEntry> old_list = {permit(Protocol::tcp, "10.1.0.0/24", "10.2.0.0/24", {443, 443})};
    const std::vector<AclEntry> new_list = {permit(Protocol::tcp, "10.1.0.0/24", "10.2.0.0/24", {443, 443}),
                                            permit(Protocol::udp, "10.1.0.0/24", "10.3.0.0/24", {53, 53})};
    // A state that has both protocols for both destinations (the Junos widening) is wider.
    const std::vector<AclEntry> widened = {permit(Protocol::ip, "10.1.0.0/24", "10.2.0.0/23")};
    bool complete = false;
    auto p = packet_decided_as({&widened, &old_list, &new_list}, {true, false, false}, complete);
    REQUIRE(p);
    CHECK(complete);
    CHECK(acl_permits(widened, *p));
    CHECK_FALSE(acl_permits(old_list, *p));
    CHECK_FALSE(acl_permits(new_list, *p));
    // The new list itself is never wider than old OR new, and keeps old AND new.
    CHECK_FALSE(packet_decided_as({&new_list, &old_list, &new_list}, {true, false, false}, complete));
    CHECK(complete);
    CHECK_FALSE(packet_decided_as({&new_list, &old_list, &new_list}, {false, true, true}, complete));
    // Deny-all (no SVI) drops what both permit; permit-all (a null list) never does.
    const std::vector<AclEntry> nothing;
    auto cut = packet_decided_as({&nothing, &old_list, &new_list}, {false, true, true}, complete);
    REQUIRE(cut);
    CHECK(cut->protocol == Protocol::tcp);
    CHECK(cut->destination_port == 443);
    CHECK_FALSE(packet_decided_as({nullptr, &old_list, &new_list}, {false, true, true}, complete));
    CHECK(packet_decided_as({nullptr, &old_list, &new_list}, {true, false, false}, complete));
}

TEST_CASE("packet_decided_as respects first match: an earlier deny hides a later permit") {
    const std::vector<AclEntry> state = {deny(Protocol::tcp, "10.1.0.0/24", "10.2.0.0/24", {22, 22}),
                                         permit(Protocol::tcp, "10.1.0.0/24", "10.2.0.0/24")};
    const std::vector<AclEntry> old_list = {permit(Protocol::tcp, "10.1.0.0/24", "10.2.0.0/24", {0, 21}),
                                            permit(Protocol::tcp, "10.1.0.0/24", "10.2.0.0/24", {23, 65535})};
    bool complete = false;
    CHECK_FALSE(packet_decided_as({&state, &old_list}, {true, false}, complete));
    CHECK(complete);
    CHECK_FALSE(packet_decided_as({&state, &old_list}, {false, true}, complete));
}
