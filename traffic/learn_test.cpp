// learn and simulate read one ObservedTraffic: what they propose and what they report.
#include <doctest/doctest.h>

#include "traffic/learn.hpp"
#include "traffic/simulate.hpp"
#include "traffic/traffic_test_policy.hpp"

using namespace microseg;
using namespace microseg::traffic;
using namespace microseg::traffic::testing;

namespace {

Observation observe_sessions(const Policy& policy, const std::vector<Session>& sessions) {
    Observation seen;
    seen.traffic = std::make_unique<ObservedTraffic>(policy, std::vector<InventoryEntry>{});
    seen.inputs.push_back({"flows.csv", {}});
    for (const auto& s : sessions) seen.traffic->add(s);
    return seen;
}

std::vector<Session> hospital_day() {
    return {
        test_session("10.120.0.5", "10.130.0.2", kTcp, 104, 10),   // modality -> pacs dicom
        test_session("10.120.0.6", "10.130.0.2", kTcp, 2762, 4),   // modality -> pacs dicom-tls
        test_session("10.200.0.5", "10.110.0.9", kTcp, 8080, 2),   // workstation -> pump, unknown port
        test_session("10.200.0.5", "10.130.0.2", kTcp, 443, 1),    // workstation -> pacs pacs-web
        test_session("10.200.0.5", "10.200.0.6", kTcp, 445, 3),    // inside a class
        test_session("10.99.1.1", "10.130.0.2", kTcp, 104, 1),     // unowned internal
    };
}

}  // namespace

TEST_CASE("learn proposes one entry per class pair, services sorted, with evidence and flags") {
    Policy policy = test_policy();
    Observation seen = observe_sessions(policy, hospital_day());
    Learned learned = learn(*seen.traffic, 1);
    REQUIRE(learned.flows.size() == 3);
    CHECK(policy.classes()[learned.flows[0].from].name == "modality");
    REQUIRE(learned.flows[0].services.size() == 2);
    CHECK(seen.traffic->service(learned.flows[0].services[0].service).name == "dicom");
    CHECK(learned.flows[0].services[0].evidence->sessions == 10);
    const std::string yaml = learned_yaml(*seen.traffic, learned);
    CHECK(yaml.find("services:\n  tcp-8080: [tcp/8080]\n") != std::string::npos);
    CHECK(yaml.find("  - {from: modality, to: pacs, services: [dicom, dicom-tls], reason: \"observed traffic\"}\n") !=
          std::string::npos);
    CHECK(yaml.find("  - {from: workstation, to: pump, services: [tcp-8080]") != std::string::npos);
    CHECK(yaml.find("! dicom is clear text: dicom-tls is its encrypted twin") != std::string::npos);
    CHECK(yaml.find("! into 'pump', criticality life") != std::string::npos);
    CHECK(yaml.find("! into 'pacs', which holds patient data (phi)") != std::string::npos);
    CHECK(yaml.find("10 sessions, 10.0 kB, 1 -> 1 hosts") != std::string::npos);
    REQUIRE(learned.not_proposed.size() == 1);
    CHECK(learned.not_proposed[0].what == "inside the class");
    const std::string text = learned_text(seen, learned);
    CHECK(text.find("10.99.1.1 (internal, owned by no class): 1 session,") != std::string::npos);
}

TEST_CASE("--min-sessions drops the noise, and says how much") {
    Policy policy = test_policy();
    Observation seen = observe_sessions(policy, hospital_day());
    Learned learned = learn(*seen.traffic, 3);
    CHECK(learned.flows.size() == 1);  // only modality -> pacs, 10 and 4 sessions
    CHECK(learned.below_min_sessions == 2);
    CHECK(learned.new_services.empty());
}

TEST_CASE("simulate: what the policy would deny, what nothing used, and the share allowed") {
    Policy policy = test_policy();
    Observation seen = observe_sessions(policy, hospital_day());
    Simulation sim = simulate(*seen.traffic);
    CHECK(sim.judged == 21);
    CHECK(sim.allowed == 18);  // dicom 10, dicom-tls 4, pacs-web 1, same class 3
    CHECK(sim.denied_sessions == 3);  // workstation -> pump 2, the unowned address 1
    REQUIRE(sim.denied.size() == 1);
    CHECK(policy.classes()[sim.denied[0].key.from].name == "workstation");
    CHECK(sim.denied[0].evidence->denied_sessions == 2);
    REQUIRE(sim.unused.size() == 1);
    CHECK(sim.unused[0].service == "ssh");
    CHECK(sim.blocks_observed());
    const std::string json = simulation_json(seen, sim);
    CHECK(json.find("\"responder_port\": 8080") != std::string::npos);
    CHECK(json.find("\"location\": \"policy.yaml:40:5\"") != std::string::npos);
}

TEST_CASE("learn never proposes a flow check would reject: a class the inventory names but no subnet holds") {
    PolicyParts parts = test_policy().parts();
    DeviceClass kiosk;
    kiosk.name = "kiosk";
    kiosk.vlan = 300;
    parts.classes.push_back(kiosk);
    Policy policy(std::move(parts));
    InventoryEntry by_ip{0, IpAddress::parse("10.99.0.1"), *policy.class_index("kiosk")};
    Observation seen;
    seen.traffic = std::make_unique<ObservedTraffic>(policy, std::vector<InventoryEntry>{by_ip});
    seen.traffic->add(test_session("10.99.0.1", "10.130.0.2", kTcp, 443, 2));
    seen.traffic->add(test_session("10.120.0.5", "10.130.0.2", kTcp, 104, 1));
    Learned learned = learn(*seen.traffic, 1);
    REQUIRE(learned.flows.size() == 1);
    CHECK(policy.classes()[learned.flows[0].from].name == "modality");
    REQUIRE(learned.not_proposed.size() == 1);
    CHECK(learned.not_proposed[0].what == "'kiosk' has no subnets: no flow can name it");
    CHECK(learned.not_proposed[0].sessions == 2);
}
