#pragma once
// Hand-built policies for the analysis tests (reachability, lateral paths, review, export):
// small enough that every expected answer can be worked out on paper.

#include <optional>
#include <string>
#include <vector>

#include "model/policy.hpp"

namespace microseg::fixtures {

struct ClassSpec {
    std::string name;
    std::optional<int> vlan;  // none: external
    std::int64_t devices = 1;
    Criticality criticality = Criticality::medium;
    bool entry = false;
    bool phi = false;
    bool isolate = false;
};

inline void add_class(PolicyParts& p, const ClassSpec& s) {
    DeviceClass c;
    c.name = s.name;
    c.vlan = s.vlan;
    c.external = !s.vlan;
    c.shared_vlan = true;
    c.devices = s.devices;
    c.criticality = s.criticality;
    c.entry = s.entry;
    c.phi = s.phi;
    c.isolate = s.isolate;
    c.location = {"policy.yaml", static_cast<int>(p.classes.size()) + 2, 3};
    p.classes.push_back(std::move(c));
}

inline void add_flow(PolicyParts& p, std::string from, std::string to, std::vector<std::string> services,
                     std::string reason = {}) {
    FlowRule f;
    f.from = std::move(from);
    f.to = std::move(to);
    f.services = std::move(services);
    f.reason = std::move(reason);
    f.location = {"policy.yaml", static_cast<int>(p.flows.size()) + 40, 5};
    p.flows.push_back(std::move(f));
}

// Flows, by index:
//   0 workstation -> pacs [https]          3 workstation -> pump-server [https]
//   1 internet -> portal [https]           4 workstation -> printer [ipp]
//   2 portal -> pacs [hl7-mllp, https]     5 portal -> pump-server [ssh]
// pump-server and infusion-pump share VLAN 110; only the pumps are isolated, so pump-server
// reaches the pumps on every service. printer is isolated alone in its VLAN.
inline Policy mini_hospital() {
    PolicyParts p;
    p.name = "mini";
    add_class(p, {"workstation", 200, 100, Criticality::medium, true});
    add_class(p, {"internet", std::nullopt, 0, Criticality::low, true});
    add_class(p, {"portal", 300, 2});
    add_class(p, {"pump-server", 110, 2, Criticality::high});
    add_class(p, {"infusion-pump", 110, 50, Criticality::life, false, false, true});
    add_class(p, {"pacs", 130, 4, Criticality::medium, false, true});
    add_class(p, {"printer", 400, 10, Criticality::low, false, false, true});
    add_flow(p, "workstation", "pacs", {"https"}, "view images");
    add_flow(p, "internet", "portal", {"https"});
    add_flow(p, "portal", "pacs", {"hl7-mllp", "https"}, "results");
    add_flow(p, "workstation", "pump-server", {"https"}, "pump admin");
    add_flow(p, "workstation", "printer", {"ipp"});
    add_flow(p, "portal", "pump-server", {"ssh"});
    return Policy(std::move(p));
}

// Internal classes c0..c(n-1), each alone and isolated in VLAN 100+i (no implicit edges), with
// the flows given as (from, to) index pairs on service https. c0 is the entry, the last is life.
inline Policy chain_policy(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& flows) {
    PolicyParts p;
    for (std::size_t i = 0; i < n; ++i)
        add_class(p, {"c" + std::to_string(i), static_cast<int>(100 + i), 1,
                      i + 1 == n ? Criticality::life : Criticality::low, i == 0, false, true});
    for (auto [a, b] : flows) add_flow(p, "c" + std::to_string(a), "c" + std::to_string(b), {"https"});
    return Policy(std::move(p));
}

}  // namespace microseg::fixtures
