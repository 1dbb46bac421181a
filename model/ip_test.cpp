#include <doctest/doctest.h>

#include <arpa/inet.h>

#include <functional>
#include <random>
#include <string>

#include <fmt/format.h>

#include "model/ip.hpp"

using namespace microseg;

static Cidr cidr(const char* s) {
    auto c = Cidr::parse(s);
    REQUIRE_MESSAGE(c.has_value(), s);
    return *c;
}

TEST_CASE("IPv4 and IPv6 addresses parse and print") {
    CHECK(IpAddress::parse("10.110.0.1")->str() == "10.110.0.1");
    CHECK(IpAddress::parse("2001:db8::1")->str() == "2001:db8::1");
    CHECK_FALSE(IpAddress::parse("10.110.0"));
    CHECK_FALSE(IpAddress::parse("10.110.0.256"));
    CHECK_FALSE(IpAddress::parse("010.1.1.1"));  // no octal look-alikes
    CHECK_FALSE(IpAddress::parse(""));
    CHECK_FALSE(IpAddress::parse("not-an-address"));
}

TEST_CASE("CIDR parsing is strict about host bits and prefix lengths") {
    std::string why;
    CHECK(cidr("10.110.0.0/22").str() == "10.110.0.0/22");
    CHECK_FALSE(Cidr::parse("10.110.0.1/22", &why));
    CHECK(why == "host bits set; the network is 10.110.0.0/22");
    CHECK_FALSE(Cidr::parse("10.0.0.0/33", &why));
    CHECK(why == "prefix length must be a number from 0 to 32");
    CHECK_FALSE(Cidr::parse("10.0.0.0/08"));
    CHECK(cidr("10.0.0.7").prefix_len == 32);
    CHECK(cidr("2001:db8::/32").prefix_len == 32);
    CHECK(cidr("0.0.0.0/0").is_any());
}

TEST_CASE("CIDR maths: bounds, masks, first host") {
    auto c = cidr("10.110.0.0/22");
    CHECK(c.last().str() == "10.110.3.255");
    CHECK(c.mask().str() == "255.255.252.0");
    CHECK(c.wildcard().str() == "0.0.3.255");
    CHECK(c.first_host().str() == "10.110.0.1");
    CHECK(cidr("10.0.0.4/31").first_host().str() == "10.0.0.4");
    CHECK(cidr("2001:db8::/64").first_host().str() == "2001:db8::1");
    IpAddress host;
    auto iface = Cidr::parse_interface("10.1.2.3/24", &host);
    REQUIRE(iface);
    CHECK(iface->str() == "10.1.2.0/24");
    CHECK(host.str() == "10.1.2.3");
    bool contiguous = false;
    CHECK(Cidr::from_mask(*IpAddress::parse("10.1.0.0"), *IpAddress::parse("255.255.0.0"), &contiguous)
              .str() == "10.1.0.0/16");
    CHECK(contiguous);
    Cidr::from_mask(*IpAddress::parse("10.1.0.0"), *IpAddress::parse("255.0.255.0"), &contiguous);
    CHECK_FALSE(contiguous);
}

TEST_CASE("CIDR containment and overlap") {
    CHECK(cidr("10.0.0.0/8").contains(cidr("10.110.0.0/22")));
    CHECK_FALSE(cidr("10.110.0.0/22").contains(cidr("10.0.0.0/8")));
    CHECK(cidr("10.110.0.0/22").overlaps(cidr("10.110.2.0/24")));
    CHECK_FALSE(cidr("10.110.0.0/22").overlaps(cidr("10.110.4.0/24")));
    CHECK_FALSE(cidr("10.0.0.0/8").overlaps(cidr("2001:db8::/32")));
    CHECK(cidr("0.0.0.0/0").contains(*IpAddress::parse("192.0.2.1")));
}

