// bench_plan: `microseg plan` on every switch of the synthetic L network (issue 21; goal: under
// 10 s). The running configs are L's previous version as compile writes it; the intent is L with
// one change made (tests/support/policy_changes.hpp: a flow removed by default), so the switches
// it touches get a plan (steps, every state typed into the simulated device and proven,
// rollback checked) and the others are judged unchanged by the drift check. Measured in a child
// process, on every core as `plan --dir` does: wall and CPU time, peak RSS; the configs are
// rendered before the clock starts.
//
//   bench_plan [--size L] [--change flow-removed|flow-added|class-moved|port-moved]
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/measure.hpp"
#include "bench/synthetic_network.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "plan/plan.hpp"
#include "tests/support/policy_changes.hpp"

namespace {

using namespace microseg;
using namespace microseg::bench;

struct Tally {
    std::size_t switches = 0, planned = 0, steps = 0, states = 0, failed = 0, unproven = 0;
};

// As `microseg plan --dir` does: every switch, on every core.
std::string plan_everything(const Policy& new_policy, std::vector<std::string>& running) {
    Tally t;
    std::vector<PlanRequest> requests;
    for (std::size_t i = 0; i < new_policy.switches().size(); ++i)
        requests.push_back({&new_policy.switches()[i], std::move(running[i]), "bench", std::nullopt});
    for (const auto& plan : plan_switches(new_policy, requests)) {
        ++t.switches;
        if (plan.error || !plan.after.empty()) ++t.failed;
        if (!plan.proof.holds()) ++t.unproven;
        if (plan.change.steps.empty()) continue;
        ++t.planned;
        t.steps += plan.change.steps.size();
        t.states += plan.proof.states;
    }
    return fmt::format("{} switches, {} with a plan ({} steps, {} states proven), {} failed, {} not proven",
                       t.switches, t.planned, t.steps, t.states, t.failed, t.unproven);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"microseg plan on every switch of a synthetic network"};
    std::string size_name = "L";
    std::string change_name = "flow-removed";
    app.add_option("--size", size_name, "S, M or L")->check(CLI::IsMember({"S", "M", "L"}));
    app.add_option("--change", change_name, "the policy change")
        ->check(CLI::IsMember({"flow-removed", "flow-added", "class-moved", "port-moved"}));
    CLI11_PARSE(app, argc, argv);
    const std::map<std::string, testing::PolicyChange> changes = {
        {"flow-removed", testing::PolicyChange::flow_removed}, {"flow-added", testing::PolicyChange::flow_added},
        {"class-moved", testing::PolicyChange::class_moved_vlan}, {"port-moved", testing::PolicyChange::port_moved}};

    auto files = generate_network(*network_size(size_name), 1);
    CompileOptions at;
    at.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto compiled = compile_policy_text(files.front().text, "policy.yaml", at);
    if (!compiled.ok()) {
        fmt::print(stderr, "bench_plan: the {} network does not compile\n", size_name);
        return 1;
    }
    const Policy& old_policy = *compiled.policy;
    auto changed = testing::changed_policy(old_policy.parts(), changes.at(change_name));
    if (!changed) {
        fmt::print(stderr, "bench_plan: '{}' does not apply to the {} network\n", change_name, size_name);
        return 1;
    }
    const Policy new_policy(changed->first);
    std::vector<std::string> running;
    for (const auto& sw : old_policy.switches()) {
        auto emitted = emitter_for(sw.platform).emit(old_policy, sw);
        running.push_back(emitted ? emitted->text : std::string());
    }
    fmt::print("plan, {} network, {} ({}):\n", size_name, change_name, changed->second);
    auto m = run_in_child([&] { return plan_everything(new_policy, running); });
    fmt::print("  {}\n  wall {:.2f} s, CPU {:.2f} s, peak RSS {:.0f} MiB (load {})\n", m.payload, m.wall_s, m.cpu_s,
               static_cast<double>(m.max_rss_kb) / 1024.0, load_average());
    return m.exit_code;
}
