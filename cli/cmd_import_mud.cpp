// microseg import mud FILE... [--map MAP.yaml] [-o POLICY.yaml] [--format text|json]: a policy
// from RFC 8520 MUD files (importers/mud.hpp). The policy goes to -o (atomically) or stdout;
// warnings (unmapped peers, ACEs left out) to stderr, or into the JSON report. Exit 0 written,
// 2 bad input (malformed JSON, a missing field, a file over 16 MiB) with nothing written.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "importers/mud.hpp"
#include "model/file_io.hpp"
#include "model/json.hpp"

namespace microseg::cli {
namespace {

struct ImportMudOptions {
    std::vector<std::string> files;
    std::string map;
    std::string output;
    std::string format;
};

std::string json_report(const mud::MudImport& result, const ImportMudOptions& o) {
    JsonWriter w;
    w.begin_object().field("output", o.output.empty() ? std::string("-") : o.output);
    w.key("devices").begin_array();
    for (const auto& d : result.devices) {
        w.begin_object().field("class", d.class_name).field("mud_url", d.mud_url).field("file", d.file).end_object();
    }
    w.end_array().key("peers").begin_array();
    for (const auto& p : result.peers) {
        w.begin_object().field("class", p.name).field("what", p.what).field("mapped", p.mapped);
        w.field("subnet", p.subnet).end_object();
    }
    w.end_array().field("rules", result.rules.size()).key("warnings").begin_array();
    for (const auto& d : result.diagnostics.items()) {
        w.begin_object().field("file", d.location.file).field("kind", d.kind).field("message", d.message).end_object();
    }
    w.end_array();
    if (o.output.empty()) w.field("policy", result.policy_text);
    w.end_object();
    return w.str() + "\n";
}

int run_import_mud(const ImportMudOptions& o) {
    mud::MudMap map;
    if (!o.map.empty()) {
        auto read = mud::read_mud_map(o.map);
        if (!read) {
            fmt::print(stderr, "{}\n", format_diagnostic(read.error()));
            return kExitUsage;
        }
        map = std::move(*read);
    }
    auto result = mud::import_mud_files(o.files, map);
    if (!result) {
        fmt::print(stderr, "{}\n", format_diagnostic(result.error()));
        return kExitUsage;
    }
    if (o.format == "text") {
        for (const auto& d : result->diagnostics.items()) fmt::print(stderr, "{}\n", format_diagnostic(d));
    }
    if (!o.output.empty()) {
        if (auto done = write_file_atomically(o.output, result->policy_text); !done) {
            print_error(format_diagnostic(done.error()));
            return kExitUsage;
        }
    }
    if (o.format == "json") fmt::print("{}", json_report(*result, o));
    else if (o.output.empty()) fmt::print("{}", result->policy_text);
    else
        fmt::print("{}: {} class(es) from {} MUD file(s), {} rule(s), {} warning(s)\n", o.output,
                   result->devices.size() + result->peers.size(), o.files.size(), result->rules.size(),
                   result->diagnostics.warning_count());
    return kExitClean;
}

}  // namespace

void attach_import_mud(CLI::App& import_cmd, int& exit_code) {
    auto options = std::make_shared<ImportMudOptions>();
    CLI::App* cmd = import_cmd.add_subcommand("mud", "a policy from RFC 8520 MUD files");
    cmd->add_option("FILE", options->files, "MUD files (JSON)")->required();
    cmd->add_option("--map", options->map, "YAML: MUD peers (controller, dnsname, ...) -> class names");
    cmd->add_option("-o,--output", options->output, "write the policy to FILE (atomically)");
    add_format_option(cmd, options->format, {"text", "json"}, "text");
    cmd->callback([options, &exit_code] { exit_code = run_import_mud(*options); });
}

}  // namespace microseg::cli
