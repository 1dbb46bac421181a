// compile_policy_*: load files -> read sections -> build the model -> checks -> lint.
#include "compiler/compiler.hpp"

#include <cstring>
#include <filesystem>

#include "compiler/build.hpp"
#include "compiler/loader.hpp"

namespace microseg {
namespace {

std::chrono::year_month_day system_today() {
    return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

CompileResult compile(const std::string& path, std::optional<std::string_view> text, const CompileOptions& options) {
    CompileResult result;
    Diagnostics& diags = result.diagnostics;
    auto files = compiler::load_policy_files(path, text, diags);
    result.sources = std::move(files.sources);
    if (files.unreadable) {
        result.input_unreadable = true;
        return result;
    }
    compiler::Build b;
    b.policy.source_file = path;
    b.policy.version_hash = files.version_hash;
    compiler::Sections sections;
    compiler::read_top_level(files, b, sections, diags);
    compiler::build_services(sections, b, diags);
    compiler::build_classes(sections, b, diags);
    compiler::build_flows(sections, b, diags);
    compiler::build_switches(sections, b, diags);
    compiler::run_checks(b, diags);
    const auto today = options.today.value_or(system_today());
    compiler::drop_expired_flows(b, today, diags);
    compiler::run_lint(b, diags);
    if (b.policy.name.empty()) b.policy.name = std::filesystem::path(path).stem().string();
    diags.sort();
    if (!diags.has_errors()) result.policy.emplace(std::move(b.policy));
    return result;
}

}  // namespace

CompileResult compile_policy_file(const std::string& path, const CompileOptions& options) {
    return compile(path, std::nullopt, options);
}

CompileResult compile_policy_text(std::string_view text, const std::string& file_name,
                                  const CompileOptions& options) {
    return compile(file_name, text, options);
}

std::string_view CompileResult::line_of(const SourceLocation& where) const {
    auto src = sources.find(where.file);
    if (src == sources.end() || where.line <= 0) return {};
    const std::string& text = src->second;
    auto& starts = line_starts_[where.file];
    if (starts.empty()) {
        starts.push_back(0);
        for (const char* p = text.data(); (p = static_cast<const char*>(
                                               std::memchr(p, '\n', text.data() + text.size() - p)));)
            starts.push_back(static_cast<std::size_t>(++p - text.data()));
    }
    auto index = static_cast<std::size_t>(where.line - 1);
    if (index >= starts.size()) return {};
    std::size_t begin = starts[index];
    std::size_t end = index + 1 < starts.size() ? starts[index + 1] - 1 : text.size();
    if (end > begin && text[end - 1] == '\r') --end;
    return std::string_view(text).substr(begin, end - begin);
}

}  // namespace microseg
