#include "audit/nft_reader.hpp"

#include <algorithm>
#include <array>

namespace microseg::nft {

std::string Statement::text() const {
    std::string s;
    for (const auto& t : tokens) {
        if (!s.empty()) s += ' ';
        if (t.quoted) s += '"';
        s += t.text;
        if (t.quoted) s += '"';
    }
    return s;
}

namespace {
bool is_punct(char c) { return c == '{' || c == '}' || c == ',' || c == ';'; }

// The characters that end a word: a table, as the test per character is most of the reading.
constexpr std::array<bool, 256> kEndsWord = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : std::string_view(" \t\r\n\"#{},;")) table[c] = true;
    return table;
}();

// The end of the word at `pos` in `text`.
std::size_t word_end(std::string_view text, std::size_t pos) {
    while (pos < text.size() && !kEndsWord[static_cast<unsigned char>(text[pos])]) ++pos;
    return pos;
}
}  // namespace

// One token, or a statement break (`newline` true for '\n' and ';'). False at the end.
bool StatementReader::next_token(Token& t, bool& newline) {
    newline = false;
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '\n' || c == ';') {
            if (c == '\n') ++line_;
            ++pos_;
            newline = true;
            return true;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\\') {  // '\' continues a line
            while (++pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
            }
            continue;
        }
        if (c == '#') {
            while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
            continue;
        }
        t = Token{};
        t.line = line_;
        if (is_punct(c)) {
            t.text = text_.substr(pos_++, 1);
            return true;
        }
        if (c == '"') {
            t.quoted = true;
            ++pos_;
            t.text = quoted_string();
            return true;
        }
        std::size_t start = pos_;
        pos_ = word_end(text_, pos_);
        t.text = text_.substr(start, pos_ - start);
        return true;
    }
    return false;
}

// From just after the opening quote; a backslash takes the next character literally. An
// unterminated string ends at the line.
std::string_view StatementReader::quoted_string() {
    std::size_t start = pos_;
    bool escaped = false;
    auto is_escape = [&](std::size_t i) { return text_[i] == '\\' && i + 1 < text_.size() && text_[i + 1] != '\n'; };
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
        if (is_escape(pos_)) ++pos_, escaped = true;
        ++pos_;
    }
    std::string_view raw = text_.substr(start, pos_ - start);
    if (pos_ < text_.size() && text_[pos_] == '"') ++pos_;
    if (!escaped) return raw;
    std::string unescaped;
    for (std::size_t i = start; i < start + raw.size(); ++i) {
        if (is_escape(i)) ++i;
        unescaped += text_[i];
    }
    return unescaped_.emplace_back(std::move(unescaped));
}

void StatementReader::next(Statement& s, const std::vector<std::string_view>& block_keywords) {
    s.tokens.clear();
    if (pending_close_) {
        pending_close_ = false;
        s.kind = StatementKind::close_block;
        s.line = s.last_line = pending_close_line_;
        return;
    }
    int depth = 0;  // braces opened inside this statement
    Token t;
    bool newline = false;
    auto finish = [&](StatementKind k) {
        s.kind = k;
        s.line = s.tokens.empty() ? line_ : s.tokens.front().line;
        s.last_line = s.tokens.empty() ? s.line : s.tokens.back().line;
    };
    while (next_token(t, newline)) {
        if (newline) {
            if (depth == 0 && !s.tokens.empty()) return finish(StatementKind::plain);
            continue;
        }
        if (t.is("{")) {
            bool opens = depth == 0 && !s.tokens.empty() &&
                         std::find(block_keywords.begin(), block_keywords.end(), s.tokens.front().text) !=
                             block_keywords.end() &&
                         !s.tokens.front().quoted;
            if (opens) return finish(StatementKind::open_block);
            ++depth;
        } else if (t.is("}")) {
            if (depth == 0) {
                if (s.tokens.empty()) {
                    s.kind = StatementKind::close_block;
                    s.line = s.last_line = t.line;
                    return;
                }
                pending_close_ = true;  // end this statement first, then close the block
                pending_close_line_ = t.line;
                return finish(StatementKind::plain);
            }
            --depth;
        }
        s.tokens.push_back(t);
    }
    finish(s.tokens.empty() ? StatementKind::end : StatementKind::plain);  // plain: truncated, the caller warns
}

}  // namespace microseg::nft
