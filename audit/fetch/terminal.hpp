#pragma once
// What a device's PTY output looks like on a screen, as plain lines: the SSH fetch feeds it raw
// bytes and reads lines back. Kept apart from ssh_source.cpp (the only libssh user) so the
// screen rules are tested without a device.

#include <cstddef>
#include <string>
#include <string_view>

namespace microseg {

std::string_view rtrim(std::string_view s);

// "acc-sw-01#", "acc-sw-01>", "admin@core-1> ": one word ending in '#' or '>'.
bool looks_like_prompt(std::string_view line);

// Drops ANSI escape sequences and NULs, applies backspaces within the current line, and treats
// a carriage return that is not part of a line end as "back to the start of the line": what is
// written after it replaces the line. Devices erase a "--More--" either with backspaces or with
// '\r', spaces and '\r'; both leave nothing behind.
class Terminal {
public:
    void feed(std::string_view raw);
    const std::string& text() const { return text_; }
    void clear();
    std::string_view tail_line() const;
    bool tail_complete_line() const { return text_.find('\n') != std::string::npos; }
    // The complete line before the unfinished last one ("" when there is none).
    std::string_view previous_line() const;
    // The unfinished last line is the same as the complete line before it ("P\nP"), and the
    // line break between the two came at or after offset `since` of the text.
    bool tail_repeats_line(std::size_t since) const;
    // A pager prompt in the unfinished last line: remove it and report that it was there.
    bool take_pager();

private:
    void feed_char(char c);

    std::string text_;
    int escape_ = 0;
    bool carriage_return_ = false;  // a '\r' whose meaning depends on the next byte
};

}  // namespace microseg
