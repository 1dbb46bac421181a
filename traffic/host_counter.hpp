#pragma once
// Distinct hosts of one (class pair, service) key, in bounded memory: exact up to kExactHosts,
// then estimated (DESIGN.md: "counted exactly up to 10,000 per key, then estimated, and the
// output says which"). It keeps the kExactHosts smallest 64-bit hashes of the hosts seen (a
// k-minimum-values sketch): below k that set is every host, above it the k-th smallest hash
// estimates the count (relative error about 1/sqrt(k), 1 %).

#include <cstdint>
#include <set>

#include "model/ip.hpp"

namespace microseg::traffic {

class HostCounter {
public:
    static constexpr std::size_t kExactHosts = 10'000;

    void add(const IpAddress& host);
    bool exact() const { return !saturated_; }
    std::uint64_t count() const;

private:
    std::set<std::uint64_t> smallest_;  // the smallest hashes seen, at most kExactHosts
    bool saturated_ = false;
};

// 64 well-mixed bits of an address (also the traffic code's hash-map key hash).
std::uint64_t address_hash(const IpAddress& a);

struct AddressHash {
    std::size_t operator()(const IpAddress& a) const { return address_hash(a); }
};

}  // namespace microseg::traffic
