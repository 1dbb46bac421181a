#include "audit/nft_reader.hpp"

#include <algorithm>

namespace microseg::nft {

std::string Statement::text() const {
    std::string s;
    for (const auto& t : tokens) {
        if (!s.empty()) s += ' ';
        s += t.quoted ? "\"" + t.text + "\"" : t.text;
    }
    return s;
}

namespace {
bool is_punct(char c) { return c == '{' || c == '}' || c == ',' || c == ';'; }
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
            ++pos_;
            continue;
        }
        if (c == '#') {
            while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
            continue;
        }
        t = Token{};
        t.line = line_;
        if (is_punct(c)) {
            t.text = std::string(1, c);
            ++pos_;
            return true;
        }
        if (c == '"') {
            t.quoted = true;
            ++pos_;
            while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
                if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') ++pos_;
                t.text += text_[pos_++];
            }
            if (pos_ < text_.size() && text_[pos_] == '"') ++pos_;  // an unterminated string ends at the line
            return true;
        }
        std::size_t start = pos_;
        while (pos_ < text_.size()) {
            char d = text_[pos_];
            if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '"' || d == '#' || is_punct(d)) break;
            ++pos_;
        }
        t.text = std::string(text_.substr(start, pos_ - start));
        return true;
    }
    return false;
}

Statement StatementReader::next(const std::vector<std::string_view>& block_keywords) {
    Statement s;
    if (pending_close_) {
        pending_close_ = false;
        s.kind = StatementKind::close_block;
        s.line = s.last_line = pending_close_line_;
        return s;
    }
    int depth = 0;  // braces opened inside this statement
    Token t;
    bool newline = false;
    auto finish = [&](StatementKind k) {
        s.kind = k;
        s.line = s.tokens.empty() ? line_ : s.tokens.front().line;
        s.last_line = s.tokens.empty() ? s.line : s.tokens.back().line;
        return s;
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
                    s.tokens.push_back(t);
                    Statement c = finish(StatementKind::close_block);
                    c.tokens.clear();
                    return c;
                }
                pending_close_ = true;  // end this statement first, then close the block
                pending_close_line_ = t.line;
                return finish(StatementKind::plain);
            }
            --depth;
        }
        s.tokens.push_back(t);
    }
    if (!s.tokens.empty()) return finish(StatementKind::plain);  // truncated: the caller warns
    return finish(StatementKind::end);
}

}  // namespace microseg::nft
