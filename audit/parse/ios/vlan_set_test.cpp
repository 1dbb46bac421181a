// The VLAN set's fast paths against the straightforward ways: its listing (runs of full words
// appended at once) and its runs (id_set, as the model keeps a trunk's VLANs) against the ids
// tested one by one, on sets of random ranges and single ids; parse_vlan_list (one pass)
// against the item-by-item reading it replaced, on random lists.
#include <doctest/doctest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "audit/parse/ios/vlan_set.hpp"
#include "audit/parse/ios/words.hpp"

using namespace microseg;

namespace {

std::vector<int> ids_one_by_one(const VlanSet& s) {
    std::vector<int> out;
    for (int id = 0; id < 4096; ++id)
        if (s.contains(id)) out.push_back(id);
    return out;
}

std::optional<int> vlan_id(std::string_view s) {
    auto v = decimal(s, 4094);
    if (!v || *v < 1) return std::nullopt;
    return static_cast<int>(*v);
}

// The reading parse_vlan_list replaced: split at commas, each item at its first dash.
std::optional<VlanSet> vlan_list_item_by_item(std::string_view s) {
    VlanSet out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto comma = s.find(',', pos);
        auto item = s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos);
        auto dash = item.find('-');
        auto a = vlan_id(item.substr(0, dash));
        auto b = dash == std::string_view::npos ? a : vlan_id(item.substr(dash + 1));
        if (!a || !b || *a > *b) return std::nullopt;
        out.add(*a, *b);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("parse_vlan_list reads what the item-by-item reading reads") {
    std::mt19937 random(4094);
    const std::vector<std::string> pieces = {"1", "2", "0", "00", "007", "10", "4094", "4095", "9999", "40940",
                                             "100", "-", ",", ",", "-", "a", " ", "\r", "", "1-4094", "300-200"};
    for (int round = 0; round < 20000; ++round) {
        std::string list;
        int n = std::uniform_int_distribution<int>(0, 8)(random);
        for (int i = 0; i < n; ++i)
            list += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
        if (round % 2) {  // mostly well formed: ids and ranges between commas
            list.clear();
            for (int i = 0; i < n + 1; ++i) {
                int a = std::uniform_int_distribution<int>(0, 4100)(random);
                list += (i ? "," : "") + std::to_string(a);
                if (round % 4 == 1) list += "-" + std::to_string(a + std::uniform_int_distribution<int>(-2, 300)(random));
            }
        }
        auto fast = parse_vlan_list(list);
        auto plain = vlan_list_item_by_item(list);
        INFO(list);
        REQUIRE(fast.has_value() == plain.has_value());
        if (fast) CHECK(fast->ids() == plain->ids());
    }
}

TEST_CASE("VlanSet::ids lists what contains holds, in order") {
    CHECK(VlanSet().ids().empty());
    CHECK(VlanSet().id_set().empty());
    CHECK(VlanSet::all().id_set().ranges() == std::vector<VlanIdSet::Range>{{1, 4094}});
    CHECK(VlanSet::all().ids() == ids_one_by_one(VlanSet::all()));
    CHECK(VlanSet::all().ids().size() == 4094);
    std::mt19937 random(24);
    for (int round = 0; round < 2000; ++round) {
        VlanSet s;
        int items = std::uniform_int_distribution<int>(0, 12)(random);
        for (int i = 0; i < items; ++i) {
            int first = std::uniform_int_distribution<int>(1, 4094)(random);
            int span = round % 3 == 0 ? 0 : std::uniform_int_distribution<int>(0, round % 2 ? 300 : 4094)(random);
            int last = std::min(4094, first + span);
            if (span == 0) s.add(first);
            else s.add(first, last);
        }
        if (round % 5 == 0) s = VlanSet::all().without(s);
        CHECK(s.ids() == ids_one_by_one(s));
        CHECK(s.id_set().ids() == s.ids());  // the runs of set bits, as the model keeps a trunk's
        CHECK(s.id_set() == VlanIdSet(s.ids()));
    }
}
