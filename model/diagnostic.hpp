#pragma once
// Located diagnostics and the result type shared by every layer that reads text written by
// someone else (policy files, device configs). Failure that is expected travels as a value.

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

namespace microseg {

struct SourceLocation {
    std::string file;
    int line = 0;    // 1-based; 0 means "no position" (e.g. a whole file)
    int column = 0;  // 1-based
    bool known() const { return line > 0; }
};

enum class Severity { error, warning, note };

struct Diagnostic {
    Severity severity = Severity::error;
    SourceLocation location;
    std::string message;
    std::string kind;  // stable identifier, e.g. "unknown-key"; every one is in compiler/diagnostic_kinds.hpp
};

// Collects every problem of one run; the compiler reports all errors, not only the first.
class Diagnostics {
public:
    void error(SourceLocation where, std::string kind, std::string message);
    void warning(SourceLocation where, std::string kind, std::string message);
    void note(SourceLocation where, std::string kind, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);

    bool has_errors() const { return error_count() > 0; }
    std::size_t error_count() const;
    std::size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return items_; }
    // Stable order for output: by file, line, column, then insertion order.
    void sort();

private:
    std::vector<Diagnostic> items_;
};

// "file:line:col: error: message [kind]"; the source line and a caret follow when the caller
// passes the text of the line.
std::string format_diagnostic(const Diagnostic& d, std::string_view source_line = {});

// A value or a located diagnostic explaining why there is none.
template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Diagnostic error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const Diagnostic& error() const { return std::get<1>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }

private:
    std::variant<T, Diagnostic> v_;
};

inline Diagnostic make_error(std::string message, SourceLocation where = {}, std::string kind = {}) {
    return Diagnostic{Severity::error, std::move(where), std::move(message), std::move(kind)};
}

std::string_view to_string(Severity s);

}  // namespace microseg

template <>
struct fmt::formatter<microseg::SourceLocation> : fmt::formatter<std::string_view> {
    auto format(const microseg::SourceLocation& loc, format_context& ctx) const {
        if (!loc.known()) return fmt::format_to(ctx.out(), "{}", loc.file);
        return fmt::format_to(ctx.out(), "{}:{}:{}", loc.file, loc.line, loc.column);
    }
};

template <>
struct fmt::formatter<microseg::Severity> : fmt::formatter<std::string_view> {
    auto format(microseg::Severity s, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(microseg::to_string(s), ctx);
    }
};
