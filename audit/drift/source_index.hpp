#pragma once
// A router's flattened forward list indexed by the entries' source prefixes. The router audit
// restricts that list to each class of the policy (2,000 classes, thousands of entries per
// router on the L network); the index visits only the entries whose source concerns the class.
// Both lookups give exactly what a pass over the whole list with the same test gives (tested).

#include <cstddef>
#include <utility>
#include <vector>

#include "model/acl.hpp"

namespace microseg {

class SourceIndex {
public:
    // `entries` must outlive the index.
    explicit SourceIndex(const std::vector<AclEntry>& entries);

    // Ascending indices of the entries whose source, of prefix's family, contains `prefix` or
    // lies inside it (drift_router's within_source).
    std::vector<std::size_t> overlapping(const Cidr& prefix) const;
    // The entries a packet from `source` can match by source, in order (model/acl_diff's
    // entries_from): source "any" (a /0 of either family) or containing the address.
    std::vector<const AclEntry*> entries_from(const IpAddress& source) const;

private:
    // Adds the indices of the entries whose source is exactly `c`.
    void add_exact(const Cidr& c, std::vector<std::size_t>& out) const;

    const std::vector<AclEntry>& entries_;
    std::vector<std::pair<Cidr, std::size_t>> by_source_;  // (source, index), sorted
    std::vector<std::size_t> any_source_;                    // sources with prefix length 0
};

}  // namespace microseg
