#include "audit/fetch/terminal.hpp"

#include <algorithm>
#include <cctype>

namespace microseg {

std::string_view rtrim(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool looks_like_prompt(std::string_view line) {
    line = rtrim(line);
    if (line.size() < 2 || line.size() > 100) return false;
    if (line.back() != '#' && line.back() != '>') return false;
    if (!std::isalnum(static_cast<unsigned char>(line.front()))) return false;
    return std::none_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

void Terminal::feed(std::string_view raw) {
    for (char c : raw) feed_char(c);
}

void Terminal::clear() {
    text_.clear();
    carriage_return_ = false;
}

std::string_view Terminal::tail_line() const {
    auto nl = text_.rfind('\n');
    return nl == std::string::npos ? std::string_view(text_) : std::string_view(text_).substr(nl + 1);
}

std::string_view Terminal::previous_line() const {
    auto nl = text_.rfind('\n');
    if (nl == std::string::npos) return {};
    auto before = std::string_view(text_).substr(0, nl);
    auto start = before.rfind('\n');
    return start == std::string_view::npos ? before : before.substr(start + 1);
}

bool Terminal::tail_repeats_line(std::size_t since) const {
    auto nl = text_.rfind('\n');
    return nl != std::string::npos && nl >= since && rtrim(previous_line()) == rtrim(tail_line());
}

bool Terminal::take_pager() {
    std::string_view tail = tail_line();
    for (std::string_view marker : {"--More--", "---(more"}) {
        if (tail.find(marker) != std::string_view::npos) {
            text_.resize(text_.size() - tail.size());
            return true;
        }
    }
    return false;
}

void Terminal::feed_char(char c) {
    if (escape_ > 0) {  // inside ESC [ ... final byte
        if (escape_ == 1 && c != '[') escape_ = 0;
        else if (escape_ == 2 && c >= '@' && c <= '~') escape_ = 0;
        else escape_ = 2;
        return;
    }
    if (c == '\x1b') {
        escape_ = 1;
        return;
    }
    if (c == '\r' || c == '\0') {
        carriage_return_ = carriage_return_ || c == '\r';
        return;
    }
    // "\r\n" is a line end; '\r' before anything else returns to the start of the line, so
    // what follows overwrites it (a pager erased with "\r        \r" leaves no spaces).
    if (carriage_return_ && c != '\n') text_.resize(text_.size() - tail_line().size());
    carriage_return_ = false;
    if (c == '\b') {
        if (!text_.empty() && text_.back() != '\n') text_.pop_back();
    } else {
        text_ += c;
    }
}

}  // namespace microseg
