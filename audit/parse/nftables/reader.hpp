#pragma once
// The lexical half of the nftables parser: `nft list ruleset` text (or an `nft -f` file) as a
// stream of statements. A statement ends at a newline or ';' outside braces; a `{` after a
// block keyword (table, chain, set, ...) opens a block instead, and a `}` closes it. Braces
// inside a statement (anonymous sets, `elements = { ... }`, which nft wraps over several
// lines) stay in the statement. Comments (`# handle 4`) are dropped.

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microseg::nft {

struct Token {
    // Views the text read, or the reader's copy of a quoted string with escapes: a string per
    // token made reading allocate for most tokens. The reader must outlive its tokens.
    std::string_view text;
    int line = 0;
    bool quoted = false;  // a "string": never a keyword
    // Not ==: libstdc++'s calls an out-of-line compare(), a good part of reading a rule.
    bool is(std::string_view s) const {
        return !quoted && text.size() == s.size() && std::char_traits<char>::compare(text.data(), s.data(), s.size()) == 0;
    }
};

enum class StatementKind : std::uint8_t { plain, open_block, close_block, end };

struct Statement {
    StatementKind kind = StatementKind::end;
    std::vector<Token> tokens;  // for open_block: the header words before '{'
    int line = 0;               // of the first token
    int last_line = 0;
    std::string text() const;   // the words joined by spaces, for warnings
};

class StatementReader {
public:
    explicit StatementReader(std::string_view text) : text_(text) {}
    // `block_keywords`: first words that, followed by '{', open a block at this level. Reads
    // into `s`, whose storage is reused from statement to statement.
    void next(Statement& s, const std::vector<std::string_view>& block_keywords);
    int line() const { return line_; }

private:
    std::string_view quoted_string();
    std::optional<StatementKind> punct(const Token& t, const Statement& s, int& depth,
                                       const std::vector<std::string_view>& block_keywords);
    std::string_view text_;
    std::deque<std::string> unescaped_;  // quoted strings with escapes, unescaped
    std::size_t pos_ = 0;
    int line_ = 1;
    bool pending_close_ = false;
    int pending_close_line_ = 0;
};

}  // namespace microseg::nft
