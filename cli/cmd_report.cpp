// microseg report POLICY [--audit RESULT.json] [--flows F...] [--max-paths K] -o report.html: one
// self-contained HTML file (inline CSS and SVG, no scripts, no fetches) for people: summary,
// flow matrix, lateral paths with the graph, blast radius, lint, and the drift of an audit
// (the JSON of `microseg diff --format json`). Written atomically. Exit 0 when written, 1 when
// the policy has errors, 2 for unreadable or invalid input, or when Graphviz cannot draw.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/file_io.hpp"
#include "report/report.hpp"

namespace microseg::cli {
namespace {

struct ReportCommandOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::string audit;
    std::vector<std::string> flows;
    std::string output;
    std::size_t max_paths = 1;
};

// The audit result, or nothing after printing why it cannot be read.
std::optional<report::AuditResult> load_audit(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) {
        print_error(format_diagnostic(text.error()));
        return std::nullopt;
    }
    auto audit = report::parse_audit_json(*text, path);
    if (!audit) {
        print_error(format_diagnostic(audit.error()));
        return std::nullopt;
    }
    return std::move(*audit);
}

int run_report(const ReportCommandOptions& o) {
    auto compiled = load_policy(o.policy, o.at, /*quiet_warnings=*/true);  // warnings go into the report
    if (!compiled) return compiled.exit_code;
    std::optional<report::AuditResult> audit;
    if (!o.audit.empty() && !(audit = load_audit(o.audit))) return kExitUsage;
    Policy& policy = *compiled.policy;
    std::optional<traffic::Observation> seen;
    if (!o.flows.empty()) {
        auto observed = traffic::observe(policy, o.flows, {});
        if (!observed) {
            fmt::print(stderr, "{}\n", format_diagnostic(observed.error()));
            return kExitUsage;
        }
        for (const auto& w : observed->warnings) fmt::print(stderr, "{}\n", format_diagnostic(w));
        seen = std::move(*observed);
    }
    auto html = report::build_html_report(policy, compiled.diagnostics.items(), audit ? &*audit : nullptr,
                                          seen ? &*seen : nullptr, {o.max_paths});
    if (!html) {
        print_error(html.error().message);
        return kExitUsage;
    }
    if (auto done = write_file_atomically(o.output, *html); !done) {
        print_error(format_diagnostic(done.error()));
        return kExitUsage;
    }
    fmt::print("wrote {} ({} KiB)\n", o.output, (html->size() + 1023) / 1024);
    return kExitClean;
}

}  // namespace

void attach_report(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReportCommandOptions>();
    CLI::App* cmd = app.add_subcommand("report", "a self-contained HTML report: flow matrix, lateral paths, blast "
                                                 "radius, lint, and audit drift");
    cmd->add_option("POLICY", options->policy, "the policy file")->required();
    add_at_option(cmd, options->at);
    cmd->add_option("--audit", options->audit, "RESULT.json written by 'microseg diff --format json'");
    cmd->add_option("--flows", options->flows, "observed flows (as learn/simulate read them): adds 'observed vs allowed'");
    cmd->add_option("-o,--output", options->output, "the HTML file to write (atomically)")->required();
    cmd->add_option("--max-paths,-k", options->max_paths, "paths listed per entry -> protected pair (default 1)")
        ->check(CLI::Range(1, 100));
    cmd->callback([options, &exit_code] { exit_code = run_report(*options); });
}

}  // namespace microseg::cli
