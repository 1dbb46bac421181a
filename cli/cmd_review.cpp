// microseg review OLD_POLICY NEW_POLICY [--format text|json]: what a change does to lateral
// movement. The initiations added and removed, the lateral paths (entry -> protected) opened and
// closed, the change in blast radius per entry class. Exit 1 when the change opens a path, 0
// otherwise (a policy against itself reports nothing) and when a policy has errors, 2 when one
// cannot be read.
#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/analysis_output.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/json.hpp"
#include "model/policy_review.hpp"

namespace microseg::cli {
namespace {

struct ReviewOptions {
    std::string before;
    CompileOptions at;  // --at, for both policies
    std::string after;
    std::string format;
};

std::string edge_text(const ReachabilityGraph& g, const EdgeChange& e) {
    return fmt::format("{} -> {} [{}]  {}", e.from, e.to, e.service, g.describe({e.kind, e.flow, e.vlan}));
}

std::string radius_text(const std::optional<BlastRadius>& r) {
    if (!r) return "not an entry class";
    return fmt::format("{} classes, {} devices", r->classes.size(), r->devices);
}

void print_text(const ReachabilityGraph& before, const ReachabilityGraph& after, const PolicyReview& r) {
    if (r.empty()) {
        fmt::print("no change to reachability\n");
        return;
    }
    if (!r.added.empty()) fmt::print("initiations added ({}):\n", r.added.size());
    for (const auto& e : r.added) fmt::print("  + {}\n", edge_text(after, e));
    if (!r.removed.empty()) fmt::print("initiations removed ({}):\n", r.removed.size());
    for (const auto& e : r.removed) fmt::print("  - {}\n", edge_text(before, e));
    for (const auto& p : r.opened) {
        fmt::print("{} {} -> {}\n", paint(1, "1;31", "path opened:"), p.from, p.to);
        fmt::print("{}", format_path_text(after, p.path, "    "));
    }
    for (const auto& p : r.closed) {
        fmt::print("{} {} -> {}\n", paint(1, "1;32", "path closed:"), p.from, p.to);
        fmt::print("{}", format_path_text(before, p.path, "    "));
    }
    if (!r.radius.empty()) fmt::print("blast radius:\n");
    for (const auto& c : r.radius)
        fmt::print("  {}: {} -> {}\n", c.entry, radius_text(c.before), radius_text(c.after));
    if (r.opens_path())
        fmt::print("{}: the change opens {} lateral path(s) to protected classes\n", paint(1, "1;31", "finding"),
                   r.opened.size());
}

void write_edges(JsonWriter& w, const ReachabilityGraph& g, const std::vector<EdgeChange>& edges) {
    w.begin_array();
    for (const auto& e : edges) {
        w.begin_object().field("from", e.from).field("to", e.to).field("service", e.service);
        w.field("kind", to_string(e.kind)).field("why", g.describe({e.kind, e.flow, e.vlan}));
        if (HopReason{e.kind, e.flow, e.vlan}.has_flow()) {
            const auto& loc = g.policy().flows().at(e.flow).location;
            w.field("file", loc.file).field("line", loc.line).field("column", loc.column);
        }
        w.end_object();
    }
    w.end_array();
}

void write_paths(JsonWriter& w, const ReachabilityGraph& g, const std::vector<PathChange>& paths) {
    w.begin_array();
    for (const auto& p : paths) {
        w.begin_object().field("from", p.from).field("to", p.to).key("path");
        write_path_json(w, g, p.path);
        w.end_object();
    }
    w.end_array();
}

void print_json(const ReachabilityGraph& before, const ReachabilityGraph& after, const PolicyReview& r) {
    JsonWriter w;
    w.begin_object().field("opens_path", r.opens_path());
    w.key("added");
    write_edges(w, after, r.added);
    w.key("removed");
    write_edges(w, before, r.removed);
    w.key("opened");
    write_paths(w, after, r.opened);
    w.key("closed");
    write_paths(w, before, r.closed);
    w.key("blast_radius").begin_array();
    for (const auto& c : r.radius) {
        w.begin_object().field("entry", c.entry).key("before");
        if (c.before) write_radius_json(w, before, *c.before); else w.null();
        w.key("after");
        if (c.after) write_radius_json(w, after, *c.after); else w.null();
        w.end_object();
    }
    w.end_array().end_object();
    fmt::print("{}\n", w.str());
}

int run_review(const ReviewOptions& o) {
    auto before = load_policy(o.before, o.at, /*quiet_warnings=*/true);
    auto after = load_policy(o.after, o.at, /*quiet_warnings=*/true);
    if (!before || !after) return std::max(before.exit_code, after.exit_code);
    auto old_graph = ReachabilityGraph::build(*before);
    auto new_graph = ReachabilityGraph::build(*after);
    PolicyReview review = review_policies(old_graph, new_graph);
    if (o.format == "json") {
        print_json(old_graph, new_graph, review);
    } else {
        print_text(old_graph, new_graph, review);
    }
    return review.opens_path() ? kExitFindings : kExitClean;
}

}  // namespace

void attach_review(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReviewOptions>();
    CLI::App* cmd = app.add_subcommand("review", "what a policy change opens or closes; exit 1 if it opens a path "
                                                 "from an entry class to a protected class");
    cmd->add_option("OLD_POLICY", options->before, "the policy before the change")->required();
    cmd->add_option("NEW_POLICY", options->after, "the policy after the change")->required();
    add_at_option(cmd, options->at);
    add_format_option(cmd, options->format, {"text", "json"}, "text");
    cmd->callback([options, &exit_code] { exit_code = run_review(*options); });
}

}  // namespace microseg::cli
