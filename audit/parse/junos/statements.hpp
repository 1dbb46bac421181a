#pragma once
// Junos configuration text -> flat `set` statements, whichever form it came in: `display set`
// lines are split into words; the hierarchical `{ ... }` form is tokenised (quoted strings,
// `/* */` and `#` comments, `inactive:` markers, `[ a b ]` lists) and every leaf becomes the
// set statement it stands for. Each statement keeps the line it started on, so the parser
// proper reads one grammar only and still reports located warnings.

#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/parse/junos/words.hpp"

namespace microseg {

// Limits against crafted configs (README "Limits"): deeper sections, longer statements are
// skipped with a problem; past the total, reading stops with a problem (findings "unknown").
inline constexpr std::size_t kMaxJunosDepth = 64;             // real configs nest under 15
inline constexpr std::size_t kMaxJunosStatementWords = 256;   // real statements have under 30
inline constexpr std::size_t kMaxJunosWords = 16'000'000;     // about 2M statements

struct JunosStatement {
    int line = 0;
    // Without the leading "set": a run of JunosStatements::word_blocks. The words view the
    // text read, or JunosStatements::unescaped: a string per word, or a vector per statement,
    // made the reader allocate for most words of a config.
    std::span<const std::string_view> words;
};

// Move-only: the statements view its own `word_blocks` and `unescaped`, which a copy would not.
struct JunosStatements {
    JunosStatements() = default;
    ~JunosStatements();  // keeps its storage for the next parse on this thread
    JunosStatements(JunosStatements&&) = default;
    JunosStatements& operator=(JunosStatements&&) = default;
    JunosStatements(const JunosStatements&) = delete;
    JunosStatements& operator=(const JunosStatements&) = delete;

    std::vector<JunosStatement> statements;  // active ones, deactivated and deleted ones removed
    // Every statement's words, end to end, in blocks that never move (each statement within
    // one block). One vector for all of them grew by copying, into fresh pages at every parse.
    std::deque<std::vector<std::string_view>> word_blocks;
    std::deque<std::string> unescaped;       // quoted words with a backslash escape, unescaped
    std::vector<std::pair<int, std::string>> problems;  // (line, reason): stray braces, truncation
    std::size_t inactive = 0;                           // statements dropped as inactive
};

// The statements view `text`: it must outlive them.
JunosStatements junos_statements(std::string_view text);

}  // namespace microseg
