// microseg verify POLICY [--switch S] [--keep] [--format text|json]: builds the policy as a
// lab of network namespaces, loads the nftables the emitter produced, sends real packets for
// every pair of classes and sampled service, and compares with the model. Needs root.
// --switch naming an nftables switch proves that switch's compiled file, unchanged, on every
// class pair it decides (verify/router_file.cpp).
// Exit 0 no mismatch, 1 mismatches or policy errors, 2 usage, not root, or a lab that could not be built.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/json.hpp"
#include "verify/verify.hpp"

namespace microseg::cli {
namespace {

struct VerifyCliOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::string switch_name;
    bool keep = false;
    std::string format;
};

void print_text(const verify::VerifyResult& r) {
    for (const auto& m : r.mismatches)
        fmt::print("{} {}\n", paint(1, "1;31", "MISMATCH"), verify::describe_mismatch(m));
    fmt::print("lab {}: {} classes, {} hosts; built in {} ms, probed in {} ms, {} ms in all\n", r.lab_prefix,
               r.classes, r.hosts, r.build_time.count(), r.probe_time.count(), r.total_time.count());
    fmt::print("probes {}: {} passed, {} blocked\n", r.outcomes.size(), r.passed, r.outcomes.size() - r.passed);
    if (r.clean()) fmt::print("{}: every probe agrees with the policy\n", paint(1, "1;32", "ok"));
    else fmt::print("{}: {} mismatch(es)\n", paint(1, "1;31", "failed"), r.mismatches.size());
    if (!r.kept_lab.empty()) fmt::print("{}", r.kept_lab);
}

void write_outcome(JsonWriter& w, const verify::ProbeOutcome& o) {
    const auto& e = o.expected;
    w.begin_object().field("from", e.from).field("to", e.to).field("service", fmt::format("{}", e.port));
    w.field("expected", e.allow ? "allow" : "deny").field("observed", o.passed ? "passed" : "blocked");
    w.field("because", verify::to_string(e.because));
    if (e.because == verify::Because::flow) w.field("flow", fmt::format("{}", e.flow));
    w.end_object();
}

void print_json(const verify::VerifyResult& r) {
    JsonWriter w;
    w.begin_object().field("ok", r.clean()).field("lab", r.lab_prefix);
    w.field("classes", r.classes).field("hosts", r.hosts).field("probes", r.outcomes.size());
    w.field("passed", r.passed).field("blocked", r.outcomes.size() - r.passed);
    w.field("build_ms", static_cast<std::int64_t>(r.build_time.count()));
    w.field("probe_ms", static_cast<std::int64_t>(r.probe_time.count()));
    w.field("total_ms", static_cast<std::int64_t>(r.total_time.count()));
    w.key("mismatches").begin_array();
    for (const auto& m : r.mismatches) write_outcome(w, m);
    w.end_array();
    if (!r.kept_lab.empty()) w.field("kept_lab", r.kept_lab);
    w.end_object();
    fmt::print("{}\n", w.str());
}

int run_verify(const VerifyCliOptions& o) {
    // The policy first: its errors are the same with or without root.
    auto policy = load_policy(o.policy, o.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    if (std::string why = verify::dataplane_unavailable_reason(); !why.empty()) {
        print_error(why);
        return kExitUsage;
    }
    verify::VerifyOptions options;
    options.switch_name = o.switch_name;
    options.keep = o.keep;
    auto result = verify::verify_policy(*policy, options);
    if (!result) {
        print_error(format_diagnostic(result.error()));
        return kExitUsage;
    }
    if (o.format == "json") print_json(*result);
    else print_text(*result);
    return result->clean() ? kExitClean : kExitFindings;
}

}  // namespace

void attach_verify(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<VerifyCliOptions>();
    CLI::App* cmd = app.add_subcommand("verify", "prove the nftables output with real packets (root)");
    cmd->add_option("POLICY", options->policy, "the policy file")->required();
    add_at_option(cmd, options->at);
    cmd->add_option("--switch", options->switch_name,
                    "an nftables switch: prove its compiled file; another: only the classes it gateways");
    cmd->add_flag("--keep", options->keep, "leave the lab up for inspection and print how to enter it");
    add_format_option(cmd, options->format, {"text", "json"}, "text");
    cmd->callback([options, &exit_code] { exit_code = run_verify(*options); });
}

}  // namespace microseg::cli
