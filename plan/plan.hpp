#pragma once
// One switch's plan, from its running config to the intent: the steps (the platform's change
// writer), every state in between (typed into a simulated device, read back by the audit
// parser), the proof of those states, the config after, and the rollback, itself typed into a
// simulated device to show that it restores what ran before. See plan/proof.hpp for the folder.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/drift/drift.hpp"
#include "emitters/change_form.hpp"
#include "plan/proof.hpp"

namespace microseg {

struct SwitchPlan {
    std::string switch_name;
    PlatformId platform = PlatformId::cisco_ios;
    std::string source;                 // the running config's file, or "ssh://..."
    std::optional<std::string> error;   // no plan: unreadable intent, a command the device refuses
    ChangeForm change;                  // no steps: the switch already holds the intent
    ChangeForm rollback;
    std::string after_text;             // the running config after the plan
    // Drift of the running config before, and of the config after the plan: what is left is
    // what microseg does not own (a VLAN the policy does not name) or could not read.
    std::vector<DriftFinding> before;
    std::vector<DriftFinding> after;
    Proof proof;
    bool rollback_restores = false;     // the rollback typed after the plan gives back the old segmentation

    bool empty() const { return !error && change.steps.empty(); }
    // No definite drift before: only findings on config microseg could not read.
    bool unknown_only() const;
};

SwitchPlan plan_switch(const Policy& policy, const Switch& sw, std::string_view running_text, std::string source);

// What to plan for one switch: its running config (redacted), or why there is none.
struct PlanRequest {
    const Switch* sw = nullptr;
    std::string running_text;
    std::string source;
    std::optional<std::string> error;  // no config: the plan carries this error
};

// plan_switch for every request, on every core; results in request order.
std::vector<SwitchPlan> plan_switches(const Policy& policy, const std::vector<PlanRequest>& requests);

// The plan file: every step's commands under a comment with its title (the platform's comment
// prefix, which devices ignore), so the file can be pasted or typed as it is.
std::string plan_file_text(const Switch& sw, const ChangeForm& form, std::string_view what);

}  // namespace microseg
