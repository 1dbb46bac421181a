// Regression: a flow to `internet` (0.0.0.0/0) once compiled to "any destination" and so
// opened every internal class on that port. An address belongs to its most specific class.
#include <doctest/doctest.h>

#include "model/acl.hpp"
#include "model/acl_diff.hpp"

using namespace microseg;

namespace {

DeviceClass make(std::string name, std::optional<int> vlan, std::vector<const char*> subnets, bool external = false) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    for (auto s : subnets) c.subnets.push_back(*Cidr::parse(s));
    c.addresses = AddressSet(c.subnets);
    c.external = external;
    return c;
}

Packet tcp(const char* src, const char* dst, std::uint16_t port, bool established = false) {
    Packet p;
    p.protocol = Protocol::tcp;
    p.source = *IpAddress::parse(src);
    p.destination = *IpAddress::parse(dst);
    p.source_port = established ? port : 49152;
    p.destination_port = established ? 49152 : port;
    p.established = established;
    return p;
}

Policy hospital_like() {
    PolicyParts p;
    p.services = builtin_services();
    p.classes = {make("workstation", 200, {"10.200.0.0/21"}), make("pump", 110, {"10.110.0.0/22"}),
                 make("vendor-vpn", std::nullopt, {"172.31.200.0/24"}, true),
                 make("internet", std::nullopt, {"0.0.0.0/0"}, true)};
    FlowRule web;
    web.from = "workstation";
    web.to = "internet";
    web.services = {"https"};
    FlowRule vendor;
    vendor.from = "vendor-vpn";
    vendor.to = "workstation";
    vendor.services = {"ssh"};
    p.flows = {web, vendor};
    return Policy(std::move(p));
}

}  // namespace

TEST_CASE("a flow to 0.0.0.0/0 does not reach the classes inside it") {
    auto p = hospital_like();
    auto acl = intended_acl(p, *p.find_class("workstation")).entries;
    CHECK(acl_permits(acl, tcp("10.200.0.5", "192.0.2.10", 443)));      // the internet
    CHECK_FALSE(acl_permits(acl, tcp("10.200.0.5", "10.110.0.9", 443)));  // an internal class
    CHECK_FALSE(acl_permits(acl, tcp("10.200.0.5", "172.31.200.7", 443))); // a more specific external
    CHECK(acl_permits(acl, tcp("10.200.0.5", "172.31.200.7", 22, true)));  // but replies to it pass
    CHECK_FALSE(acl_permits(acl, tcp("10.200.0.5", "192.0.2.10", 80)));
    // The denies stand before the broad permit, and are few: the internal_space ranges, which
    // hold every inner subnet here (pump, vendor-vpn, the workstation's own).
    std::size_t denies = 0;
    for (const auto& e : acl) denies += e.action == AclAction::deny && e.tier == 1;
    CHECK(denies == 4);  // 10/8, 172.16/12, 192.168/16, 100.64/10
    CHECK_FALSE(acl_permits(acl, tcp("10.200.0.5", "10.99.0.1", 443)));  // owned by no class: not "internet"
}

TEST_CASE("without internal_space, only the classes inside a broad destination are denied") {
    auto parts = hospital_like().parts();
    parts.internal_space.clear();
    Policy p(std::move(parts));
    auto acl = intended_acl(p, *p.find_class("workstation")).entries;
    std::size_t denies = 0;
    for (const auto& e : acl) denies += e.action == AclAction::deny && e.tier == 1;
    CHECK(denies == 3);  // pump, vendor-vpn, the workstation's own subnet
    CHECK(acl_permits(acl, tcp("10.200.0.5", "10.99.0.1", 443)));
}
