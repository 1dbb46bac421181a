#include "model/vlan_id_set.hpp"

#include <algorithm>
#include <cassert>

namespace microseg {

VlanIdSet::VlanIdSet(std::initializer_list<int> ids) : VlanIdSet(std::vector<int>(ids)) {}

VlanIdSet::VlanIdSet(const std::vector<int>& ids) {
    if (std::is_sorted(ids.begin(), ids.end())) {  // as parsers and the policy give them
        for (int id : ids)
            if (ranges_.empty() || id > ranges_.back().last) append(id, id);
        return;
    }
    auto sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    for (int id : sorted)
        if (ranges_.empty() || id > ranges_.back().last) append(id, id);
}

void VlanIdSet::append(int first, int last) {
    assert(first <= last && first >= 0 && last <= 0xffff);
    assert(ranges_.empty() || first > ranges_.back().last);
    if (!ranges_.empty() && first == ranges_.back().last + 1) {
        ranges_.back().last = static_cast<std::uint16_t>(last);
        return;
    }
    ranges_.push_back({static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last)});
}

std::size_t VlanIdSet::size() const {
    std::size_t n = 0;
    for (const auto& r : ranges_) n += static_cast<std::size_t>(r.last - r.first) + 1;
    return n;
}

bool VlanIdSet::contains(int id) const {
    auto it = std::partition_point(ranges_.begin(), ranges_.end(), [id](const Range& r) { return r.last < id; });
    return it != ranges_.end() && it->first <= id;
}

std::vector<int> VlanIdSet::ids() const {
    std::vector<int> out;
    out.reserve(size());
    for (const auto& r : ranges_)
        for (int id = r.first; id <= r.last; ++id) out.push_back(id);
    return out;
}

std::strong_ordering VlanIdSet::operator<=>(const VlanIdSet& o) const {
    return std::lexicographical_compare_three_way(begin(), end(), o.begin(), o.end());
}

}  // namespace microseg
