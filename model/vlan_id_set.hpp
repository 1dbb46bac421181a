#pragma once
// The VLANs a trunk carries, as sorted ranges of ids. A trunk that carries every VLAN is one
// range (4 bytes) instead of 4,094 ints: reading a config of 15,000 such trunks spent two thirds
// of its time in the kernel's page faults for the 16 KB vectors (bench/README.md "Session 12").
// It reads as the sorted, unique list of ids it stands for: iteration, size, comparison and
// ids() are those of that list, so code written for a std::vector<int> keeps its logic.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace microseg {

class VlanIdSet {
public:
    struct Range {
        std::uint16_t first = 0;
        std::uint16_t last = 0;  // inclusive
        bool operator==(const Range&) const = default;
    };

    // The ids in ascending order.
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = int;
        using difference_type = std::ptrdiff_t;
        using pointer = const int*;
        using reference = int;

        const_iterator() = default;
        const_iterator(const Range* range, const Range* end)
            : range_(range), end_(end), id_(range == end ? 0 : range->first) {}
        int operator*() const { return id_; }
        const_iterator& operator++() {
            if (id_ < range_->last) {
                ++id_;
            } else {
                ++range_;
                id_ = range_ == end_ ? 0 : range_->first;
            }
            return *this;
        }
        const_iterator operator++(int) {
            auto before = *this;
            ++*this;
            return before;
        }
        bool operator==(const const_iterator& o) const { return range_ == o.range_ && id_ == o.id_; }

    private:
        const Range* range_ = nullptr;
        const Range* end_ = nullptr;
        int id_ = 0;
    };
    using iterator = const_iterator;
    using value_type = int;

    VlanIdSet() = default;
    // The ids of `ids`, in any order, duplicates allowed. Implicit: a list of ids is a set of them.
    VlanIdSet(std::initializer_list<int> ids);
    VlanIdSet(const std::vector<int>& ids);  // NOLINT(google-explicit-constructor)

    // Adds first..last (inclusive), which must lie above every id already held: building a set
    // in ascending order, as a parser lists its VLANs, costs one comparison per range.
    void append(int first, int last);

    bool empty() const { return ranges_.empty(); }
    std::size_t size() const;  // the number of ids
    bool contains(int id) const;
    const_iterator begin() const { return {ranges_.data(), ranges_.data() + ranges_.size()}; }
    const_iterator end() const { return {ranges_.data() + ranges_.size(), ranges_.data() + ranges_.size()}; }
    // Maximal runs of consecutive ids, ascending.
    const std::vector<Range>& ranges() const { return ranges_; }
    std::vector<int> ids() const;

    // Ranges are kept maximal, so equal sets have equal ranges.
    bool operator==(const VlanIdSet& o) const { return ranges_ == o.ranges_; }
    // As the sorted lists of ids compare (the std::vector<int> this replaced).
    std::strong_ordering operator<=>(const VlanIdSet& o) const;

private:
    std::vector<Range> ranges_;
};

}  // namespace microseg
