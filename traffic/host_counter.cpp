#include "traffic/host_counter.hpp"

#include <algorithm>
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

// True when `h` was not there yet.
bool HostCounter::insert(std::uint64_t h) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        if (slots_[i] == h) return false;
        if (slots_[i] == 0) {
            slots_[i] = h;
            ++size_;
            return true;
        }
    }
}

void HostCounter::grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
    size_ = 0;
    for (std::uint64_t h : old)
        if (h) insert(h);
}

std::vector<std::uint64_t> HostCounter::kept() const {
    std::vector<std::uint64_t> out;
    out.reserve(size_);
    for (std::uint64_t h : slots_)
        if (h) out.push_back(h);
    return out;
}

// Back to the kExactHosts smallest hashes; the largest of them becomes the threshold.
void HostCounter::prune() {
    std::vector<std::uint64_t> all = kept();
    std::nth_element(all.begin(), all.begin() + (kExactHosts - 1), all.end());
    threshold_ = all[kExactHosts - 1] + 1;
    all.resize(kExactHosts);
    slots_.assign(slots_.size(), 0);
    size_ = 0;
    for (std::uint64_t h : all) insert(h);
}

void HostCounter::add_hash(std::uint64_t h) {
    h += h == 0;
    if (h >= threshold_ || !insert(h)) return;
    if (!saturated_ && size_ > kExactHosts) saturated_ = true;
    if (saturated_ && size_ >= 2 * kExactHosts) prune();
}

std::uint64_t HostCounter::count() const {
    if (!saturated_) return size_;
    std::vector<std::uint64_t> all = kept();
    std::nth_element(all.begin(), all.begin() + (kExactHosts - 1), all.end());
    // (k - 1) / (k-th smallest hash as a fraction of the hash range)
    const double kth = static_cast<double>(all[kExactHosts - 1]) / 18446744073709551616.0;
    return static_cast<std::uint64_t>(std::llround(static_cast<double>(kExactHosts - 1) / kth));
}

}  // namespace microseg::traffic
