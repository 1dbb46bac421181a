// VlanIdSet against std::set<int> on random VLAN lists (unsorted, with duplicates, runs and
// single ids): iteration, size, contains, ids, equality and ordering must be those of the sorted
// list of ids, as the std::vector<int> it replaced in TrunkIntent gave them.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "model/vlan_id_set.hpp"

using namespace microseg;

namespace {

std::vector<int> random_vlan_list(std::mt19937& random, int round) {
    std::vector<int> ids;
    int items = std::uniform_int_distribution<int>(0, 40)(random);
    for (int i = 0; i < items; ++i) {
        int first = std::uniform_int_distribution<int>(1, 4094)(random);
        int span = round % 3 == 0 ? 0 : std::uniform_int_distribution<int>(0, round % 2 ? 8 : 600)(random);
        for (int id = first; id <= std::min(4094, first + span); ++id) ids.push_back(id);
    }
    if (round % 4 == 0) std::shuffle(ids.begin(), ids.end(), random);
    return ids;
}

std::vector<int> listed(const VlanIdSet& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("VlanIdSet holds what std::set<int> holds, in the same order") {
    std::mt19937 random(24);
    for (int round = 0; round < 3000; ++round) {
        auto list = random_vlan_list(random, round);
        std::set<int> want(list.begin(), list.end());
        VlanIdSet s(list);
        INFO("round ", round);
        CHECK(listed(s) == std::vector<int>(want.begin(), want.end()));
        CHECK(s.ids() == std::vector<int>(want.begin(), want.end()));
        CHECK(s.size() == want.size());
        CHECK(s.empty() == want.empty());
        for (int probe = 0; probe < 20; ++probe) {
            int id = std::uniform_int_distribution<int>(0, 4095)(random);
            CHECK(s.contains(id) == (want.count(id) == 1));
        }
        for (int id : want) CHECK(s.contains(id));
        // Ranges are maximal: no two touch, so equal sets have equal ranges.
        for (std::size_t i = 1; i < s.ranges().size(); ++i) CHECK(s.ranges()[i].first > s.ranges()[i - 1].last + 1);
        // Built in ascending order a range at a time, it is the same set.
        VlanIdSet appended;
        for (int id : want) appended.append(id, id);
        CHECK(appended == s);
    }
}

TEST_CASE("VlanIdSet compares as the sorted lists of its ids") {
    std::mt19937 random(7);
    for (int round = 0; round < 3000; ++round) {
        auto a = random_vlan_list(random, round), b = random_vlan_list(random, round + 1);
        if (round % 5 == 0) b = a;  // equal sets, spelt differently
        if (round % 5 == 1 && !b.empty()) a = {b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() / 2)};
        std::set<int> sa(a.begin(), a.end()), sb(b.begin(), b.end());
        VlanIdSet va(a), vb(b);
        CHECK((va == vb) == (sa == sb));
        CHECK((va <=> vb) == (sa <=> sb));
        CHECK((va < vb) == (std::vector<int>(sa.begin(), sa.end()) < std::vector<int>(sb.begin(), sb.end())));
    }
}

TEST_CASE("VlanIdSet: empty, every VLAN, adjacent runs") {
    CHECK(VlanIdSet().empty());
    CHECK(VlanIdSet().begin() == VlanIdSet().end());
    CHECK(VlanIdSet().size() == 0);
    CHECK_FALSE(VlanIdSet().contains(1));
    VlanIdSet all;
    all.append(1, 4094);
    CHECK(all.size() == 4094);
    CHECK(all.ranges().size() == 1);
    CHECK(listed(all).front() == 1);
    CHECK(listed(all).back() == 4094);
    VlanIdSet runs;
    runs.append(10, 19);
    runs.append(20, 20);  // touches the last run: merged
    runs.append(30, 31);
    CHECK(runs.ranges() == std::vector<VlanIdSet::Range>{{10, 20}, {30, 31}});
    CHECK(runs == VlanIdSet({31, 30, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20}));
}
