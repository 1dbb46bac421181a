// microseg verify POLICY [--configs DIR] [--switch S]... [--keep] [--format text|json]: the
// proof of the files that ship. Without --configs it compiles every switch's file into a
// temporary directory (kept, and printed, when verify fails or with --keep: the findings cite
// its lines); with it, it tests the files in DIR as an engineer edited them. Each file is checked
// statically against the intent, then the whole network is built as namespaces (every switch,
// its VLANs and trunks, hosts on its access ports; nftables files loaded unchanged, IOS/EOS/
// Junos emulated from what microseg's parsers read) and probed with real packets
// (verify/network_verify.hpp). --switch keeps the probes whose path touches those switches.
// Exit 0 no mismatch, 1 mismatches, static findings or policy errors, 2 usage, not root, a
// missing file, a lab that could not be built, or a clean run with parts that are unknown.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/json.hpp"
#include "verify/lab.hpp"
#include "verify/network_verify.hpp"

namespace microseg::cli {
namespace {

struct VerifyCliOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::string configs;
    std::vector<std::string> switches;
    bool keep = false;
    std::string format;
};

void print_text(const verify::NetworkVerifyResult& r) {
    for (const auto& f : r.static_findings)
        fmt::print("{} {}:{}: {}: {} ({})\n", paint(1, "1;33", "STATIC"), f.path, f.line, f.switch_name, f.message,
                   f.impact);
    for (const auto& m : r.mismatches) fmt::print("{} {}\n", paint(1, "1;31", "MISMATCH"), m.text);
    for (const auto& n : r.notes) fmt::print("note: {}\n", n);
    if (r.files_dir_kept) fmt::print("files proved: {}\n", r.files_dir);
    fmt::print("lab {}: {} switches, {} hosts; built in {} ms, probed in {} ms, {} ms in all\n", r.lab_prefix,
               r.switches, r.hosts, r.build_time.count(), r.probe_time.count(), r.total_time.count());
    fmt::print("probes {}: {} passed, {} blocked\n", r.probes, r.passed, r.probes - r.passed);
    for (const auto& [device, n] : r.probes_per_device) fmt::print("  {:<20} {} probes\n", device, n);
    if (r.clean() && r.unknown() > 0)
        fmt::print("{}: every probe agrees with the policy, but {} part(s) of the files could not be read or "
                   "emulated (STATIC ... unknown above): no proof there\n", paint(1, "1;33", "unknown"), r.unknown());
    else if (r.clean()) fmt::print("{}: every probe agrees with the policy\n", paint(1, "1;32", "ok"));
    else fmt::print("{}: {} mismatch(es), {} static finding(s)\n", paint(1, "1;31", "failed"), r.mismatches.size(),
                    r.static_findings.size());
    if (!r.kept_lab.empty()) fmt::print("{}", r.kept_lab);
}

void write_mismatch(JsonWriter& w, const verify::NetworkMismatch& m) {
    const auto& e = m.expected;
    w.begin_object().field("kind", verify::to_string(m.kind)).field("from", m.from).field("to", m.to);
    w.field("service", fmt::format("{}", m.port)).field("source_port", static_cast<std::int64_t>(m.source_port));
    w.field("expected", e.allow ? "allow" : "deny").field("observed", m.passed ? "passed" : "blocked");
    w.field("because", verify::to_string(e.because));
    if (e.because == verify::Because::flow) w.field("flow", fmt::format("{}", e.flow));
    w.key("decided").begin_array();
    for (const auto& d : m.decided)
        w.begin_object().field("device", d.device).field("file", d.path).field("line", static_cast<std::int64_t>(d.line))
            .field("rule", d.what).field("verdict", d.permits ? "permit" : "deny").end_object();
    w.end_array();
    if (!m.note.empty()) w.field("note", m.note);
    w.field("text", m.text).end_object();
}

void print_json(const verify::NetworkVerifyResult& r) {
    JsonWriter w;
    w.begin_object().field("ok", r.clean() && r.unknown() == 0).field("unknown", r.unknown()).field("lab", r.lab_prefix);
    w.field("switches", r.switches).field("hosts", r.hosts).field("probes", r.probes);
    w.field("passed", r.passed).field("blocked", r.probes - r.passed);
    w.field("build_ms", static_cast<std::int64_t>(r.build_time.count()));
    w.field("probe_ms", static_cast<std::int64_t>(r.probe_time.count()));
    w.field("total_ms", static_cast<std::int64_t>(r.total_time.count()));
    if (r.files_dir_kept) w.field("files", r.files_dir);
    w.key("probes_per_device").begin_object();
    for (const auto& [device, n] : r.probes_per_device) w.field(device, n);
    w.end_object();
    w.key("static_findings").begin_array();
    for (const auto& f : r.static_findings)
        w.begin_object().field("switch", f.switch_name).field("file", f.path).field("line", static_cast<std::int64_t>(f.line))
            .field("impact", f.impact).field("message", f.message).end_object();
    w.end_array();
    w.key("mismatches").begin_array();
    for (const auto& m : r.mismatches) write_mismatch(w, m);
    w.end_array();
    w.key("notes").begin_array();
    for (const auto& n : r.notes) w.value(n);
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
    verify::NetworkVerifyOptions options;
    options.switches = o.switches;
    options.configs_dir = o.configs;
    options.keep = o.keep;
    auto result = verify::verify_network(*policy, options);
    if (!result) {
        print_error(format_diagnostic(result.error()));
        return kExitUsage;
    }
    if (o.format == "json") print_json(*result);
    else print_text(*result);
    if (!result->clean()) return kExitFindings;
    return result->unknown() > 0 ? kExitUsage : kExitClean;  // as the audit: unknown is no verdict
}

}  // namespace

void attach_verify(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<VerifyCliOptions>();
    CLI::App* cmd = app.add_subcommand("verify", "prove the files that ship with real packets, whole network (root)");
    cmd->add_option("POLICY", options->policy, "the policy file")->required();
    add_at_option(cmd, options->at);
    cmd->add_option("--configs", options->configs, "test the files in DIR (as compile names them) instead of compiling")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--switch", options->switches, "only the probes whose path touches this switch (repeatable)");
    cmd->add_flag("--keep", options->keep, "leave the lab up for inspection and print how to enter it");
    add_format_option(cmd, options->format, {"text", "json"}, "text");
    cmd->callback([options, &exit_code] { exit_code = run_verify(*options); });
}

}  // namespace microseg::cli
