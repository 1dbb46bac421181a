// microseg learn POLICY --flows F... [--inventory CSV [--columns ...]] [--min-sessions N]
//                [--at DATE] [--format text|json]
// A proposed flows: section from the traffic really seen (traffic/learn.hpp): one entry per
// class pair, each service with its evidence, valid YAML for the policy. Exit 0; 2 when a flow
// file cannot be read or is no flow file, or the policy cannot be read; 1 policy errors.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/traffic_flags.hpp"
#include "traffic/learn.hpp"

namespace microseg::cli {
namespace {

struct LearnArgs {
    TrafficArgs traffic;
    std::uint64_t min_sessions = 1;
};

int run_learn(const LearnArgs& a) {
    auto observed = observe_flows(a.traffic);
    if (!observed->seen) return observed->exit_code;
    const traffic::Observation& seen = *observed->seen;
    auto learned = traffic::learn(*seen.traffic, a.min_sessions);
    if (a.traffic.format == "json") fmt::print("{}", traffic::learned_json(seen, learned));
    else fmt::print("{}", traffic::learned_text(seen, learned));
    return kExitClean;
}

}  // namespace

void attach_learn(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<LearnArgs>();
    auto* cmd = app.add_subcommand("learn", "a proposed flows: section from observed traffic");
    add_traffic_flags(cmd, a->traffic);
    cmd->add_option("--min-sessions", a->min_sessions, "leave out (class pair, service) seen in fewer sessions")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
    cmd->callback([a, &exit_code] { exit_code = run_learn(*a); });
}

}  // namespace microseg::cli
