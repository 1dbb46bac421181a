#include "audit/parse/nftables/reader.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace microseg::nft {

std::string Statement::text() const {
    std::string s;
    // Its length first: appended token by token, a rule's text grew (and was copied) 3-4 times,
    // and rulesets from other tools warn on many rules.
    std::size_t size = 0;
    for (const auto& t : tokens) size += t.text.size() + (t.quoted ? 3 : 1);
    s.reserve(size);
    for (const auto& t : tokens) {
        if (!s.empty()) s += ' ';
        if (t.quoted) s += '"';
        s += t.text;
        if (t.quoted) s += '"';
    }
    return s;
}

namespace {

// What a character starts, at the start of a token.
enum CharClass : std::uint8_t { kWord, kBlank, kNewline, kSemicolon, kPunct, kQuote, kHash };

constexpr std::array<CharClass, 256> kStarts = [] {
    std::array<CharClass, 256> table{};
    for (unsigned char c : std::string_view(" \t\r\\")) table[c] = kBlank;  // '\\' continues a line
    table['\n'] = kNewline;
    table[';'] = kSemicolon;
    for (unsigned char c : std::string_view("{},")) table[c] = kPunct;
    table['"'] = kQuote;
    table['#'] = kHash;
    return table;
}();

// The characters that end a word.
constexpr std::array<bool, 256> kEndsWord = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : std::string_view(" \t\r\n\"#{},;")) table[c] = true;
    return table;
}();

#ifdef __SSE2__
// 16 copies of `c`, loaded from a table: _mm_set1_epi8 was built anew (3 instructions) at
// every use, a third of finding a word's end.
struct alignas(16) Splats {
    char bytes[128][16];
};
constexpr Splats kSplats = [] {
    Splats s{};
    for (int c = 0; c < 128; ++c)
        for (auto& b : s.bytes[c]) b = static_cast<char>(c);
    return s;
}();
inline __m128i splat(char c) { return _mm_load_si128(reinterpret_cast<const __m128i*>(kSplats.bytes[c & 0x7f])); }
#endif

// Where words end, 16 characters at a time, kept from word to word: the next word within the
// same 16 characters costs no load. One character at a time, reading words was a third of a
// parse; then, with a mask of candidates checked against kEndsWord, each word waited on a
// chain of load, compare, table load and branch. The mask is now exact.
class WordEnds {
public:
    explicit WordEnds(const char* begin) : begin_(begin) {}

    // The first character from `p` that ends a word, or `end`.
    const char* find(const char* p, const char* end) {
#ifdef __SSE2__
        for (;;) {
            auto offset = static_cast<std::size_t>(p - begin_);
            if (offset - block_ >= 16) {  // outside the block (block_ starts past any offset)
                if (end - p < 16) break;
                block_ = offset;
                mask_ = ends_in(p);
            }
            if (unsigned m = mask_ >> (offset - block_)) return p + std::countr_zero(m);
            p = begin_ + block_ + 16;
        }
#endif
        while (p < end && !kEndsWord[static_cast<unsigned char>(*p)]) ++p;
        return p;
    }

private:
#ifdef __SSE2__
    // Bit i: p[i] is one of " \t\r\n\"#{},;" (kEndsWord).
    static unsigned ends_in(const char* p) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        auto is = [&](char c) { return _mm_cmpeq_epi8(v, splat(c)); };
        __m128i blank = _mm_or_si128(_mm_or_si128(is(' '), is('\t')), _mm_or_si128(is('\r'), is('\n')));
        __m128i quote_or_hash = _mm_cmpeq_epi8(_mm_or_si128(v, splat(1)), splat('#'));
        __m128i punct = _mm_or_si128(_mm_or_si128(is('{'), is('}')), _mm_or_si128(is(','), is(';')));
        return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(blank, quote_or_hash), punct)));
    }
    std::size_t block_ = static_cast<std::size_t>(-1) / 2;  // offset of the 16 characters mask_ covers
    unsigned mask_ = 0;
#endif
    const char* begin_;
};

// The first '"', newline or backslash from `p`, or `end`.
const char* quote_end(const char* p, const char* end) {
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n'), backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_or_si128(_mm_cmpeq_epi8(v, newline), _mm_cmpeq_epi8(v, backslash)));
        if (auto bits = static_cast<unsigned>(_mm_movemask_epi8(m))) return p + std::countr_zero(bits);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\n' && *p != '\\') ++p;
    return p;
}

}  // namespace

