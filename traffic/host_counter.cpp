#include "traffic/host_counter.hpp"

#include <cmath>

namespace microseg::traffic {

namespace {

// splitmix64's finaliser: every input bit moves every output bit, so the hashes of nearby
// addresses (10.0.0.1, 10.0.0.2) spread over the whole range as the sketch needs.
std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

std::uint64_t address_hash(const IpAddress& a) {
    const auto low = static_cast<std::uint64_t>(a.value);
    const auto high = static_cast<std::uint64_t>(a.value >> 64);
    return mix64(low ^ mix64(high + (a.family == IpFamily::v6 ? 1 : 0)));
}

void HostCounter::add(const IpAddress& host) {
    const std::uint64_t h = address_hash(host);
    if (saturated_ && h >= *smallest_.rbegin()) return;
    if (!smallest_.insert(h).second) return;
    if (smallest_.size() > kExactHosts) {
        smallest_.erase(std::prev(smallest_.end()));
        saturated_ = true;
    }
}

std::uint64_t HostCounter::count() const {
    if (!saturated_) return smallest_.size();
    // (k - 1) / (k-th smallest hash as a fraction of the hash range)
    const double kth = static_cast<double>(*smallest_.rbegin()) / 18446744073709551616.0;
    return static_cast<std::uint64_t>(std::llround(static_cast<double>(kExactHosts - 1) / kth));
}

}  // namespace microseg::traffic
