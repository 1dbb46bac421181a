#include "plan/plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "audit/drift/drift_router.hpp"
#include "audit/parse/registry.hpp"
#include "emitters/emitter.hpp"
#include "model/every_core.hpp"
#include "plan/device.hpp"

namespace microseg {
namespace {

std::vector<DriftFinding> drift_of(const Policy& policy, const SwitchIntent& intent, const ParsedConfig& config) {
    return config.router ? diff_router(policy, intent, config) : diff_switch(intent, config);
}

bool definite(const DriftFinding& f) { return f.impact != DriftImpact::unknown; }

// Types every step into a device that runs `text`; the parsed state after each step.
Result<std::vector<ParsedConfig>> type_steps(PlatformId platform, std::string_view text, const ChangeForm& form,
                                             std::string& final_text) {
    auto device = simulated_device(platform, text);
    std::vector<ParsedConfig> states;
    for (const auto& step : form.steps) {
        if (auto refused = device->type(step.commands)) {
            refused->message = fmt::format("step '{}': {}", step.title, refused->message);
            return *refused;
        }
        states.push_back(parser_for(platform)(device->running_config()));
    }
    final_text = device->running_config();
    return states;
}

// The rollback, typed after the plan, must give back the segmentation the switch ran.
bool check_rollback(SwitchPlan& plan, const Policy& policy, const Switch& sw, const ParsedConfig& before,
                    std::string_view running_text, const ParsedConfig& after) {
    const ChangeWriter& writer = change_writer_for(sw.platform);
    plan.rollback = writer.write({policy, sw, after, plan.after_text, before.as_built, running_text, true});
    std::string restored;
    auto states = type_steps(sw.platform, plan.after_text, plan.rollback, restored);
    if (!states) return false;
    return same_segmentation(segmentation_view(before), segmentation_view(parser_for(sw.platform)(restored)));
}

}  // namespace

bool SwitchPlan::unknown_only() const {
    return !before.empty() && std::none_of(before.begin(), before.end(), definite);
}

SwitchPlan plan_switch(const Policy& policy, const Switch& sw, std::string_view running_text, std::string source) {
    SwitchPlan plan;
    plan.switch_name = sw.name;
    plan.platform = sw.platform;
    plan.source = std::move(source);
    plan.after_text = std::string(running_text);
    auto intent = switch_intent(policy, sw);
    if (!intent) {
        plan.error = intent.error().message;
        return plan;
    }
    // Drift and unread lines are judged on the text as given, so their line numbers are its own.
    const ParsedConfig as_read = parser_for(sw.platform)(running_text);
    plan.before = drift_of(policy, *intent, as_read);
    plan.after = plan.before;
    if (std::none_of(plan.before.begin(), plan.before.end(), definite)) {
        plan.proof = prove_plan({policy, sw, as_read, as_read, {}, as_read});  // lists what was not read
        return plan;
    }
    // The writers and the states work on the text as the device prints what it holds
    // (plan/device.hpp): one form per platform, whatever form the file came in.
    const std::string printed = simulated_device(sw.platform, running_text)->running_config();
    running_text = printed;
    const ParsedConfig before = parser_for(sw.platform)(running_text);
    auto emitted = emitter_for(sw.platform).emit(policy, sw);  // only now: most switches need none
    if (!emitted) {
        plan.error = emitted.error().message;
        return plan;
    }
    const ChangeWriter& writer = change_writer_for(sw.platform);
    const SwitchIntent target = writer.in_device_names(*intent, sw);
    plan.change = writer.write({policy, sw, before, running_text, target, emitted->text, false});
    auto states = type_steps(sw.platform, running_text, plan.change, plan.after_text);
    if (!states) {
        plan.error = fmt::format("the device would refuse the plan: {}", states.error().message);
        return plan;
    }
    const ParsedConfig after = parser_for(sw.platform)(plan.after_text);
    plan.after = drift_of(policy, *intent, after);
    plan.proof = prove_plan({policy, sw, before, after, *states, as_read});
    plan.rollback_restores = check_rollback(plan, policy, sw, before, running_text, after);
    return plan;
}

std::vector<SwitchPlan> plan_switches(const Policy& policy, const std::vector<PlanRequest>& requests) {
    std::vector<SwitchPlan> out(requests.size());
    on_every_core(requests.size(), [&](std::size_t i) {
        const auto& r = requests[i];
        out[i] = r.error ? SwitchPlan{} : plan_switch(policy, *r.sw, r.running_text, r.source);
        if (r.error) {
            out[i].switch_name = r.sw->name;
            out[i].platform = r.sw->platform;
            out[i].source = r.source;
            out[i].error = r.error;
        }
    });
    return out;
}

std::string plan_file_text(const Switch& sw, const ChangeForm& form, std::string_view what) {
    const auto prefix = sw.platform_info().comment_prefix;
    std::string out = fmt::format("{} microseg {} for switch {} ({} steps)\n", prefix, what, sw.name, form.steps.size());
    for (std::size_t i = 0; i < form.steps.size(); ++i) {
        out += fmt::format("{} step {}: {}\n", prefix, i + 1, form.steps[i].title);
        for (const auto& c : form.steps[i].commands) out += c + "\n";
    }
    for (const auto& n : form.notes) out += fmt::format("{} note: {}\n", prefix, n);
    if (!form.optional_commands.empty()) {
        out += fmt::format("{} optional, after the plan (not part of the proof):\n", prefix);
        for (const auto& c : form.optional_commands) out += fmt::format("{} {}\n", prefix, c);
    }
    return out;
}

}  // namespace microseg
