// Issue 21's acceptance on every example and platform: the running configs are the previous
// policy version as compile writes it, the intent a changed policy (a flow added, a flow
// removed, a class moved to another VLAN, a port moved: tests/support/policy_changes.hpp). For
// every switch: the plan, typed into the platform's simulated device (plan/device.hpp), gives a
// config that diff finds clean and on which plan is empty; every state in between is proven;
// the rollback, typed after it, restores the old segmentation.
#include <doctest/doctest.h>

#include <set>

#include "emitters/emitter.hpp"
#include "plan/plan.hpp"
#include "tests/support/example_fixture.hpp"
#include "tests/support/policy_changes.hpp"

using namespace microseg;
using namespace microseg::testing;

namespace {

std::string issues_text(const Proof& proof) {
    std::string s;
    for (const auto& i : proof.issues)
        s += fmt::format("\n  {} after step {}: {}: {}{}", to_string(i.kind), i.state, i.subject, i.message,
                         i.example ? " (" + i.example->str() + ")" : "");
    return s;
}

std::string steps_text(const ChangeForm& form) {
    std::string s;
    for (const auto& step : form.steps) {
        s += "\n# " + step.title;
        for (const auto& c : step.commands) s += "\n" + c;
    }
    return s;
}

// Plans `sw` from `old_policy`'s compiled config to `new_policy`; checks every acceptance point.
// True when the plan had steps.
bool check_switch_plan(const Policy& old_policy, const Policy& new_policy, const Switch& sw, const std::string& context) {
    const Switch* old_sw = old_policy.find_switch(sw.name);
    REQUIRE(old_sw);
    auto running = emitter_for(sw.platform).emit(old_policy, *old_sw);
    REQUIRE_MESSAGE(running, context);
    auto plan = plan_switch(new_policy, sw, running->text, "compiled");
    INFO(context, " switch ", sw.name, " (", sw.platform, ")", steps_text(plan.change));
    REQUIRE_MESSAGE(!plan.error, plan.error.value_or(""));
    CHECK_MESSAGE(plan.after.empty(), describe(plan.after));
    CHECK_MESSAGE(plan.proof.holds(), issues_text(plan.proof));
    if (plan.change.steps.empty()) return false;
    CHECK(plan.rollback_restores);
    auto again = plan_switch(new_policy, sw, plan.after_text, "after");
    CHECK_MESSAGE(again.change.steps.empty(), steps_text(again.change));
    CHECK_MESSAGE(again.before.empty(), describe(again.before));
    return true;
}

// Every change, once as it comes and once per platform (on a switch of that platform).
std::vector<std::pair<PolicyChange, std::optional<PlatformId>>> changes_to_try() {
    std::vector<std::pair<PolicyChange, std::optional<PlatformId>>> out;
    for (auto change : kPolicyChanges) {
        out.push_back({change, std::nullopt});
        for (const auto& p : platforms()) out.push_back({change, p.id});
    }
    return out;
}

}  // namespace

TEST_CASE("plan on a switch that already holds the intent is empty, on every example and platform") {
    for (const char* example : {"clinic", "hospital", "health-system"}) {
        auto policy = load_example(example);
        for (const auto& sw : policy.switches()) {
            auto running = emitter_for(sw.platform).emit(policy, sw);
            REQUIRE(running);
            auto plan = plan_switch(policy, sw, running->text, "compiled");
            INFO(example, " ", sw.name);
            REQUIRE_FALSE(plan.error);
            CHECK(plan.before.empty());
            CHECK(plan.change.steps.empty());
        }
    }
}

TEST_CASE("plans from the previous compiled version to a changed policy, every change on every platform") {
    std::set<std::pair<PolicyChange, PlatformId>> planned;
    for (const char* example : {"clinic", "hospital", "health-system"}) {
        auto old_policy = load_example(example);
        for (auto [change, on] : changes_to_try()) {
            auto changed = changed_policy(old_policy.parts(), change, on);
            if (!changed) continue;
            const Policy new_policy(changed->first);
            const auto context = fmt::format("{}: {}", example, changed->second);
            for (const auto& sw : new_policy.switches())
                if (check_switch_plan(old_policy, new_policy, sw, context)) planned.insert({change, sw.platform});
        }
    }
    // nftables routers have no VLANs or ports: a class or port moving changes nothing there.
    for (auto change : kPolicyChanges)
        for (const auto& p : platforms()) {
            bool l2 = change == PolicyChange::class_moved_vlan || change == PolicyChange::port_moved;
            if (l2 && p.id == PlatformId::nftables) continue;
            CHECK_MESSAGE(planned.count({change, p.id}), "no example planned '", to_string(change), "' on ", p.name);
        }
}
