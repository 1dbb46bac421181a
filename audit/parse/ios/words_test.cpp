// plain_interface_name, the IOS-style reader's shortcut for a block that names one interface,
// against split_interface_range on random names: where the shortcut says "plain", the full
// reading gives the one span {name} it stands for.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "audit/parse/ios/words.hpp"
#include "model/interface_range.hpp"

using namespace microseg;

TEST_CASE("plain_interface_name agrees with split_interface_range") {
    const std::string bytes = "GigabitEthernet0123456789/.:_-, \t\r!#Vlan";
    std::mt19937 random(16384);
    std::vector<InterfaceSpan> spans;
    int plain = 0;
    for (int round = 0; round < 50000; ++round) {
        std::string name;
        int n = std::uniform_int_distribution<int>(0, 24)(random);
        for (int i = 0; i < n; ++i) {
            bool common = round % 3 != 0;  // mostly the bytes of printed names
            std::size_t limit = common ? 29 : bytes.size() - 1;
            name += bytes[std::uniform_int_distribution<std::size_t>(0, limit)(random)];
        }
        if (round % 7 == 0) name = "GigabitEthernet1/0/" + std::to_string(round);
        INFO(name);
        if (!plain_interface_name(name)) continue;
        ++plain;
        auto error = split_interface_range(name, spans);
        REQUIRE_FALSE(error);
        REQUIRE(spans.size() == 1);
        CHECK(spans[0].prefix == name);
        CHECK_FALSE(spans[0].range);
        CHECK(spans[0].size() == 1);
    }
    CHECK(plain > 10000);
}
