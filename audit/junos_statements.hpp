#pragma once
// Junos configuration text -> flat `set` statements, whichever form it came in: `display set`
// lines are split into words; the hierarchical `{ ... }` form is tokenised (quoted strings,
// `/* */` and `#` comments, `inactive:` markers, `[ a b ]` lists) and every leaf becomes the
// set statement it stands for. Each statement keeps the line it started on, so the parser
// proper reads one grammar only and still reports located warnings.

#include <string>
#include <string_view>
#include <vector>

namespace microseg {

struct JunosStatement {
    int line = 0;
    std::vector<std::string> words;  // without the leading "set"
};

struct JunosStatements {
    std::vector<JunosStatement> statements;  // active ones, deactivated and deleted ones removed
    std::vector<std::pair<int, std::string>> problems;  // (line, reason): stray braces, truncation
    std::size_t inactive = 0;                           // statements dropped as inactive
};

JunosStatements junos_statements(std::string_view text);

}  // namespace microseg
