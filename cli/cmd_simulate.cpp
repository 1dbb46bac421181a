// microseg simulate POLICY --flows F... [--inventory CSV [--columns ...]] [--at DATE]
//                   [--format text|json]
// What the policy would do to the traffic really seen (traffic/simulate.hpp): the sessions it
// would deny, the allowances nothing used, the share allowed. Exit 0 when nothing observed
// would be denied, 1 when observed traffic would be blocked, 2 unreadable input.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/traffic_flags.hpp"
#include "traffic/simulate.hpp"

namespace microseg::cli {
namespace {

int run_simulate(const TrafficArgs& a) {
    auto observed = observe_flows(a);
    if (!observed->seen) return observed->exit_code;
    const traffic::Observation& seen = *observed->seen;
    auto sim = traffic::simulate(*seen.traffic);
    if (a.format == "json") fmt::print("{}", traffic::simulation_json(seen, sim));
    else fmt::print("{}", traffic::simulation_text(seen, sim));
    return sim.blocks_observed() ? kExitFindings : kExitClean;
}

}  // namespace

void attach_simulate(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<TrafficArgs>();
    auto* cmd = app.add_subcommand("simulate", "what a policy would block of observed traffic, and what nothing uses");
    add_traffic_flags(cmd, *a);
    cmd->callback([a, &exit_code] { exit_code = run_simulate(*a); });
}

}  // namespace microseg::cli
