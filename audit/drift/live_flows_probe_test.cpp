// The live-only probe judges a stretch of destination addresses at a time (probe_class); it
// must find exactly what judging every destination class on its own finds
// (probe_class_each_destination), on varied random filters: nested and overlapping prefixes,
// prefixes with host bits set, "any" of either family, catch-all denies, IPv6 classes, shared
// VLANs, no live filter at all. PolicyProbes must hold what the one-class functions compute.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "audit/drift/live_flows_probe.hpp"
#include "audit/drift/policy_probes.hpp"
#include "model/acl_diff.hpp"

using namespace microseg;

namespace {

Cidr v4(std::uint32_t network, int len) { return {IpAddress{IpFamily::v4, network}, len}; }
Cidr v6(Uint128 network, int len) { return {IpAddress{IpFamily::v6, network}, len}; }

// Classes 10.<a>.<b>.0/24 in a few /16s, some sharing a VLAN, a /16 class holding others, two
// IPv6 classes and an external 0.0.0.0/0.
Policy random_policy(std::mt19937& rng) {
    PolicyParts parts;
    parts.name = "probe";
    std::uniform_int_distribution<int> third(0, 40);
    std::set<std::uint32_t> used;
    for (int i = 0; i < 60; ++i) {
        DeviceClass c;
        c.name = "c" + std::to_string(i);
        const std::uint32_t net = (10u << 24) | (static_cast<std::uint32_t>(i % 3) << 16) |
                                  (static_cast<std::uint32_t>(third(rng)) << 8);
        if (!used.insert(net).second) continue;
        c.subnets = {v4(net, 24)};
        c.vlan = 100 + (i % 7 == 0 ? 1 : i);  // every seventh shares VLAN 101
        parts.classes.push_back(c);
    }
    DeviceClass wide;
    wide.name = "wide";
    wide.vlan = 900;
    wide.subnets = {v4((10u << 24) | (3u << 16), 16)};
    parts.classes.push_back(wide);
    for (int i = 0; i < 2; ++i) {
        DeviceClass c;
        c.name = "six" + std::to_string(i);
        c.vlan = 950 + i;
        c.subnets = {v6((Uint128{0x20010db8} << 96) | (Uint128{static_cast<unsigned>(i)} << 64), 64)};
        parts.classes.push_back(c);
    }
    DeviceClass internet;
    internet.name = "internet";
    internet.external = true;
    internet.subnets = {v4(0, 0)};
    parts.classes.push_back(internet);
    for (auto& c : parts.classes) c.addresses = AddressSet(c.subnets);
    return Policy(std::move(parts));
}

Cidr random_destination(std::mt19937& rng, const Policy& policy) {
    std::uniform_int_distribution<int> pick(0, 9);
    const auto& classes = policy.classes();
    const Cidr& base = classes[std::uniform_int_distribution<std::size_t>(0, classes.size() - 1)(rng)].subnets.front();
    switch (pick(rng)) {
        case 0: return v4(0, 0);
        case 1: return v6(0, 0);
        case 2: return v4(10u << 24, 8);
        case 3: return {IpAddress{base.network.family, base.network.value + 1}, base.prefix_len};  // host bits set
        case 4: return {base.network, std::max(0, base.prefix_len - 1 - pick(rng))};
        case 5: return {IpAddress{base.network.family, base.network.value + 1}, base.network.bits()};
        default: return base;
    }
}

std::vector<AclEntry> random_entries(std::mt19937& rng, const Policy& policy, const IpAddress& source) {
    std::vector<AclEntry> out;
    std::uniform_int_distribution<int> count(0, 25), pick(0, 9);
    const int n = count(rng);
    for (int i = 0; i < n; ++i) {
        AclEntry e;
        e.action = pick(rng) < 6 ? AclAction::permit : AclAction::deny;
        e.source = pick(rng) < 3 ? Cidr{IpAddress{source.family, 0}, 0} : Cidr{source, source.bits()};
        e.destination = random_destination(rng, policy);
        const int p = pick(rng);
        e.protocol = p < 4 ? Protocol::tcp : p < 6 ? Protocol::udp : p < 7 ? Protocol::icmp : Protocol::ip;
        if (e.protocol == Protocol::tcp || e.protocol == Protocol::udp) {
            const std::uint16_t lo = static_cast<std::uint16_t>(std::uniform_int_distribution<int>(1, 600)(rng));
            e.destination_ports = {lo, static_cast<std::uint16_t>(lo + (pick(rng) < 7 ? 0 : 100))};
        }
        out.push_back(e);
    }
    return out;
}

std::vector<const AclEntry*> pointers(const std::vector<AclEntry>& entries) {
    std::vector<const AclEntry*> out;
    for (const auto& e : entries) out.push_back(&e);
    return out;
}

ProbePorts random_ports(std::mt19937& rng) {
    ProbePorts out = {{ServicePort{Protocol::icmp, {}}, "icmp"}};
    for (int i = 0; i < 12; ++i) {
        const auto port = static_cast<std::uint16_t>(std::uniform_int_distribution<int>(1, 650)(rng));
        out.push_back({ServicePort{i % 3 ? Protocol::tcp : Protocol::udp, {port, port}}, "p" + std::to_string(i)});
    }
    return out;
}

}  // namespace

TEST_CASE("probe_class finds what probing every destination class on its own finds") {
    std::mt19937 rng(24);
    std::size_t hits = 0, compared = 0;
    for (int round = 0; round < 40; ++round) {
        const Policy policy = random_policy(rng);
        const PolicyProbes probes(policy);
        const auto& reps = probes.representatives();
        const auto ports = random_ports(rng);
        for (std::size_t from = 0; from < policy.classes().size(); ++from) {
            if (!reps.of_class[from]) continue;
            const auto have_entries = random_entries(rng, policy, *reps.of_class[from]);
            const auto want_entries = random_entries(rng, policy, *reps.of_class[from]);
            const auto have = pointers(have_entries), want = pointers(want_entries);
            for (const auto* live : {&have, static_cast<const std::vector<const AclEntry*>*>(nullptr)}) {
                auto fast = probe_class(policy, reps, from, live, want, ports);
                auto each = probe_class_each_destination(policy, reps, from, live, want, ports);
                REQUIRE_MESSAGE(fast == each, "round " << round << ", from " << policy.classes()[from].name);
                hits += fast.size();
                ++compared;
            }
        }
    }
    CHECK(compared > 1000);
    CHECK(hits > 1000);  // the inputs do find live-only flows
}

TEST_CASE("PolicyProbes holds each class's representative and source space") {
    std::mt19937 rng(7);
    const Policy policy = random_policy(rng);
    const PolicyProbes probes(policy);
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        const auto& cls = policy.classes()[i];
        CHECK(probes.representatives().of_class[i] == representative(policy, cls));
        CHECK(probes.source_spaces()[i].prefixes == source_space(policy, cls).prefixes);
        CHECK(probes.source_spaces()[i].carved_out == source_space(policy, cls).carved_out);
    }
    CHECK(std::is_sorted(probes.representatives().by_address.begin(), probes.representatives().by_address.end()));
}