TEST_CASE("address sets merge adjacent prefixes and find overlaps") {
    AddressSet s({cidr("10.0.0.0/25"), cidr("10.0.0.128/25"), cidr("10.0.1.0/24")});
    REQUIRE(s.cidrs().size() == 1);
    CHECK(s.cidrs()[0].str() == "10.0.0.0/23");
    AddressSet dup({cidr("10.0.0.0/24"), cidr("10.0.0.0/24"), cidr("10.0.0.64/26")});
    CHECK(dup.cidrs().size() == 1);
    AddressSet gap({cidr("10.0.0.0/24"), cidr("10.0.2.0/24")});
    CHECK(gap.cidrs().size() == 2);
    CHECK(gap.overlaps(AddressSet({cidr("10.0.2.128/25")})));
    CHECK_FALSE(gap.overlaps(AddressSet({cidr("10.0.1.0/24")})));
    AddressSet both({cidr("10.0.0.0/24"), cidr("2001:db8::/64")});
    CHECK(both.cidrs().size() == 2);
    CHECK(both.contains(*IpAddress::parse("2001:db8::5")));
}

TEST_CASE("a range becomes the fewest CIDRs") {
    auto r = cidrs_of_range({*IpAddress::parse("10.0.0.1"), *IpAddress::parse("10.0.0.6")});
    REQUIRE(r.size() == 4);  // .1/32 .2/31 .4/31 .6/32
    CHECK(r[0].str() == "10.0.0.1/32");
    CHECK(r[1].str() == "10.0.0.2/31");
    CHECK(r[2].str() == "10.0.0.4/31");
    CHECK(r[3].str() == "10.0.0.6/32");
    auto all = cidrs_of_range({*IpAddress::parse("0.0.0.0"), *IpAddress::parse("255.255.255.255")});
    REQUIRE(all.size() == 1);
    CHECK(all[0].str() == "0.0.0.0/0");
}

// IpAddress::parse reads IPv4 itself (it is on the parsers' hot path); it must accept exactly
// what inet_pton does. Every short string over the characters that matter, and random longer ones.
TEST_CASE("IPv4 parsing agrees with inet_pton") {
    auto agrees = [](const std::string& text) {
        in_addr reference{};
        bool pton = inet_pton(AF_INET, text.c_str(), &reference) == 1;
        auto ours = IpAddress::parse(text);
        if (text.find(':') != std::string::npos) return true;  // the IPv6 path
        if (pton != ours.has_value()) return false;
        return !pton || ours->value == ntohl(reference.s_addr);
    };
    const std::string alphabet = "0129.5x";
    std::string text;
    std::function<void(std::size_t)> every = [&](std::size_t left) {
        CHECK_MESSAGE(agrees(text), text);
        if (left == 0) return;
        for (char c : alphabet) {
            text.push_back(c);
            every(left - 1);
            text.pop_back();
        }
    };
    every(5);
    std::mt19937 random(7);
    const std::string octet_parts[] = {"0", "1", "00", "01", "25", "255", "256", "999", "1000", "", "."};
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        int parts = 1 + static_cast<int>(random() % 6);
        for (int p = 0; p < parts; ++p) s += octet_parts[random() % 11] + (p + 1 < parts ? "." : "");
        CHECK_MESSAGE(agrees(s), s);
    }
    CHECK(IpAddress::parse(std::string_view("10.0.0.1\0junk", 13)) == IpAddress::v4(0x0a000001));  // a C string ends at NUL
    CHECK_FALSE(IpAddress::parse(std::string_view("10.0.0.1\0:1", 11)));  // a ':' anywhere: IPv6, "10.0.0.1" is not
}

TEST_CASE("a mask's prefix length is its leading ones, for both families") {
    for (int len = 0; len <= 32; ++len) {
        bool contiguous = false;
        auto c = Cidr::from_mask(*IpAddress::parse("10.1.2.3"), cidr(fmt::format("0.0.0.0/{}", len).c_str()).mask(), &contiguous);
        CHECK(c.prefix_len == len);
        CHECK(contiguous);
    }
    for (int len : {0, 1, 63, 64, 65, 127, 128}) {
        bool contiguous = false;
        auto c = Cidr::from_mask(*IpAddress::parse("2001:db8::1"), cidr(fmt::format("::/{}", len).c_str()).mask(), &contiguous);
        CHECK(c.prefix_len == len);
        CHECK(contiguous);
    }
    bool contiguous = true;
    auto gap = Cidr::from_mask(*IpAddress::parse("10.0.0.0"), *IpAddress::parse("255.0.255.0"), &contiguous);
    CHECK(gap.prefix_len == 8);
    CHECK_FALSE(contiguous);
}
