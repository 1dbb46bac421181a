#include "model/diagnostic.hpp"

#include <algorithm>

namespace microseg {

void Diagnostics::error(SourceLocation where, std::string kind, std::string message) {
    items_.push_back({Severity::error, std::move(where), std::move(message), std::move(kind)});
}

void Diagnostics::warning(SourceLocation where, std::string kind, std::string message) {
    items_.push_back({Severity::warning, std::move(where), std::move(message), std::move(kind)});
}

void Diagnostics::note(SourceLocation where, std::string kind, std::string message) {
    items_.push_back({Severity::note, std::move(where), std::move(message), std::move(kind)});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(),
        [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
    return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(),
        [](const Diagnostic& d) { return d.severity == Severity::warning; }));
}

void Diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        const auto& x = a.location;
        const auto& y = b.location;
        return std::tie(x.file, x.line, x.column) < std::tie(y.file, y.line, y.column);
    });
}

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "error";
}

std::string format_diagnostic(const Diagnostic& d, std::string_view source_line) {
    std::string out = d.location.file.empty() && !d.location.known()
                          ? fmt::format("{}: {}", d.severity, d.message)
                          : fmt::format("{}: {}: {}", d.location, d.severity, d.message);
    if (!d.kind.empty()) out += fmt::format(" [{}]", d.kind);
    if (!source_line.empty() && d.location.column > 0) {
        // Tabs are kept so the caret lines up under the same characters in a terminal.
        std::string caret;
        for (int i = 1; i < d.location.column && i <= static_cast<int>(source_line.size()); ++i)
            caret += source_line[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
        out += fmt::format("\n    {}\n    {}^", source_line, caret);
    }
    return out;
}

}  // namespace microseg
