// SourceIndex gives exactly what a pass over the whole list gives: the entries whose source
// overlaps a prefix (drift_router's restriction) and the entries a source address can match
// (entries_from), on random lists with nested prefixes, hosts, "any" of either family,
// prefixes with host bits set and IPv6.
#include <doctest/doctest.h>

#include <random>

#include "audit/drift/source_index.hpp"
#include "model/acl_diff.hpp"

using namespace microseg;

namespace {

Cidr random_cidr(std::mt19937& rng) {
    std::uniform_int_distribution<int> pick(0, 9);
    const bool six = pick(rng) == 0;
    const IpFamily fam = six ? IpFamily::v6 : IpFamily::v4;
    const int bits = six ? 128 : 32;
    const Uint128 base = six ? (Uint128{0x20010db8} << 96) : Uint128{10u << 24};
    // Few distinct values, so that prefixes nest and repeat.
    const Uint128 value = base | (Uint128{static_cast<unsigned>(pick(rng) % 4)} << (bits - 16)) |
                          (Uint128{static_cast<unsigned>(pick(rng) % 3)} << (bits - 24)) |
                          Uint128{static_cast<unsigned>(pick(rng) % 2)};
    const int lens[] = {0, 8, 16, 20, 24, 24, 31, bits, bits, 16};
    const int len = lens[pick(rng)];
    Cidr c{IpAddress{fam, value}, len};
    if (pick(rng) > 0 && len < bits) {  // most prefixes normalised: host bits cleared
        const int host = bits - len;
        c.network.value = host >= 128 ? 0 : c.network.value >> host << host;
    }
    return c;
}

bool overlaps(const AclEntry& e, const Cidr& prefix) {
    return e.source.network.family == prefix.network.family && (e.source.contains(prefix) || prefix.contains(e.source));
}

}  // namespace

TEST_CASE("SourceIndex finds what a pass over every entry finds") {
    std::mt19937 rng(11);
    for (int round = 0; round < 200; ++round) {
        std::vector<AclEntry> entries(std::uniform_int_distribution<int>(0, 60)(rng));
        for (auto& e : entries) e.source = random_cidr(rng);
        const SourceIndex index(entries);
        for (int q = 0; q < 30; ++q) {
            Cidr prefix = random_cidr(rng);
            const int host = prefix.network.bits() - prefix.prefix_len;
            prefix.network.value = host >= 128 ? 0 : prefix.network.value >> host << host;  // normalised, as classes' are
            std::vector<std::size_t> want;
            for (std::size_t i = 0; i < entries.size(); ++i)
                if (overlaps(entries[i], prefix)) want.push_back(i);
            REQUIRE(index.overlapping(prefix) == want);
            const IpAddress address{prefix.network.family, prefix.network.value | 1};
            REQUIRE(index.entries_from(address) == entries_from(entries, address));
        }
    }
}
