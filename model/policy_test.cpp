#include <doctest/doctest.h>

#include "model/policy.hpp"

using namespace microseg;

static DeviceClass make_class(std::string name, std::optional<int> vlan, const char* subnet,
                              bool external = false) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    c.subnets = {*Cidr::parse(subnet)};
    c.addresses = AddressSet(c.subnets);
    c.external = external;
    return c;
}

TEST_CASE("policy lookups, VLANs and the class of an address") {
    PolicyParts parts;
    parts.classes.push_back(make_class("infusion-pump", 110, "10.110.0.0/22"));
    parts.classes.push_back(make_class("pump-server", 110, "10.110.4.0/24"));
    parts.classes.push_back(make_class("workstation", 200, "10.200.0.0/21"));
    parts.classes.push_back(make_class("vendor-vpn", std::nullopt, "10.110.4.0/28", true));
    parts.classes.push_back(make_class("internet", std::nullopt, "0.0.0.0/0", true));
    Switch sw;
    sw.name = "acc-sw-01";
    sw.gateway_for = {"infusion-pump"};
    sw.ports = {{"Gi1/0/1", "workstation", {}}};
    sw.trunks = {{"Te1/1/1", {300}, {}}};
    parts.switches.push_back(sw);
    Policy p(std::move(parts));

    REQUIRE(p.find_class("pump-server"));
    CHECK(p.find_class("nope") == nullptr);
    CHECK(p.class_index("workstation") == 2u);
    CHECK(p.gateway_of("infusion-pump")->name == "acc-sw-01");
    CHECK(p.gateway_of("workstation") == nullptr);

    auto vlans = p.vlans();
    REQUIRE(vlans.size() == 2);
    CHECK(vlans[0].id == 110);
    CHECK(vlans[0].name() == "infusion-pump+pump-server");
    CHECK(vlans_on_switch(p, p.switches()[0]) == std::vector<int>{110, 200, 300});
    REQUIRE(p.vlan(110));
    CHECK(p.vlan(110)->classes == vlans[0].classes);
    CHECK(p.vlan(200)->name() == "workstation");
    CHECK_FALSE(p.vlan(300));  // carried on a trunk, but no class has it

    CHECK(p.class_of(*IpAddress::parse("10.110.1.7"))->name == "infusion-pump");
    CHECK(p.class_of(*IpAddress::parse("10.110.4.3"))->name == "vendor-vpn");  // most specific
    CHECK(p.class_of(*IpAddress::parse("10.110.4.100"))->name == "pump-server");
    CHECK(p.class_of(*IpAddress::parse("192.0.2.1"))->name == "internet");
}

TEST_CASE("class_of: same subnet, IPv6, /0 and /32, and no owner") {
    PolicyParts parts;
    parts.classes.push_back(make_class("partner", std::nullopt, "10.5.0.0/16", true));
    parts.classes.push_back(make_class("lab", 50, "10.5.0.0/16"));      // same subnet: internal beats external
    parts.classes.push_back(make_class("lab-copy", 51, "10.5.0.0/16"));  // and the first internal stays
    parts.classes.push_back(make_class("host", 52, "10.5.7.7/32"));
    parts.classes.push_back(make_class("v6-imaging", 60, "2001:db8:10::/48"));
    parts.classes.push_back(make_class("v6-any", std::nullopt, "::/0", true));
    Policy p(std::move(parts));

    CHECK(p.class_of(*IpAddress::parse("10.5.200.1"))->name == "lab");
    CHECK(p.class_of(*IpAddress::parse("10.5.7.7"))->name == "host");
    CHECK(p.class_of(*IpAddress::parse("10.5.7.8"))->name == "lab");
    CHECK(p.class_of(*IpAddress::parse("10.6.0.1")) == nullptr);  // no IPv4 /0 here
    CHECK(p.class_of(*IpAddress::parse("2001:db8:10:ffff::1"))->name == "v6-imaging");
    CHECK(p.class_of(*IpAddress::parse("2001:db8:11::1"))->name == "v6-any");
}

TEST_CASE("protected classes are life, high or phi") {
    DeviceClass c;
    CHECK_FALSE(c.is_protected());
    c.criticality = Criticality::high;
    CHECK(c.is_protected());
    c.criticality = Criticality::low;
    c.phi = true;
    CHECK(c.is_protected());
    CHECK(parse_criticality("life") == Criticality::life);
    CHECK_FALSE(parse_criticality("critical"));
}

