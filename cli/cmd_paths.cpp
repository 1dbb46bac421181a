// microseg paths POLICY [--from C] [--to C] [--all [--max-paths K]] [--format text|json]:
// lateral-movement paths from entry classes to protected classes, the blast radius of each entry
// class, and the minimum set of flows that cuts each path. Exit 1 when an entry class reaches a
// `life` class or the policy has errors, 0 otherwise, 2 on usage errors or an unreadable policy.
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/analysis_output.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/ordered_output.hpp"
#include "model/json.hpp"
#include "model/lateral_paths.hpp"

namespace microseg::cli {
namespace {

struct PathsOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::vector<std::string> from;
    std::vector<std::string> to;
    bool all = false;
    std::size_t max_paths = 5;
    std::string format;
};

// Class names -> indices; prints an error (with a suggestion) for an unknown name.
std::optional<std::vector<std::size_t>> resolve(const Policy& p, const std::vector<std::string>& names,
                                                std::string_view flag) {
    std::vector<std::size_t> out;
    for (const auto& n : names) {
        auto i = p.class_index(n);
        if (!i) {
            auto hint = closest_class_name(p, n);
            print_error(fmt::format("{}: unknown class '{}'{}", flag, n,
                                    hint ? fmt::format(" (did you mean '{}'?)", *hint) : std::string{}));
            return std::nullopt;
        }
        out.push_back(*i);
    }
    return out;
}

// One finding as the text lists it. Each class's name is painted once (painting asks the
// terminal each time), and a start class's text is made in one string sized like the last.
struct FindingPrinter {
    const ReachabilityGraph& graph;
    FindingTexts texts{graph};
    bool colour = colour_enabled(1);
    std::vector<std::optional<std::string>> heads{graph.class_count()};  // "\nfrom -> " per class
    std::vector<std::optional<std::string>> tails{graph.class_count()};  // "to (what): " per class
    std::size_t last_size = 0;

    std::string painted(std::string_view code, const std::string& text) const {
        return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
    }
    const std::string& head(std::size_t from) {
        if (!heads[from]) heads[from] = fmt::format("\n{} -> ", painted("1", graph.class_at(from).name));
        return *heads[from];
    }
    const std::string& tail(std::size_t to) {
        if (tails[to]) return *tails[to];
        const DeviceClass& c = graph.class_at(to);
        std::string what = c.phi && !(c.criticality == Criticality::life || c.criticality == Criticality::high)
                               ? "phi"
                               : fmt::format("{}{}", c.criticality, c.phi ? ", phi" : "");
        return *(tails[to] = fmt::format("{} ({}): ", painted(c.criticality == Criticality::life ? "1;31" : "1;33", c.name), what));
    }
    void append(std::string& out, const LateralFinding& f) {
        out.append(head(f.from)).append(tail(f.to));
        fmt::format_to(std::back_inserter(out), "{} path(s) shown\n", f.paths.size());
        for (std::size_t i = 0; i < f.paths.size(); ++i) {
            fmt::format_to(std::back_inserter(out), "  path {} ({} hop{})\n", i + 1, f.paths[i].size() - 1,
                           f.paths[i].size() == 2 ? "" : "s");
            append_path_text(out, graph, f.paths[i], "    ", texts);
        }
        append_cut_text(out, graph, f, "  ", texts);
    }
    std::string start_text(const LateralReport& r, std::pair<std::size_t, std::size_t> run) {
        std::string out;
        out.reserve(last_size + last_size / 8);
        for (std::size_t k = run.first; k < run.second; ++k) append(out, r.findings[k]);
        last_size = out.size();
        return out;
    }
};

// The findings of each start class, in the order of the report.
std::vector<std::pair<std::size_t, std::size_t>> runs_by_start(const LateralReport& r) {
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t i = 0; i < r.findings.size(); ++i)
        if (runs.empty() || r.findings[runs.back().first].from != r.findings[i].from) runs.emplace_back(i, i + 1);
        else runs.back().second = i + 1;
    return runs;
}

