#pragma once
// Interface names: one port has several spellings (a policy's "Gi1/0/7", a running config's
// "GigabitEthernet1/0/7", a MAC table's "Gi1/0/7", Junos "ge-0/0/3" and its unit "ge-0/0/3.0").
// Comparing them, and sorting them in interface_less order, lives here.
//
// Sorting parsed interfaces into interface_less order (model/interface_range.hpp), fast.
// interface_less parses the numbers of both names at every comparison, and a config of
// thousands of ports spent most of its conversion there. Here each name is encoded once into a
// key whose byte order is interface_less order; std::sort then sees the same outcome at every
// comparison as with interface_less, so it makes the same permutation (ties included).

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/platform.hpp"

namespace microseg {

// The one spelling of an interface on a platform, as its running config prints it: IOS
// "Gi1/0/7", "gi1/0/7", "Gig1/0/7" -> "GigabitEthernet1/0/7"; EOS "Et12", "eth12" ->
// "Ethernet12", "Po10" -> "Port-Channel10"; Junos "ge-0/0/3.0" (logical unit 0, where
// ethernet-switching lives) -> "ge-0/0/3". A name the platform's table does not know, or an
// abbreviation that fits two kinds ("T1/1/1"), is returned as written. Every comparison of
// interfaces between a policy, a config and the audit goes through it.
std::string canonical_interface(PlatformId platform, std::string_view name);
bool same_interface(PlatformId platform, std::string_view a, std::string_view b);

// Without a platform (a MAC table of unknown make): "Gi1/0/7" names "GigabitEthernet1/0/7",
// "Et12" names "Ethernet12", "ge-0/0/3.0" names "ge-0/0/3", by prefix.
bool same_interface(std::string_view seen, std::string_view configured);

// Appends `name`'s key to `out`. Keys compare as std::string_view does (unsigned bytes, a
// prefix first) exactly as interface_less compares the names.
void append_interface_key(std::string_view name, std::string& out);

// Sorts `items` by interface_less(name_of(a), name_of(b)), as std::sort would; `lines`, when
// given, holds one number per item and is permuted with them.
template <class T, class NameOf>
void sort_by_interface(std::vector<T>& items, NameOf name_of, std::vector<int>* lines = nullptr) {
    struct Key {
        std::size_t begin, size;  // in `keys`
        std::size_t index;        // in `items`
    };
    std::string keys;
    std::vector<Key> order;
    order.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::size_t begin = keys.size();
        append_interface_key(name_of(items[i]), keys);
        order.push_back({begin, keys.size() - begin, i});
    }
    std::string_view all = keys;
    std::sort(order.begin(), order.end(),
              [&](const Key& a, const Key& b) { return all.substr(a.begin, a.size) < all.substr(b.begin, b.size); });
    std::vector<T> sorted;
    sorted.reserve(items.size());
    for (const auto& k : order) sorted.push_back(std::move(items[k.index]));
    items = std::move(sorted);
    if (!lines) return;
    std::vector<int> sorted_lines;
    sorted_lines.reserve(order.size());
    for (const auto& k : order) sorted_lines.push_back(k.index < lines->size() ? (*lines)[k.index] : 0);
    *lines = std::move(sorted_lines);
}

}  // namespace microseg
