#pragma once
// Text that came from a device (a config line, a reason quoting its answer) may hold terminal
// escapes: ESC[2K erases the line a report is printing, ESC[8m hides what follows, ESC]0;...
// retitles the terminal. Everything a device sent passes through printable() before it
// reaches a terminal or a file a person reads, so a switch cannot rewrite the report.

#include <string>
#include <string_view>

namespace microseg {

// `text` with every control byte (0x00-0x1f except tab, and 0x7f) written as \xHH; a
// backslash stays as it is. UTF-8 and other bytes >= 0x80 pass unchanged.
std::string printable(std::string_view text);

}  // namespace microseg
