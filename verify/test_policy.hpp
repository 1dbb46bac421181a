#pragma once
// A small hand-built policy for verify/'s unit tests (no compiler involved):
//   pump    VLAN 10  10.0.10.0/24  isolate
//   monitor VLAN 20  10.0.20.0/24  isolate, shares VLAN 20
//   alarm   VLAN 20  10.0.22.0/24  isolate, shares VLAN 20
//   station VLAN 20  10.0.21.0/24  shares VLAN 20
//   server  VLAN 30  10.0.30.0/24  gateway 10.0.30.254
//   internet external 0.0.0.0/0;  vendor external 172.31.0.0/24
// Flows: pump -> server web (tcp/443), station -> server sync (udp/5000-5002),
//        server -> internet web, vendor -> server any (ip).

#include <string>

#include "model/policy.hpp"

namespace microseg::verify::testing {

inline DeviceClass make_class(std::string name, std::optional<int> vlan, const char* subnet) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    c.external = !vlan;
    c.subnets = {*Cidr::parse(subnet)};
    c.addresses = AddressSet(c.subnets);
    c.shared_vlan = vlan == 20;
    c.isolate = c.name == "pump" || c.name == "monitor" || c.name == "alarm";
    return c;
}

inline FlowRule make_flow(std::string from, std::string to, std::string service, int line) {
    return {std::move(from), std::move(to), {std::move(service)}, "", std::nullopt, {"t.yaml", line, 5}};
}

inline Policy test_policy() {
    PolicyParts p;
    p.name = "t";
    p.services = {{"any", {*ServicePort::parse("ip")}, false, "", false, {}},
                  {"sync", {*ServicePort::parse("udp/5000-5002")}, false, "", false, {}},
                  {"web", {*ServicePort::parse("tcp/443")}, false, "", false, {}}};
    p.classes = {make_class("pump", 10, "10.0.10.0/24"),     make_class("monitor", 20, "10.0.20.0/24"),
                 make_class("alarm", 20, "10.0.22.0/24"),    make_class("station", 20, "10.0.21.0/24"),
                 make_class("server", 30, "10.0.30.0/24"),   make_class("internet", std::nullopt, "0.0.0.0/0"),
                 make_class("vendor", std::nullopt, "172.31.0.0/24")};
    p.classes[4].gateway_address = IpAddress::parse("10.0.30.254");
    p.flows = {make_flow("pump", "server", "web", 10), make_flow("station", "server", "sync", 11),
               make_flow("server", "internet", "web", 12), make_flow("vendor", "server", "any", 13)};
    Switch sw;
    sw.name = "core";
    sw.gateway_for = {"pump", "monitor", "alarm", "station"};
    p.switches = {sw};
    return Policy(std::move(p));
}

}  // namespace microseg::verify::testing