void print_text(const ReachabilityGraph& g, const LateralReport& r) {
    fmt::print("lateral movement: {} start class(es), {} target class(es), {} reachable pair(s)\n", r.from.size(),
               r.to.size(), r.findings.size());
    const auto runs = runs_by_start(r);
    write_in_order(stdout, runs.size(), [&] { return FindingPrinter{g}; },
                   [&](FindingPrinter& printer, std::size_t i) { return printer.start_text(r, runs[i]); });
    if (r.findings.empty()) fmt::print("\nno start class reaches a target class\n");

    std::size_t name_w = 5;
    for (const auto& b : r.radius) name_w = std::max(name_w, g.class_at(b.entry).name.size());
    fmt::print("\nblast radius (devices of the classes reached; the start class counts when it reaches itself)\n");
    fmt::print("  {:<{}}  {:>7}  {:>8}  {:>13}  {:>13}\n", "start", name_w, "classes", "devices", "1-hop classes",
               "1-hop devices");
    for (const auto& b : r.radius)
        fmt::print("  {:<{}}  {:>7}  {:>8}  {:>13}  {:>13}\n", g.class_at(b.entry).name, name_w, b.classes.size(),
                   b.devices, b.one_hop_classes.size(), b.one_hop_devices);
    if (r.reaches_life) fmt::print("\n{}: an entry class reaches a life-critical class\n", paint(1, "1;31", "finding"));
}

// The JSON is written a piece at a time: a large network's is gigabytes.
constexpr std::size_t kJsonPiece = std::size_t{1} << 20;

void print_json(const ReachabilityGraph& g, const LateralReport& r) {
    JsonWriter w;
    w.begin_object().field("policy", g.policy().name()).field("reaches_life", r.reaches_life);
    w.key("from").begin_array();
    for (std::size_t c : r.from) w.value(g.class_at(c).name);
    w.end_array().key("to").begin_array();
    for (std::size_t c : r.to) w.value(g.class_at(c).name);
    w.end_array().key("findings").begin_array();
    for (const auto& f : r.findings) {
        const DeviceClass& to = g.class_at(f.to);
        w.begin_object().field("from", g.class_at(f.from).name).field("to", to.name);
        w.field("criticality", to_string(to.criticality)).field("phi", to.phi);
        w.key("paths").begin_array();
        for (const auto& p : f.paths) write_path_json(w, g, p);
        w.end_array();
        w.key("cut").begin_object().field("cuttable", f.cut.cuttable).key("flows").begin_array();
        for (std::size_t i : f.cut.flows) write_flow_json(w, g.policy(), i);
        w.end_array().end_object().end_object();
        if (w.str().size() >= kJsonPiece) fmt::print("{}", w.take());
    }
    w.end_array().key("blast_radius").begin_array();
    for (const auto& b : r.radius) write_radius_json(w, g, b);
    w.end_array().end_object();
    fmt::print("{}\n", w.str());
}

int run_paths(const PathsOptions& o) {
    auto policy = load_policy(o.policy, o.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    auto from = resolve(*policy, o.from, "--from");
    auto to = resolve(*policy, o.to, "--to");
    if (!from || !to) return kExitUsage;
    auto graph = ReachabilityGraph::build(*policy);
    LateralReport report = analyse_lateral_movement(graph, {*from, *to, o.all ? o.max_paths : 1});
    if (o.format == "json") {
        print_json(graph, report);
    } else {
        print_text(graph, report);
    }
    return report.reaches_life ? kExitFindings : kExitClean;
}

}  // namespace

void attach_paths(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<PathsOptions>();
    CLI::App* cmd = app.add_subcommand("paths", "lateral-movement paths, blast radius, choke points; exit 1 if an "
                                                "entry class reaches a life-critical class");
    cmd->add_option("POLICY", options->policy, "the policy file")->required();
    add_at_option(cmd, options->at);
    cmd->add_option("--from", options->from, "start class (repeatable; default: every entry class)");
    cmd->add_option("--to", options->to, "target class (repeatable; default: every protected class)");
    cmd->add_flag("--all", options->all, "list up to --max-paths distinct simple paths per pair, shortest first");
    cmd->add_option("--max-paths,-k", options->max_paths, "paths per pair with --all (default 5)")
        ->check(CLI::Range(1, 1000));
    add_format_option(cmd, options->format, {"text", "json"}, "text");
    cmd->callback([options, &exit_code] { exit_code = run_paths(*options); });
}

}  // namespace microseg::cli