TEST_CASE("the platform table names every platform once") {
    CHECK(find_platform("cisco-ios")->extension == "ios");
    CHECK(find_platform("junos")->id == PlatformId::junos);
    CHECK(find_platform("cisco") == nullptr);
    CHECK(platform_names() == "cisco-ios, arista-eos, junos, nftables");
    CHECK(fmt::format("{}", PlatformId::nftables) == "nftables");
}

TEST_CASE("diagnostics print with location, kind and caret") {
    const Diagnostic d = make_error("unknown key 'vlna'", SourceLocation{"p.yaml", 3, 5}, "unknown-key");
    CHECK(format_diagnostic(d) == "p.yaml:3:5: error: unknown key 'vlna' [unknown-key]");
    CHECK(format_diagnostic(d, "    vlna: 110") ==
          "p.yaml:3:5: error: unknown key 'vlna' [unknown-key]\n        vlna: 110\n        ^");
}

TEST_CASE("policy index: flows by class and subnets nested inside a class") {
    PolicyParts parts;
    parts.classes.push_back(make_class("infusion-pump", 110, "10.110.0.0/22"));
    parts.classes.push_back(make_class("pump-server", 110, "10.110.4.0/24"));
    parts.classes.push_back(make_class("vendor-vpn", std::nullopt, "10.110.4.0/28", true));
    parts.classes.push_back(make_class("internet", std::nullopt, "0.0.0.0/0", true));
    parts.classes.back().subnets.push_back(*Cidr::parse("::/0"));
    parts.classes.push_back(make_class("v6-lab", 120, "2001:db8::/64"));
    parts.flows = {{"infusion-pump", "pump-server", {"https"}, "", {}, {}},
                   {"vendor-vpn", "pump-server", {"ssh"}, "", {}, {}},
                   {"infusion-pump", "internet", {"https"}, "", {}, {}}};
    Policy p(std::move(parts));

    CHECK(p.flows_from(0) == std::vector<std::size_t>{0, 2});
    CHECK(p.flows_to(1) == std::vector<std::size_t>{0, 1});
    CHECK(p.flows_from(3).empty());
    CHECK(p.flow_ends(1).from == 2u);
    CHECK(p.flow_ends(1).to == 1u);
    CHECK(p.index_of(p.classes()[2]) == 2u);
    DeviceClass copy = p.classes()[3];
    CHECK(p.index_of(copy) == 3u);

    // Strictly inside, other classes only, both families; equal or wider prefixes are not.
    CHECK(p.nested_class_subnets(1).cidrs() == std::vector<Cidr>{*Cidr::parse("10.110.4.0/28")});
    CHECK(p.nested_class_subnets(2).empty());
    CHECK(p.nested_class_subnets(0).empty());
    // An external class also loses the internal_space ranges it strictly contains (the
    // default: 10/8 holds the pumps' subnets).
    auto expected = AddressSet({*Cidr::parse("10.110.0.0/22"), *Cidr::parse("10.110.4.0/24"),
                                *Cidr::parse("2001:db8::/64")});
    for (const auto& c : default_internal_space()) expected.add(c);
    CHECK(p.nested_class_subnets(3).cidrs() == expected.cidrs());
    CHECK(p.nested_class_subnets(2).empty());  // inside 10/8, not around it: matched as written
}

TEST_CASE("a policy's parts make a new policy, indexed anew; a released policy is empty") {
    PolicyParts parts;
    parts.name = "parts";
    parts.classes.push_back(make_class("pump", 110, "10.110.0.0/22"));
    parts.classes.push_back(make_class("server", 120, "10.120.0.0/24"));
    parts.flows = {{"pump", "server", {"https"}, "", {}, {}}};
    Policy p(std::move(parts));

    PolicyParts more = p.parts();
    more.classes.push_back(make_class("monitor", 130, "10.130.0.0/24"));
    more.flows.push_back({"monitor", "server", {"https"}, "", {}, {}});
    Policy q(std::move(more));
    CHECK(p.classes().size() == 2u);  // unchanged by its copied parts
    CHECK(q.name() == "parts");
    CHECK(q.flows_to(1) == std::vector<std::size_t>{0, 1});
    CHECK(q.class_of(*IpAddress::parse("10.130.0.9"))->name == "monitor");

    Policy moved = std::move(q);
    CHECK(moved.find_class("monitor") == &moved.classes()[2]);
    PolicyParts released = std::move(moved).release();
    CHECK(released.classes.size() == 3u);
    CHECK(moved.classes().empty());  // release() leaves an empty policy, indexed as such
    CHECK(moved.find_class("monitor") == nullptr);
    CHECK(moved.vlans().empty());
}
