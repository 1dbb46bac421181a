// The keys of model/interface_name.hpp must order names exactly as interface_less does, or the
// parsers' port lists would change order.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <random>

#include "model/interface_name.hpp"
#include "model/interface_range.hpp"

using namespace microseg;

namespace {

std::string key(std::string_view name) {
    std::string k;
    append_interface_key(name, k);
    return k;
}

}  // namespace

TEST_CASE("interface keys order names as interface_less does, on real and odd names") {
    std::vector<std::string> names = {"ge-0/0/1", "ge-0/0/10", "ge-0/0/2", "ge-1/0/0", "xe-0/2/0", "ae0", "ae10",
                                      "ge-0/0/01", "ge-0/0/001", "Gi1/0/1", "Gi1/0/1.5", "irb", "irb.10", "",
                                      "a1234567890", "a0", "a12345678901", "a999999999", "ge-0/0/1\xe9",
                                      "ge-0/0/1~", "ge-0/0/1 ", "1", "10a", "9b", "\x80", "/", ":"};
    std::mt19937 rng(7);
    const std::string alphabet = "09ab-/.:\x7f\xff";
    for (int i = 0; i < 3000; ++i) {
        std::string n;
        for (std::size_t k = rng() % 8; k > 0; --k) n += alphabet[rng() % alphabet.size()];
        names.push_back(n);
    }
    for (const auto& a : names)
        for (const auto& b : names) {
            if (&a - names.data() > 60 && &b - names.data() > 60 && (rng() % 16) != 0) continue;
            INFO(a << " vs " << b);
            REQUIRE(interface_less(a, b) == (key(a) < key(b)));
        }
}

TEST_CASE("sort_by_interface makes the permutation std::sort with interface_less makes") {
    std::vector<std::pair<std::string, int>> items;
    for (int i = 0; i < 500; ++i) items.push_back({fmt::format("ge-{}/0/{:0{}}", i % 3, (i * 37) % 50, i % 4 + 1), i});
    auto expected = items;
    std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return interface_less(a.first, b.first); });
    sort_by_interface(items, [](const auto& p) -> std::string_view { return p.first; });
    CHECK(items == expected);
}

TEST_CASE("sort_by_interface permutes the lines beside the items with them") {
    std::vector<std::pair<std::string, int>> items;
    std::vector<int> lines;
    for (int i = 0; i < 200; ++i) {
        items.push_back({fmt::format("Gi{}/0/{}", i % 2, (i * 37) % 60), i});
        lines.push_back(1000 + i);
    }
    sort_by_interface(items, [](const auto& p) -> std::string_view { return p.first; }, &lines);
    REQUIRE(lines.size() == items.size());
    for (std::size_t i = 0; i < items.size(); ++i) CHECK(lines[i] == 1000 + items[i].second);
}

TEST_CASE("interface names: abbreviations and Junos units") {
    CHECK(same_interface("Gi1/0/7", "GigabitEthernet1/0/7"));
    CHECK(same_interface("GigabitEthernet1/0/7", "Gi1/0/7"));
    CHECK(same_interface("Et12", "Ethernet12"));
    CHECK(same_interface("Te1/1/1", "TenGigabitEthernet1/1/1"));
    CHECK(same_interface("ge-0/0/3.0", "ge-0/0/3"));
    CHECK(same_interface("eth2", "eth2"));
    CHECK(!same_interface("Gi1/0/1", "GigabitEthernet1/0/10"));
    CHECK(!same_interface("Gi1/0/7", "TenGigabitEthernet1/0/7"));
    CHECK(!same_interface("ge-0/0/3.0", "ge-0/0/30"));
    CHECK(!same_interface("CPU", "Ethernet1"));
}

TEST_CASE("canonical interface names: every abbreviation each vendor prints or accepts") {
    using enum PlatformId;
    CHECK(canonical_interface(cisco_ios, "Gi1/0/7") == "GigabitEthernet1/0/7");
    CHECK(canonical_interface(cisco_ios, "gi1/0/7") == "GigabitEthernet1/0/7");
    CHECK(canonical_interface(cisco_ios, "Gig1/0/7") == "GigabitEthernet1/0/7");
    CHECK(canonical_interface(cisco_ios, "GigabitEthernet1/0/7") == "GigabitEthernet1/0/7");
    CHECK(canonical_interface(cisco_ios, "GigabitEthernet 1/0/7") == "GigabitEthernet1/0/7");
    CHECK(canonical_interface(cisco_ios, "Te1/1/1") == "TenGigabitEthernet1/1/1");
    CHECK(canonical_interface(cisco_ios, "Tw1/0/1") == "TwoGigabitEthernet1/0/1");
    CHECK(canonical_interface(cisco_ios, "Twe1/0/25") == "TwentyFiveGigE1/0/25");
    CHECK(canonical_interface(cisco_ios, "Fo1/1/1") == "FortyGigabitEthernet1/1/1");
    CHECK(canonical_interface(cisco_ios, "Hu1/0/49") == "HundredGigE1/0/49");
    CHECK(canonical_interface(cisco_ios, "Fa0/1") == "FastEthernet0/1");
    CHECK(canonical_interface(cisco_ios, "Po10") == "Port-channel10");
    CHECK(canonical_interface(cisco_ios, "port-channel10") == "Port-channel10");
    CHECK(canonical_interface(cisco_ios, "Vl110") == "Vlan110");
    CHECK(canonical_interface(cisco_ios, "Gi1/0/1.100") == "GigabitEthernet1/0/1.100");
    CHECK(canonical_interface(cisco_ios, "T1/1/1") == "T1/1/1");  // Ten, Two, Twenty: ambiguous
    CHECK(canonical_interface(cisco_ios, "F0/1") == "F0/1");      // one letter is never enough
    CHECK(canonical_interface(arista_eos, "Et12") == "Ethernet12");
    CHECK(canonical_interface(arista_eos, "Eth12") == "Ethernet12");
    CHECK(canonical_interface(arista_eos, "Ethernet49/1") == "Ethernet49/1");
    CHECK(canonical_interface(arista_eos, "Po10") == "Port-Channel10");
    CHECK(canonical_interface(arista_eos, "Ma1") == "Management1");
    CHECK(canonical_interface(junos, "ge-0/0/1.0") == "ge-0/0/1");
    CHECK(canonical_interface(junos, "ge-0/0/1") == "ge-0/0/1");
    CHECK(canonical_interface(junos, "irb.110") == "irb.110");   // not unit 0: a different interface
    CHECK(canonical_interface(junos, "ge-0/0/1.10") == "ge-0/0/1.10");
    CHECK(canonical_interface(nftables, "eth0") == "eth0");
    CHECK(same_interface(cisco_ios, "Gi1/0/7", "GigabitEthernet1/0/7"));
    CHECK_FALSE(same_interface(cisco_ios, "Gi1/0/1", "GigabitEthernet1/0/10"));
    CHECK_FALSE(same_interface(cisco_ios, "Gi1/0/7", "TenGigabitEthernet1/0/7"));
    CHECK_FALSE(same_interface(junos, "ge-0/0/3.0", "ge-0/0/30"));
}
