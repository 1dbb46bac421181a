#include "cli/plan_output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/json.hpp"

namespace microseg::cli {
namespace {

std::string proof_verdict(const SwitchPlan& p) {
    if (p.proof.holds())
        return fmt::format("make-before-break holds in all {} states: none opens what neither the old nor the new "
                           "config permits, none drops what both permit, none cuts the management class",
                           p.proof.states);
    return fmt::format("make-before-break does NOT hold ({} states checked)", p.proof.states);
}

void render_issues(std::string& out, const SwitchPlan& p) {
    for (const auto& i : p.proof.issues) {
        out += fmt::format("    {}{}: {}: {}", to_string(i.kind), i.state ? fmt::format(" after step {}", i.state) : "",
                           i.subject, i.message);
        out += i.example ? fmt::format(" ({})\n", i.example->str()) : "\n";
    }
}

void render_one(std::string& out, const SwitchPlan& p) {
    out += fmt::format("{} ({}, from {}): ", p.switch_name, p.platform, p.source);
    if (p.error) {
        out += fmt::format("no plan: {}\n", *p.error);
        return;
    }
    if (p.change.steps.empty()) {
        out += p.before.empty() ? "already holds the intent; nothing to do\n"
                                : fmt::format("nothing microseg owns to change; {} finding(s) left\n", p.before.size());
    } else {
        out += fmt::format("{} steps\n", p.change.steps.size());
        for (std::size_t k = 0; k < p.change.steps.size(); ++k) {
            out += fmt::format("  {}. {}\n", k + 1, p.change.steps[k].title);
            for (const auto& c : p.change.steps[k].commands) out += fmt::format("       {}\n", c);
        }
        for (const auto& n : p.change.notes) out += fmt::format("  note: {}\n", n);
        out += fmt::format("  proof: {}\n", proof_verdict(p));
        out += fmt::format("  rollback: {} steps; typed after the plan it {}\n", p.rollback.steps.size(),
                           p.rollback_restores ? "restores the running segmentation" : "does NOT restore the running segmentation");
    }
    render_issues(out, p);
    if (!p.after.empty() && !p.change.steps.empty())
        out += fmt::format("  after the plan, diff still finds {} (not microseg's to change, or not read):\n", p.after.size());
    for (const auto& f : p.after)
        out += fmt::format("    {} {}: {}\n", to_string(f.impact), f.subject, f.message);
}

void write_strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& items) {
    w.key(key).begin_array();
    for (const auto& i : items) w.value(i);
    w.end_array();
}

void write_form(JsonWriter& w, std::string_view key, const ChangeForm& form) {
    w.key(key).begin_object().key("steps").begin_array();
    for (const auto& s : form.steps) {
        w.begin_object().field("title", s.title);
        write_strings(w, "commands", s.commands);
        w.end_object();
    }
    w.end_array();
    write_strings(w, "notes", form.notes);
    write_strings(w, "optional_commands", form.optional_commands);
    w.end_object();
}

void write_proof(JsonWriter& w, const Proof& proof) {
    w.key("proof").begin_object().field("holds", proof.holds()).field("states", proof.states);
    w.key("issues").begin_array();
    for (const auto& i : proof.issues) {
        w.begin_object().field("kind", to_string(i.kind)).field("subject", i.subject).field("message", i.message);
        if (i.state) w.field("after_step", i.state);
        if (i.example) w.field("example", i.example->str());
        w.end_object();
    }
    w.end_array().end_object();
}

void write_plan(JsonWriter& w, const SwitchPlan& p) {
    w.begin_object().field("switch", p.switch_name).field("platform", platform(p.platform).name).field("source", p.source);
    if (p.error) {
        w.field("error", *p.error).end_object();
        return;
    }
    w.field("already_holds_intent", p.change.steps.empty() && p.before.empty());
    write_form(w, "plan", p.change);
    write_form(w, "rollback", p.rollback);
    w.field("rollback_restores", p.rollback_restores);
    write_proof(w, p.proof);
    w.key("after_findings").begin_array();
    for (const auto& f : p.after)
        w.begin_object().field("kind", to_string(f.kind)).field("impact", to_string(f.impact))
            .field("subject", f.subject).field("message", f.message).end_object();
    w.end_array().end_object();
}

}  // namespace

std::string render_plans_text(const std::vector<SwitchPlan>& plans, const std::vector<std::string>& written) {
    std::string out;
    for (const auto& p : plans) render_one(out, p);
    std::size_t changing = std::count_if(plans.begin(), plans.end(), [](const SwitchPlan& p) { return !p.change.steps.empty(); });
    out += fmt::format("{} switch(es), {} with a plan\n", plans.size(), changing);
    for (const auto& w : written) out += fmt::format("wrote {}\n", w);
    return out;
}

std::string render_plans_json(const std::vector<SwitchPlan>& plans) {
    JsonWriter w;
    w.begin_object().key("switches").begin_array();
    for (const auto& p : plans) write_plan(w, p);
    w.end_array().end_object();
    return w.str() + "\n";
}

int plans_exit_code(const std::vector<SwitchPlan>& plans) {
    if (std::any_of(plans.begin(), plans.end(), [](const SwitchPlan& p) { return p.error.has_value(); })) return 2;
    if (std::any_of(plans.begin(), plans.end(), [](const SwitchPlan& p) { return !p.change.steps.empty(); })) return 1;
    if (std::any_of(plans.begin(), plans.end(), [](const SwitchPlan& p) { return p.unknown_only(); })) return 2;
    return 0;
}

}  // namespace microseg::cli
