// microseg graph POLICY [--format dot|graphml|json] [--highlight-paths] [-o FILE]: the
// reachability graph for Graphviz, GraphML tools or scripts. `-o x.svg` renders the DOT with
// Graphviz's `dot`. Output files are written atomically. Exit 0, 1 policy errors, 2 any other
// failure.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/file_io.hpp"
#include "model/graph_export.hpp"
#include "report/svg_render.hpp"

namespace microseg::cli {
namespace {

struct GraphOptions {
    std::string policy;
    CompileOptions at;  // --at
    std::string format;
    bool highlight_paths = false;
    std::string output;
};

// The GraphFormat of a --format name (the parser accepts only dot, graphml and json).
GraphFormat graph_format(const std::string& name) {
    if (name == "graphml") return GraphFormat::graphml;
    if (name == "json") return GraphFormat::json;
    return GraphFormat::dot;
}

int run_graph(const GraphOptions& o) {
    auto policy = load_policy(o.policy, o.at, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    auto graph = ReachabilityGraph::build(*policy);
    const bool svg = o.output.ends_with(".svg");
    if (svg && graph_format(o.format) != GraphFormat::dot) {
        print_error("-o FILE.svg renders DOT: use --format dot");
        return kExitUsage;
    }
    std::string text = export_graph(graph, graph_format(o.format), {o.highlight_paths});
    if (svg) {
        auto drawn = report::render_svg_document(text);
        if (!drawn) {
            print_error(drawn.error().message);
            return kExitUsage;
        }
        text = std::move(*drawn);
    }
    if (o.output.empty()) {
        fmt::print("{}", text);
        return kExitClean;
    }
    if (auto done = write_file_atomically(o.output, text); !done) {
        print_error(format_diagnostic(done.error()));
        return kExitUsage;
    }
    return kExitClean;
}

}  // namespace

void attach_graph(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<GraphOptions>();
    CLI::App* cmd = app.add_subcommand("graph", "the reachability graph as DOT, GraphML or JSON (-o x.svg renders it)");
    cmd->add_option("POLICY", options->policy, "the policy file")->required();
    add_at_option(cmd, options->at);
    add_format_option(cmd, options->format, {"dot", "graphml", "json"}, "dot");
    cmd->add_flag("--highlight-paths", options->highlight_paths,
                  "draw the shortest path of every entry -> protected pair in red");
    cmd->add_option("-o,--output", options->output, "write to FILE (atomically); FILE.svg is rendered with dot");
    cmd->callback([options, &exit_code] { exit_code = run_graph(*options); });
}

}  // namespace microseg::cli
