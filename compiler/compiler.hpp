#pragma once
// compiler/: the policy front end. Policy text (YAML, via yaml-cpp) -> a syntax tree that keeps
// every node's file:line:col -> checks -> model::Policy. Nothing outside this folder sees
// yaml-cpp; callers get a Policy or located diagnostics, never an exception for bad input.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"

namespace microseg {

struct CompileOptions {
    // The day (UTC) the policy is read as of (`--at`): a flow whose `expires` is before it is
    // left out of the Policy, with a warning. Unset: today by the system clock. Tests and
    // goldens always set it, so that their results never change with the calendar.
    std::optional<std::chrono::year_month_day> today;
};

struct CompileResult {
    std::optional<Policy> policy;  // set only when there are no errors
    Diagnostics diagnostics;       // errors and lint warnings, sorted by location
    // The text of every file read, so diagnostics can show the offending line with a caret.
    std::map<std::string, std::string> sources;
    // The top file itself could not be read (missing, a directory, too large): a usage or
    // runtime failure (exit 2), not a policy error.
    bool input_unreadable = false;

    bool ok() const { return policy.has_value(); }
    // The source line a diagnostic points at, or empty.
    std::string_view line_of(const SourceLocation& where) const;

private:
    // Start offset of every line, per file, built on the first line_of() of that file.
    mutable std::map<std::string, std::vector<std::size_t>> line_starts_;
};

CompileResult compile_policy_file(const std::string& path, const CompileOptions& options = {});
// `file_name` is used in locations; includes are resolved relative to its directory.
CompileResult compile_policy_text(std::string_view text, const std::string& file_name,
                                  const CompileOptions& options = {});

}  // namespace microseg
