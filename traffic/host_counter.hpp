#pragma once
// Distinct hosts of one (class pair, service) key, in bounded memory: exact up to kExactHosts,
// then estimated (DESIGN.md: "counted exactly up to 10,000 per key, then estimated, and the
// output says which"). It keeps 64-bit hashes of the hosts in a flat open-addressing set:
// below k that set is every host; past it, only hashes under a threshold are kept (pruned back
// to the k smallest whenever 2k gather), and the k-th smallest estimates the count (a
// k-minimum-values sketch, relative error about 1/sqrt(k), 1 %). Called once per session on
// the hot path of `learn`/`simulate`, hence no node allocations.

#include <cstdint>
#include <vector>

#include "model/ip.hpp"

namespace microseg::traffic {

std::uint64_t address_hash(const IpAddress& a);

class HostCounter {
public:
    static constexpr std::size_t kExactHosts = 10'000;

    void add(const IpAddress& host) { add_hash(address_hash(host)); }
    void add_hash(std::uint64_t host_hash);  // host_hash: address_hash of the host
    bool exact() const { return !saturated_; }
    std::uint64_t count() const;

private:
    bool insert(std::uint64_t h);
    void grow();
    void prune();
    std::vector<std::uint64_t> kept() const;

    std::vector<std::uint64_t> slots_;  // 0: empty; a hash of 0 is stored as 1
    std::size_t size_ = 0;
    std::uint64_t threshold_ = ~std::uint64_t{0};  // saturated: hashes at or above it are not kept
    bool saturated_ = false;
};

// 64 well-mixed bits of an address (also the traffic code's hash-map key hash).
std::uint64_t address_hash(const IpAddress& a);

struct AddressHash {
    std::size_t operator()(const IpAddress& a) const { return address_hash(a); }
};

}  // namespace microseg::traffic
