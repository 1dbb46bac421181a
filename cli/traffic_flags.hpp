#pragma once
// What learn and simulate share: POLICY --flows F... [--inventory ...] [--at] [--format], and
// reading the flows into an Observation with every bad line reported on stderr.

#include <optional>
#include <string>
#include <vector>

#include "cli/inventory_flags.hpp"
#include "compiler/compiler.hpp"
#include "traffic/observe.hpp"

namespace CLI {
class App;
}

namespace microseg::cli {

struct TrafficArgs {
    std::string policy;
    CompileOptions at;
    std::vector<std::string> flows;
    InventoryFlags inventory;
    std::string format;
};

void add_traffic_flags(CLI::App* cmd, TrafficArgs& args);

// The policy and what the flows show of it; `exit_code` says why there is none.
struct ObservedPolicy {
    std::optional<Policy> policy;
    std::optional<traffic::Observation> seen;
    int exit_code = 0;
};
// The Observation points into the Policy: keep both in the returned value.
std::unique_ptr<ObservedPolicy> observe_flows(const TrafficArgs& args);

}  // namespace microseg::cli
