// microseg check POLICY [--format text|json]: every error and lint warning of a policy, then a
// one-screen summary. Exit 0 clean (warnings allowed), 1 policy errors, 2 unreadable input.
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "compiler/compiler.hpp"
#include "model/json.hpp"

namespace microseg::cli {
namespace {

struct CheckOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::string format;
};

struct Summary {
    std::size_t internal = 0, external = 0, vlans = 0, flows = 0, entry = 0, protected_classes = 0;
    std::int64_t devices = 0;
    std::map<std::string, std::size_t> switches_per_platform;
    std::size_t switches = 0;
};

Summary summarise(const Policy& p) {
    Summary s;
    for (const auto& c : p.classes()) {
        (c.external ? s.external : s.internal)++;
        if (c.entry) ++s.entry;
        if (c.is_protected()) ++s.protected_classes;
    }
    s.vlans = p.vlans().size();
    s.flows = p.flows().size();
    s.devices = p.total_devices();
    s.switches = p.switches().size();
    for (const auto& sw : p.switches()) ++s.switches_per_platform[std::string(sw.platform_info().name)];
    return s;
}

void print_text(const CompileResult& r) {
    print_diagnostics(r);
    const auto errors = r.diagnostics.error_count();
    const auto warnings = r.diagnostics.warning_count();
    if (!r.policy) {
        fmt::print("{}: {} error(s), {} warning(s)\n", paint(1, "1;31", "failed"), errors, warnings);
        return;
    }
    const Policy& p = *r.policy;
    Summary s = summarise(p);
    fmt::print("policy {} (version {})\n", p.name(), p.version_hash());
    fmt::print("  classes   {} internal, {} external ({} entry, {} protected)\n", s.internal, s.external,
               s.entry, s.protected_classes);
    fmt::print("  vlans     {}\n  flows     {}\n  devices   {}\n", s.vlans, s.flows, s.devices);
    std::string per_platform;
    for (const auto& [name, n] : s.switches_per_platform)
        per_platform += fmt::format("{}{} {}", per_platform.empty() ? "" : ", ", n, name);
    fmt::print("  switches  {}{}\n", s.switches, per_platform.empty() ? "" : " (" + per_platform + ")");
    fmt::print("{}: {} error(s), {} warning(s)\n", paint(1, "1;32", "ok"), errors, warnings);
}

void write_summary(JsonWriter& w, const CompileResult& r) {
    w.key("summary").begin_object();
    w.field("errors", r.diagnostics.error_count()).field("warnings", r.diagnostics.warning_count());
    if (r.policy) {
        Summary s = summarise(*r.policy);
        w.field("name", r.policy->name()).field("version_hash", r.policy->version_hash());
        w.field("internal_classes", s.internal).field("external_classes", s.external);
        w.field("entry_classes", s.entry).field("protected_classes", s.protected_classes);
        w.field("vlans", s.vlans).field("flows", s.flows).field("devices", s.devices);
        w.field("switches", s.switches);
        w.key("switches_per_platform").begin_object();
        for (const auto& [name, n] : s.switches_per_platform) w.field(name, n);
        w.end_object();
    }
    w.end_object();
}

void print_json(const CompileResult& r) {
    JsonWriter w;
    w.begin_object().field("ok", r.ok());
    w.key("diagnostics").begin_array();
    for (const auto& d : r.diagnostics.items()) {
        w.begin_object().field("severity", to_string(d.severity)).field("file", d.location.file);
        w.field("line", d.location.line).field("column", d.location.column);
        w.field("message", d.message).field("kind", d.kind).end_object();
    }
    w.end_array();
    write_summary(w, r);
    w.end_object();
    fmt::print("{}\n", w.str());
}

int run_check(const CheckOptions& o) {
    CompileResult r = compile_policy_file(o.policy, o.at);
    if (o.format == "json") {
        print_json(r);
    } else if (r.input_unreadable) {
        for (const auto& d : r.diagnostics.items()) fmt::print(stderr, "{}\n", format_diagnostic(d));
    } else {
        print_text(r);
    }
    if (r.input_unreadable) return kExitUsage;
    return r.ok() ? kExitClean : kExitFindings;
}

}  // namespace

void attach_check(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CheckOptions>();
    CLI::App* cmd = app.add_subcommand("check", "errors and lint of a policy; exit 1 on error");
    cmd->add_option("POLICY", options->policy, "the policy file")->required();
    add_at_option(cmd, options->at);
    add_format_option(cmd, options->format, {"text", "json"}, "text");
    cmd->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace microseg::cli
