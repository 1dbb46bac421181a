#include <doctest/doctest.h>

#include <random>
#include <string>

#include "model/interface_range.hpp"

using namespace microseg;

TEST_CASE("interface ranges expand on the last number") {
    auto gi = expand_interface_range("Gi1/0/1-36");
    REQUIRE(gi);
    REQUIRE(gi->size() == 36);
    CHECK(gi->front() == "Gi1/0/1");
    CHECK(gi->back() == "Gi1/0/36");
    auto eth = expand_interface_range("Ethernet1-24");
    REQUIRE(eth);
    CHECK(eth->size() == 24);
    CHECK(eth->at(23) == "Ethernet24");
    auto junos = expand_interface_range("ge-0/0/0-23");
    REQUIRE(junos);
    CHECK(junos->size() == 24);
    CHECK(junos->front() == "ge-0/0/0");
    auto single = expand_interface_range("ge-0/0/5");
    REQUIRE(single);
    REQUIRE(single->size() == 1);
    CHECK(single->front() == "ge-0/0/5");
    auto list = expand_interface_range("Gi1/0/1-2, Gi1/0/7");
    REQUIRE(list);
    CHECK(*list == std::vector<std::string>{"Gi1/0/1", "Gi1/0/2", "Gi1/0/7"});
    auto veth = expand_interface_range("veth-pumps");
    REQUIRE(veth);
    CHECK(veth->front() == "veth-pumps");
}

TEST_CASE("bad interface ranges are errors, not huge expansions") {
    CHECK(expand_interface_range("Gi1/0/36-1").error().message ==
          "bad interface range 'Gi1/0/36-1': the range runs backwards (36 > 1)");
    CHECK(expand_interface_range("Gi1/0/1-999999").error().message ==
          "bad interface range 'Gi1/0/1-999999': more than 4096 interfaces in one range");
    CHECK_FALSE(expand_interface_range("Gi1/0/1\nshutdown"));
    CHECK_FALSE(expand_interface_range("Gi 1/0/1"));
    CHECK_FALSE(expand_interface_range(""));
    CHECK_FALSE(expand_interface_range("Gi1/0/1,,Gi1/0/2"));
}

// split_interface_range is what expand_interface_range expands: the same names, the same errors.
TEST_CASE("interface lists split into spans that expand to the same names") {
    for (std::string_view text : {"Gi1/0/1-36", "Gi1/0/1-2, Gi1/0/7", "ge-0/0/5", "veth-pumps", "Gi1/0/01-03",
                                  "Gi1/0/1.100", "Ethernet1-4096", "Ethernet1-4097", "Gi1/0/1-4000,Gi2/0/1-97",
                                  "Gi1/0/36-1", "Gi1/0/1-999999", "", "Gi1/0/1,,Gi1/0/2", "Gi 1/0/1", "Gi1/0/x-3"}) {
        std::vector<InterfaceSpan> spans;
        auto error = split_interface_range(text, spans);
        auto names = expand_interface_range(text);
        REQUIRE(names.ok() == !error);
        if (error) {
            CHECK(error->message == names.error().message);
            continue;
        }
        std::vector<std::string> expanded;
        for (const auto& s : spans)
            for (unsigned n = s.first; n <= s.last; ++n) expanded.push_back(s.name(n));
        CHECK(expanded == *names);
    }
    std::vector<InterfaceSpan> spans;
    REQUIRE_FALSE(split_interface_range("Gi1/0/1-36 , Te1/1/1", spans));
    REQUIRE(spans.size() == 2);
    CHECK(spans[0].prefix == "Gi1/0/");
    CHECK(spans[0].size() == 36);
    CHECK(spans[1].prefix == "Te1/1/1");
    CHECK_FALSE(spans[1].range);
}

TEST_CASE("interfaces sort naturally and fold back into runs") {
    CHECK(interface_less("Gi1/0/2", "Gi1/0/10"));
    CHECK_FALSE(interface_less("Gi1/0/10", "Gi1/0/2"));
    auto runs = fold_interface_runs({"Gi1/0/10", "Gi1/0/2", "Gi1/0/1", "Gi1/0/3", "Te1/1/1",
                                     "Gi1/0/3", "Port-channel1", "mgmt"});
    REQUIRE(runs.size() == 5);
    CHECK(runs[0].prefix == "Gi1/0/");
    CHECK(runs[0].first == 1);
    CHECK(runs[0].last == 3);
    CHECK(runs[1].name(runs[1].first) == "Gi1/0/10");
    CHECK(runs[2].name(1) == "Port-channel1");
    CHECK(runs[3].name(1) == "Te1/1/1");
    CHECK_FALSE(runs[4].numbered);
    CHECK(runs[4].name(0) == "mgmt");
}

// interface_less skips the common prefix of the two names before it walks them; the result must
// be the plain walk's, including leading zeros ("Gi01" and "Gi1" have equal numbers) and numbers
// too long to read (they count as 0).
TEST_CASE("interface_less agrees with a plain natural-order walk") {
    auto plain = [](std::string_view a, std::string_view b) {
        auto digit = [](char c) { return c >= '0' && c <= '9'; };
        auto number = [](std::string_view s) -> unsigned long long {
            if (s.size() > 9) return 0;
            unsigned long long v = 0;
            for (char c : s) v = v * 10 + static_cast<unsigned>(c - '0');
            return v;
        };
        std::size_t i = 0, j = 0;
        while (i < a.size() && j < b.size()) {
            if (digit(a[i]) && digit(b[j])) {
                std::size_t i2 = i, j2 = j;
                while (i2 < a.size() && digit(a[i2])) ++i2;
                while (j2 < b.size() && digit(b[j2])) ++j2;
                auto x = number(a.substr(i, i2 - i)), y = number(b.substr(j, j2 - j));
                if (x != y) return x < y;
                i = i2;
                j = j2;
                continue;
            }
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
        return a.size() - i < b.size() - j;
    };
    const std::string pieces[] = {"Gi", "Ethernet", "1", "01", "10", "2", "/", "0", "9999999999", ".", "-", "a", ""};
    std::mt19937 random(11);
    auto name = [&] {
        std::string s;
        for (int n = static_cast<int>(random() % 6); n > 0; --n) s += pieces[random() % 13];
        return s;
    };
    for (int i = 0; i < 50000; ++i) {
        std::string a = name(), b = random() % 4 == 0 ? a + name() : name();
        if (random() % 3 == 0) b = a.substr(0, random() % (a.size() + 1)) + name();
        CHECK_MESSAGE(interface_less(a, b) == plain(a, b), a << " vs " << b);
    }
}
