#include <doctest/doctest.h>

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
