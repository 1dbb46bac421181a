#pragma once
// The probe of one source class (live_flows.hpp): which (destination class, probe port) pairs
// a live filter permits and the intended one does not. Two ways that must agree: probe_class
// judges a stretch of destination addresses at a time (what the audit runs),
// probe_class_each_destination judges every destination class on its own (the straightforward
// pass, kept for the tests that hold the two equal).

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "audit/drift/policy_probes.hpp"
#include "model/acl.hpp"
#include "model/service.hpp"

namespace microseg {

// The ports to probe, each with the service it stands for.
using ProbePorts = std::vector<std::pair<ServicePort, std::string>>;

struct ProbeHit {
    std::size_t to;    // destination class index
    std::size_t port;  // index into the ProbePorts
    auto operator<=>(const ProbeHit&) const = default;
};

// `have`: the live entries a packet from class `from`'s representative can meet (nullptr:
// everything is permitted); `want`: the intended ones. Hits in class order, then port order;
// classes in the same L2 domain as `from`, without a representative or of the other family
// are skipped.
std::vector<ProbeHit> probe_class(const Policy& policy, const Representatives& reps, std::size_t from,
                                  const std::vector<const AclEntry*>* have, const std::vector<const AclEntry*>& want,
                                  const ProbePorts& ports);
std::vector<ProbeHit> probe_class_each_destination(const Policy& policy, const Representatives& reps, std::size_t from,
                                                   const std::vector<const AclEntry*>* have,
                                                   const std::vector<const AclEntry*>& want, const ProbePorts& ports);

}  // namespace microseg
