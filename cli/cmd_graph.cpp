// microseg graph POLICY [--format dot|graphml|json] [--highlight-paths] [-o FILE]: the
// reachability graph for Graphviz, GraphML tools or scripts. `-o x.svg` renders the DOT with
// Graphviz's `dot`. Output files are written atomically. Exit 0, 1 policy errors, 2 any other
// failure.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "model/file_io.hpp"
#include "model/graph_export.hpp"

extern char** environ;

namespace microseg::cli {
namespace {

struct GraphOptions {
    std::string policy;
    GraphFormat format = GraphFormat::dot;
    bool highlight_paths = false;
    std::string output;
};

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A unique empty file in TMPDIR (or /tmp) with the given suffix; empty on failure.
std::string temp_file(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = fmt::format("{}/microseg-graph-XXXXXX{}", dir && *dir ? dir : "/tmp", suffix);
    int fd = ::mkstemps(path.data(), static_cast<int>(std::string_view(suffix).size()));
    if (fd < 0) return {};
    ::close(fd);
    return path;
}

// Runs `dot -Tsvg IN -o OUT`; an error message, or empty on success.
std::string run_dot(const std::string& in, const std::string& out) {
    std::string prog = "dot", type = "-Tsvg", flag = "-o";
    char* argv[] = {prog.data(), type.data(), const_cast<char*>(in.c_str()), flag.data(),
                    const_cast<char*>(out.c_str()), nullptr};
    pid_t pid = 0;
    if (int rc = ::posix_spawnp(&pid, "dot", nullptr, nullptr, argv, environ); rc != 0)
        return "cannot run Graphviz 'dot' (install graphviz, or write .dot and render it elsewhere)";
    int status = 0;
    if (::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return "Graphviz 'dot' did not finish";
    if (WEXITSTATUS(status) != 0) return fmt::format("Graphviz 'dot' failed with exit status {}", WEXITSTATUS(status));
    return {};
}

int render_svg(const std::string& dot_text, const std::string& target) {
    std::string dot_file = temp_file(".dot");
    std::string svg_file = temp_file(".svg");
    auto cleanup = [&] {
        if (!dot_file.empty()) ::unlink(dot_file.c_str());
        if (!svg_file.empty()) ::unlink(svg_file.c_str());
    };
    if (dot_file.empty() || svg_file.empty()) {
        cleanup();
        print_error("cannot create a temporary file for Graphviz");
        return kExitUsage;
    }
    auto wrote = write_file_atomically(dot_file, dot_text);
    std::string failure = wrote ? run_dot(dot_file, svg_file) : wrote.error().message;
    if (!failure.empty()) {
        cleanup();
        print_error(failure);
        return kExitUsage;
    }
    auto svg = read_text_file(svg_file);
    cleanup();
    if (!svg) {
        print_error(svg.error().message);
        return kExitUsage;
    }
    if (auto done = write_file_atomically(target, *svg); !done) {
        print_error(format_diagnostic(done.error()));
        return kExitUsage;
    }
    return kExitClean;
}

int run_graph(const GraphOptions& o) {
    auto policy = load_policy(o.policy, /*quiet_warnings=*/true);
    if (!policy) return policy.exit_code;
    policy->rebuild_index();
    auto graph = ReachabilityGraph::build(*policy);
    const bool svg = ends_with(o.output, ".svg");
    if (svg && o.format != GraphFormat::dot) {
        print_error("-o FILE.svg renders DOT: use --format dot");
        return kExitUsage;
    }
    std::string text = export_graph(graph, o.format, {o.highlight_paths});
    if (svg) return render_svg(text, o.output);
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
    static const std::map<std::string, GraphFormat> formats = {
        {"dot", GraphFormat::dot}, {"graphml", GraphFormat::graphml}, {"json", GraphFormat::json}};
    cmd->add_option("--format", options->format, "dot (default), graphml or json")
        ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
    cmd->add_flag("--highlight-paths", options->highlight_paths,
                  "draw the shortest path of every entry -> protected pair in red");
    cmd->add_option("-o,--output", options->output, "write to FILE (atomically); FILE.svg is rendered with dot");
    cmd->callback([options, &exit_code] { exit_code = run_graph(*options); });
}

}  // namespace microseg::cli
