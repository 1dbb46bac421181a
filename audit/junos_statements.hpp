#pragma once
// Junos configuration text -> flat `set` statements, whichever form it came in: `display set`
// lines are split into words; the hierarchical `{ ... }` form is tokenised (quoted strings,
// `/* */` and `#` comments, `inactive:` markers, `[ a b ]` lists) and every leaf becomes the
// set statement it stands for. Each statement keeps the line it started on, so the parser
// proper reads one grammar only and still reports located warnings.

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace microseg {

// Limits against crafted configs (README "Limits"): deeper sections, longer statements are
// skipped with a problem; past the total, reading stops with a problem (findings "unknown").
inline constexpr std::size_t kMaxJunosDepth = 64;             // real configs nest under 15
inline constexpr std::size_t kMaxJunosStatementWords = 256;   // real statements have under 30
inline constexpr std::size_t kMaxJunosWords = 16'000'000;     // about 2M statements

struct JunosStatement {
    int line = 0;
    // Without the leading "set". Views into the text read, or into JunosStatements::unescaped:
    // a string per word made the reader allocate for most words of a config.
    std::vector<std::string_view> words;
};

struct JunosStatements {
    std::vector<JunosStatement> statements;  // active ones, deactivated and deleted ones removed
    std::deque<std::string> unescaped;       // quoted words with a backslash escape, unescaped
    std::vector<std::pair<int, std::string>> problems;  // (line, reason): stray braces, truncation
    std::size_t inactive = 0;                           // statements dropped as inactive
};

// The statements view `text`: it must outlive them.
JunosStatements junos_statements(std::string_view text);

}  // namespace microseg
