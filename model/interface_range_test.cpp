#include <doctest/doctest.h>

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
