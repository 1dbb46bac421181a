#include "audit/drift/source_index.hpp"

#include <algorithm>

namespace microseg {
namespace {

// `a` with its host bits for a /len prefix cleared.
IpAddress masked(const IpAddress& a, int len) {
    const int host_bits = a.bits() - len;
    if (host_bits <= 0) return a;
    if (host_bits >= 128) return {a.family, 0};
    return {a.family, a.value >> host_bits << host_bits};
}

void sort_unique(std::vector<std::size_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

SourceIndex::SourceIndex(const std::vector<AclEntry>& entries) : entries_(entries) {
    by_source_.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        by_source_.emplace_back(entries[i].source, i);
        if (entries[i].source.prefix_len == 0) any_source_.push_back(i);
    }
    std::sort(by_source_.begin(), by_source_.end());
}

void SourceIndex::add_exact(const Cidr& c, std::vector<std::size_t>& out) const {
    auto it = std::lower_bound(by_source_.begin(), by_source_.end(), std::pair{c, std::size_t{0}});
    for (; it != by_source_.end() && it->first == c; ++it) out.push_back(it->second);
}

std::vector<std::size_t> SourceIndex::overlapping(const Cidr& prefix) const {
    std::vector<std::size_t> out;
    // Sources containing the prefix: the prefix's own network at each shorter length (a source
    // with host bits set contains nothing).
    for (int len = 0; len <= prefix.prefix_len; ++len) add_exact({masked(prefix.network, len), len}, out);
    // Sources inside the prefix: their networks lie in its range, and they are no shorter.
    auto it = std::lower_bound(by_source_.begin(), by_source_.end(), std::pair{Cidr{prefix.first(), 0}, std::size_t{0}});
    const IpAddress last = prefix.last();
    for (; it != by_source_.end() && it->first.network <= last; ++it)
        if (it->first.prefix_len >= prefix.prefix_len) out.push_back(it->second);
    sort_unique(out);
    return out;
}

std::vector<const AclEntry*> SourceIndex::entries_from(const IpAddress& source) const {
    std::vector<std::size_t> found = any_source_;
    for (int len = 1; len <= source.bits(); ++len) add_exact({masked(source, len), len}, found);
    sort_unique(found);
    std::vector<const AclEntry*> out;
    out.reserve(found.size());
    for (std::size_t i : found) out.push_back(&entries_[i]);
    return out;
}

}  // namespace microseg