// From just after the opening quote; a backslash takes the next character literally. An
// unterminated string ends at the line.
std::string_view StatementReader::quoted_string() {
    std::size_t start = pos_;
    bool escaped = false;
    auto is_escape = [&](std::size_t i) { return text_[i] == '\\' && i + 1 < text_.size() && text_[i + 1] != '\n'; };
    const char* begin = text_.data();
    for (;;) {
        pos_ = static_cast<std::size_t>(quote_end(begin + pos_, begin + text_.size()) - begin);
        if (pos_ == text_.size() || text_[pos_] != '\\') break;
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

// `{`, `}` or `,` in statement `s`, `depth` braces deep: how it ends the statement (a block
// opens; a block closes, after the statement if it has tokens), or nothing: it is a token.
std::optional<StatementKind> StatementReader::punct(const Token& t, const Statement& s, int& depth,
                                                    const std::vector<std::string_view>& block_keywords) {
    const auto& tokens = s.tokens;
    if (t.text[0] == '{') {
        bool opens = depth == 0 && !tokens.empty() && !tokens.front().quoted &&
                     std::find(block_keywords.begin(), block_keywords.end(), tokens.front().text) != block_keywords.end();
        if (opens) return StatementKind::open_block;
        ++depth;
    } else if (t.text[0] == '}') {
        if (depth == 0 && tokens.empty()) return StatementKind::close_block;
        if (depth == 0) {
            pending_close_ = true;  // end this statement first, then close the block
            pending_close_line_ = t.line;
            return StatementKind::plain;
        }
        --depth;
    }
    return std::nullopt;
}

namespace {

// Words one space apart (most of a rule), read without going round the switch of next().
// Returns where the last word ends.
const char* read_words(const char* p, const char* end, WordEnds& word_ends, std::vector<Token>& tokens, int line) {
    for (;;) {
        const char* word = p;
        p = word_ends.find(p, end);
        tokens.push_back(Token{std::string_view(word, static_cast<std::size_t>(p - word)), line, false});
        if (end - p < 2 || *p != ' ' || kStarts[static_cast<unsigned char>(p[1])] != kWord) return p;
        ++p;
    }
}

}  // namespace

// One loop over the characters of a statement: a function call per token (and a Token built,
// then copied) was most of the reading.
void StatementReader::next(Statement& s, const std::vector<std::string_view>& block_keywords) {
    s.tokens.clear();
    if (pending_close_) {
        pending_close_ = false;
        s.kind = StatementKind::close_block;
        s.line = s.last_line = pending_close_line_;
        return;
    }
    auto& tokens = s.tokens;
    const char* const begin = text_.data();
    WordEnds word_ends(begin);
    const char* const end = begin + text_.size();
    const char* p = begin + pos_;
    int depth = 0;  // braces opened inside this statement
    auto finish = [&](StatementKind k) {
        pos_ = static_cast<std::size_t>(p - begin);
        s.kind = k;
        s.line = tokens.empty() ? line_ : tokens.front().line;
        s.last_line = tokens.empty() ? s.line : tokens.back().line;
    };
    while (p < end) {
        switch (kStarts[static_cast<unsigned char>(*p)]) {
            case kBlank:
                while (++p < end && (*p == ' ' || *p == '\t')) continue;
                break;
            case kNewline:
                ++line_;
                [[fallthrough]];
            case kSemicolon:
                ++p;
                if (depth == 0 && !tokens.empty()) return finish(StatementKind::plain);
                break;
            case kHash:
                p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
                if (!p) p = end;
                break;
            case kQuote:
                pos_ = static_cast<std::size_t>(p + 1 - begin);
                tokens.push_back(Token{quoted_string(), line_, true});
                p = begin + pos_;
                break;
            case kPunct: {
                Token t{std::string_view(p++, 1), line_, false};
                if (auto ends = punct(t, s, depth, block_keywords)) {
                    if (*ends != StatementKind::close_block) return finish(*ends);
                    pos_ = static_cast<std::size_t>(p - begin);
                    s.kind = StatementKind::close_block;
                    s.line = s.last_line = t.line;
                    return;
                }
                tokens.push_back(t);
                break;
            }
            case kWord:
                p = read_words(p, end, word_ends, tokens, line_);
                break;
        }
    }
    finish(tokens.empty() ? StatementKind::end : StatementKind::plain);  // plain: truncated, the caller warns
}

}  // namespace microseg::nft
