#pragma once
// A small policy built in code for the traffic unit tests (traffic/ does not link the
// compiler): a modality, a PACS holding patient data, life-critical pumps (isolated), and
// workstations, with flows the tests name.

#include "model/policy.hpp"
#include "traffic/sessions.hpp"

namespace microseg::traffic::testing {

inline DeviceClass test_class(const char* name, int vlan, const char* subnet) {
    DeviceClass c;
    c.name = name;
    c.vlan = vlan;
    c.subnets = {*Cidr::parse(subnet)};
    c.addresses = AddressSet(c.subnets);
    return c;
}

inline Service test_service(const char* name, std::vector<const char*> ports) {
    Service s;
    s.name = name;
    for (const char* p : ports) s.ports.push_back(*ServicePort::parse(p));
    return s;
}

inline FlowRule test_flow(const char* from, const char* to, std::vector<std::string> services) {
    FlowRule f;
    f.from = from;
    f.to = to;
    f.services = std::move(services);
    f.location = {"policy.yaml", 40, 5};
    return f;
}

inline Policy test_policy() {
    PolicyParts parts;
    parts.name = "traffic-test";
    parts.services = builtin_services();
    parts.services.push_back(test_service("pacs-web", {"tcp/443", "tcp/8443"}));
    parts.services.push_back(test_service("tcp-9000", {"tcp/9000"}));  // a name the learned ones must avoid
    std::sort(parts.services.begin(), parts.services.end(), [](auto& a, auto& b) { return a.name < b.name; });
    parts.classes.push_back(test_class("modality", 120, "10.120.0.0/24"));
    auto pacs = test_class("pacs", 130, "10.130.0.0/26");
    pacs.phi = true;
    parts.classes.push_back(pacs);
    auto pump = test_class("pump", 110, "10.110.0.0/22");
    pump.criticality = Criticality::life;
    pump.isolate = true;
    parts.classes.push_back(pump);
    parts.classes.push_back(test_class("workstation", 200, "10.200.0.0/21"));
    auto internet = test_class("internet", 0, "0.0.0.0/0");
    internet.vlan.reset();
    internet.external = true;
    parts.classes.push_back(internet);
    parts.flows.push_back(test_flow("modality", "pacs", {"dicom", "dicom-tls"}));
    parts.flows.push_back(test_flow("workstation", "pacs", {"pacs-web"}));
    parts.flows.push_back(test_flow("workstation", "modality", {"ssh"}));
    return Policy(std::move(parts));
}

inline Session test_session(const char* from, const char* to, std::uint8_t protocol, std::uint16_t port,
                            std::uint64_t count = 1) {
    Session s;
    s.initiator = *IpAddress::parse(from);
    s.responder = *IpAddress::parse(to);
    s.protocol = protocol;
    s.initiator_port = 50000;
    s.responder_port = port;
    s.count = count;
    s.bytes = 1000 * count;
    s.first_ms = 1'700'000'000'000;
    s.last_ms = s.first_ms + 1000;
    return s;
}

}  // namespace microseg::traffic::testing
