#include "cli/cli_common.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "compiler/compiler.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "compiler/scalars.hpp"
#include "model/diagnostic_groups.hpp"

namespace microseg::cli {

void add_format_option(CLI::App* command, std::string& format, std::initializer_list<std::string_view> allowed,
                       std::string_view fallback) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    assert(std::find(names.begin(), names.end(), fallback) != names.end());
    std::string listed = names.front();
    for (std::size_t i = 1; i < names.size(); ++i) listed += (i + 1 == names.size() ? " or " : ", ") + names[i];
    format = std::string(fallback);
    // IsMember with a filter replaces the value by the member it matched: "JSON" becomes "json".
    command->add_option("--format", format, fmt::format("output format: {} (default {})", listed, fallback))
        ->transform(CLI::IsMember(std::move(names), CLI::ignore_case));
}

bool colour_enabled(int fd) {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour && *no_colour) return false;
    return ::isatty(fd) == 1;
}

std::string paint(int fd, std::string_view ansi_code, std::string_view text) {
    if (!colour_enabled(fd)) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", ansi_code, text);
}

void print_error(std::string_view message) {
    fmt::print(stderr, "microseg: {}: {}\n", paint(2, "1;31", "error"), message);
}

void add_at_option(CLI::App* command, CompileOptions& options) {
    command
        ->add_option_function<std::string>(
            "--at", [&options](const std::string& text) { options.today = compiler::parse_date(text); },
            "read the policy as of this day (YYYY-MM-DD, UTC): flows past their expires are left out; "
            "default today")
        ->type_name("YYYY-MM-DD")
        ->check([](const std::string& text) {
            return compiler::parse_date(text) ? std::string()
                                              : fmt::format("'{}' is not a date YYYY-MM-DD", text);
        });
}

void print_diagnostics(const CompileResult& result, bool quiet_warnings) {
    Diagnostics shown;
    for (const auto& d : result.diagnostics.items())
        if (!quiet_warnings || d.severity == Severity::error || d.kind == kinds::expired_flow.id) shown.add(d);
    for (const auto& [d, more] : group_repeated_warnings(shown.items())) {
        fmt::print(stderr, "{}\n", format_diagnostic(*d, result.line_of(d->location)));
        if (more) fmt::print(stderr, "{}\n", format_more_like_it(*d, more));
    }
}

LoadedPolicy load_policy(const std::string& path, const CompileOptions& options, bool quiet_warnings) {
    auto result = compile_policy_file(path, options);
    print_diagnostics(result, quiet_warnings);
    LoadedPolicy loaded{std::move(result.policy), kExitClean, std::move(result.diagnostics)};
    if (result.input_unreadable) loaded.exit_code = kExitUsage;
    else if (!loaded.policy) loaded.exit_code = kExitFindings;
    return loaded;
}

}  // namespace microseg::cli
