#include "audit/parse/junos/statements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>

namespace microseg {
namespace {

// What a character is to the tokenizer. A table: most of a config is words, and the test per
// character of a word is most of the reading.
enum class CharClass : std::uint8_t { word, blank, punctuation, quote, comment };

constexpr std::array<CharClass, 256> kCharClass = [] {
    std::array<CharClass, 256> table{};
    for (unsigned char c : std::string_view(" \t")) table[c] = CharClass::blank;
    for (unsigned char c : std::string_view("{};[]")) table[c] = CharClass::punctuation;
    table['"'] = CharClass::quote;
    table['#'] = CharClass::comment;
    return table;
}();

CharClass char_class(char c) { return kCharClass[static_cast<unsigned char>(c)]; }

// The quoted string whose opening quote is at `i`; `i` moves past its closing quote.
std::string_view quoted_string(std::string_view line, std::size_t& i, std::deque<std::string>& unescaped) {
    std::size_t start = ++i;
    bool escaped = false;
    for (; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i, escaped = true;
    }
    auto quoted = line.substr(start, std::min(i, line.size()) - start);
    ++i;
    if (!escaped) return quoted;
    std::string word;
    for (std::size_t k = 0; k < quoted.size(); ++k) {
        if (quoted[k] == '\\' && k + 1 < quoted.size()) ++k;
        word += quoted[k];
    }
    return unescaped.emplace_back(std::move(word));
}

// The end of the word that starts at `i`.
std::size_t word_end(std::string_view line, std::size_t i) {
    const char* p = line.data() + i;
    const char* end = line.data() + line.size();
    while (p != end && char_class(*p) == CharClass::word) ++p;
    return static_cast<std::size_t>(p - line.data());
}

// Splits one line into tokens: words, quoted strings (quotes removed), and the punctuation
// { } ; [ ] as tokens of their own. `#` starts a comment outside quotes; `/* */` may span
// lines, hence `in_comment` is carried from line to line. Tokens view `line`, except quoted
// strings with escapes, which are unescaped into `unescaped`. `out` is cleared first: the
// caller reuses one buffer for every line.
void tokens(std::string_view line, bool& in_comment, std::deque<std::string>& unescaped,
            std::vector<std::string_view>& out) {
    out.clear();
    std::size_t i = 0;
    while (i < line.size()) {
        if (in_comment) {
            auto end = line.find("*/", i);
            if (end == std::string_view::npos) return;
            in_comment = false;
            i = end + 2;
            continue;
        }
        char c = line[i];
        CharClass kind = char_class(c);
        if (kind == CharClass::word && !(c == '/' && i + 1 < line.size() && line[i + 1] == '*')) {
            std::size_t end = word_end(line, i + 1);
            out.push_back(line.substr(i, end - i));
            i = end;
        } else if (kind == CharClass::blank) {
            ++i;
        } else if (kind == CharClass::word) {  // "/*"
            in_comment = true;
            i += 2;
        } else if (kind == CharClass::comment) {
            return;
        } else if (kind == CharClass::punctuation) {
            out.push_back(line.substr(i++, 1));
        } else {
            std::size_t at = i;  // not `i`: its address would keep it out of a register
            out.push_back(quoted_string(line, at, unescaped));
            i = at;
        }
    }
}

// Storage of finished parses, kept for the next one on the thread: freed, it went back to the
// system and came back as fresh pages, a page fault per 4 KB written (over a tenth of a parse).
constexpr std::size_t kBlockWords = 4096;       // 64 KB: below malloc's mmap threshold
constexpr std::size_t kPooledBlocks = 64;       // 4 MB kept at most
constexpr std::size_t kPooledStatements = 1 << 18;  // 6 MB

struct Pool {
    std::vector<std::vector<std::string_view>> blocks;
    std::vector<JunosStatement> statements;
};

Pool& pool() {
    thread_local Pool p;
    return p;
}

bool is_verb(std::string_view w) { return w == "set" || w == "deactivate" || w == "activate" || w == "delete"; }

// "{master:0}" and "user@host> show configuration" frame the output on a virtual chassis.
bool is_cli_frame(std::string_view line) {
    auto t = line.substr(0, line.find_last_not_of(" \t") + 1);
    if (t.size() > 2 && t.front() == '{' && t.back() == '}' && t.find(' ') == std::string_view::npos &&
        t.find(':') != std::string_view::npos)
        return true;
    // A prompt: "> " after a word with '@' and no space. The first space decides: it must be
    // that of the "> " (a statement's first space comes after its first word, at no '>').
    auto space = t.find(' ');
    if (space == std::string_view::npos || space == 0 || t[space - 1] != '>') return false;
    return t.substr(0, space - 1).find('@') != std::string_view::npos;
}

using Words = std::span<const std::string_view>;

class Reader {
public:
    JunosStatements run(std::string_view text);

private:
    void line(std::string_view raw, int number);
    void set_command(int number);
    void set_command_words(std::string_view verb, Words head, const std::string_view* item, Words tail, int number);
    void token(std::string_view tok, int number);
    void emit(int number);
    std::vector<std::string_view>& room_for(std::size_t words);
    void push_statement(int number, Words words);

    bool over_budget(std::size_t words, int number);

    JunosStatements out_;
    // `delete` and `deactivate` paths in a trie, so that applying them is linear in the
    // statements (a list of paths checked against every statement was quadratic: a
    // million-line config of deletes took hours).
    struct PathNode {
        std::map<std::string, PathNode, std::less<>> children;
        // The last `delete` of this path deletes the statements read before it: their indexes
        // are below this (0: never deleted).
        std::size_t deleted_at = 0;
        bool deactivated = false;
    };
    PathNode& path_node(Words words);
    enum class Fate : std::uint8_t { kept, deleted, deactivated };
    Fate fate_of(Words words, std::size_t index) const;
    PathNode paths_;
    std::size_t words_emitted_ = 0;
    std::size_t ignored_depth_ = 0;  // `{` levels below kMaxJunosDepth, skipped to their `}`
    bool stopped_ = false;           // the word budget ran out: the rest is not read
    struct Level {
        std::size_t words;  // how many words of path_ this level added
        bool inactive;
    };
    std::vector<std::string_view> toks_;  // the tokens of the line being read
    std::vector<std::string_view> path_;
    std::vector<Level> levels_;
    std::vector<std::string_view> cur_;
    std::vector<std::string_view> list_;
    std::size_t list_at_ = 0;
    bool in_list_ = false, has_list_ = false, cur_inactive_ = false, in_comment_ = false;
    int cur_line_ = 0;
};

JunosStatements Reader::run(std::string_view text) {
    // A statement takes 30 bytes or more of text: enough room to grow without copying (the
    // word budget bounds the statements of any text).
    out_.statements = std::move(pool().statements);
    out_.statements.reserve(std::min(text.size() / 30, kMaxJunosWords / 8));
    int number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto raw = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        line(raw, ++number);
    }
    if (!levels_.empty() || !cur_.empty())
        out_.problems.push_back({number, "configuration ends inside a section: truncated"});
    if (paths_.children.empty()) return std::move(out_);  // nothing deleted or deactivated
    auto& statements = out_.statements;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < statements.size(); ++i) {
        Fate fate = fate_of(statements[i].words, i);
        if (fate == Fate::deactivated) ++out_.inactive;
        if (fate == Fate::kept) statements[kept++] = statements[i];
    }
    statements.resize(kept);
    return std::move(out_);
}

Reader::PathNode& Reader::path_node(Words words) {
    PathNode* node = &paths_;
    for (const auto& w : words) node = &node->children[std::string(w)];
    return *node;
}

// Deleted by a `delete` of a prefix after it was set, or deactivated: a prefix is deactivated
// at the end. `index`: the statement's among all statements read.
Reader::Fate Reader::fate_of(Words words, std::size_t index) const {
    const PathNode* node = &paths_;
    bool deactivated = false;
    for (const auto& w : words) {
        if (node->children.empty()) break;  // the usual case: no delete or deactivate below
        auto it = node->children.find(w);
        if (it == node->children.end()) break;
        node = &it->second;
        if (node->deleted_at > index) return Fate::deleted;
        deactivated = deactivated || node->deactivated;
    }
    return deactivated ? Fate::deactivated : Fate::kept;
}

// Statements are bounded (kMaxJunosStatementWords) and so is their total: a crafted config
// cannot multiply its size by deep paths or long [ lists ] until memory runs out.
bool Reader::over_budget(std::size_t words, int number) {
    if (words > kMaxJunosStatementWords) {
        out_.problems.push_back({number, fmt::format("statement of more than {} words skipped", kMaxJunosStatementWords)});
        return true;
    }
    words_emitted_ += words;
    if (words_emitted_ <= kMaxJunosWords) return false;
    out_.problems.push_back({number, fmt::format("configuration too large: more than {} words in its statements; "
                                                 "the rest is not read", kMaxJunosWords)});
    stopped_ = true;
    return true;
}

void Reader::line(std::string_view raw, int number) {
    if (stopped_ || is_cli_frame(raw)) return;
    bool comment = in_comment_;
    tokens(raw, in_comment_, out_.unescaped, toks_);
    if (toks_.empty()) return;
    if (levels_.empty() && cur_.empty() && !comment && is_verb(toks_[0])) return set_command(number);
    for (auto t : toks_) token(t, number);
}

// One `display set` line (or a load-set command), in toks_: brackets expand to one statement
// per item.
void Reader::set_command(int number) {
    auto verb = toks_[0];
    Words words(toks_.data() + 1, toks_.size() - 1);
    auto open = std::find(words.begin(), words.end(), "[");
    if (open == words.end()) return set_command_words(verb, words, nullptr, {}, number);
    auto close = std::find(open, words.end(), "]");
    Words head(words.begin(), open);
    Words tail(close == words.end() ? close : close + 1, words.end());
    for (auto item = open + 1; item != close; ++item) set_command_words(verb, head, &*item, tail, number);
}

// The statement head + item (if any) + tail of `verb`.
void Reader::set_command_words(std::string_view verb, Words head, const std::string_view* item, Words tail, int number) {
    std::size_t size = head.size() + (item ? 1 : 0) + tail.size();
    if (size == 0) return out_.problems.push_back({number, fmt::format("{} without a statement", verb)});
    if (stopped_ || over_budget(size, number)) return;
    auto& block = room_for(size);
    std::size_t begin = block.size();
    block.insert(block.end(), head.begin(), head.end());
    if (item) block.push_back(*item);
    block.insert(block.end(), tail.begin(), tail.end());
    Words words(block.data() + begin, size);
    if (verb == "set") return push_statement(number, words);
    if (verb == "deactivate" || verb == "activate") path_node(words).deactivated = verb == "deactivate";
    else path_node(words).deleted_at = out_.statements.size();
    block.resize(begin);  // the trie holds the path now
}

// The block to append a statement of `words` words to. Blocks of 64 KB: below malloc's mmap
// threshold, they come from memory already mapped, and are never copied to grow.
std::vector<std::string_view>& Reader::room_for(std::size_t words) {
    auto& blocks = out_.word_blocks;
    if (!blocks.empty() && blocks.back().capacity() - blocks.back().size() >= words) return blocks.back();
    auto& spare = pool().blocks;
    if (words <= kBlockWords && !spare.empty()) {
        blocks.push_back(std::move(spare.back()));
        spare.pop_back();
    } else {
        blocks.emplace_back().reserve(std::max(kBlockWords, words));
    }
    return blocks.back();
}

void Reader::push_statement(int number, Words words) { out_.statements.push_back({number, words}); }

void Reader::token(std::string_view tok, int number) {
    if (stopped_) return;
    if (ignored_depth_ > 0) {  // inside a section nested too deep: skip to its end
        if (tok == "{") ++ignored_depth_;
        if (tok == "}") --ignored_depth_;
        return;
    }
    if (in_list_) {
        if (tok == "]") in_list_ = false;
        else list_.push_back(tok);
        return;
    }
    if (tok == "[") {
        in_list_ = has_list_ = true;
        list_at_ = cur_.size();
        list_.clear();
        return;
    }
    if (tok == "{" && levels_.size() >= kMaxJunosDepth) {
        out_.problems.push_back({number, fmt::format("section nested deeper than {} levels skipped", kMaxJunosDepth)});
        ignored_depth_ = 1;
        cur_.clear();
        list_.clear();
        cur_inactive_ = has_list_ = false;
        return;
    }
    if (tok == "{") {
        levels_.push_back({cur_.size(), cur_inactive_ || (!levels_.empty() && levels_.back().inactive)});
        path_.insert(path_.end(), cur_.begin(), cur_.end());
        cur_.clear();
        cur_inactive_ = has_list_ = false;
        return;
    }
    if (tok == ";") return emit(number);
    if (tok == "}") {
        if (!cur_.empty()) emit(number);
        if (levels_.empty()) return out_.problems.push_back({number, "'}' without an open section"});
        path_.resize(path_.size() - levels_.back().words);
        levels_.pop_back();
        return;
    }
    // Markers Junos prints before a statement; only inactive: changes its meaning.
    if (cur_.empty() && (tok == "inactive:" || tok == "protect:" || tok == "replace:")) {
        cur_inactive_ = cur_inactive_ || tok == "inactive:";
        return;
    }
    if (cur_.empty()) cur_line_ = number;
    cur_.push_back(tok);
}

// A leaf statement: path + words (once per item of a [ list ], which goes where it stood).
void Reader::emit(int) {
    bool inactive = cur_inactive_ || (!levels_.empty() && levels_.back().inactive);
    std::size_t count = has_list_ ? list_.size() : 1;
    auto list_at = cur_.begin() + static_cast<std::ptrdiff_t>(std::min(list_at_, cur_.size()));
    for (std::size_t i = 0; i < count && !stopped_; ++i) {
        std::size_t leaf_size = cur_.size() + (has_list_ ? 1 : 0);
        if (leaf_size == 0) continue;
        if (inactive) {
            ++out_.inactive;
            continue;
        }
        if (over_budget(path_.size() + leaf_size, cur_line_)) break;
        auto& block = room_for(path_.size() + leaf_size);
        std::size_t begin = block.size();
        block.insert(block.end(), path_.begin(), path_.end());
        block.insert(block.end(), cur_.begin(), list_at);
        if (has_list_) block.push_back(list_[i]);
        block.insert(block.end(), list_at, cur_.end());
        push_statement(cur_line_, Words(block.data() + begin, block.size() - begin));
    }
    cur_.clear();
    list_.clear();
    cur_inactive_ = has_list_ = false;
}

}  // namespace

JunosStatements junos_statements(std::string_view text) { return Reader().run(text); }

JunosStatements::~JunosStatements() {
    auto& p = pool();
    for (auto& block : word_blocks) {
        if (p.blocks.size() >= kPooledBlocks || block.capacity() != kBlockWords) continue;
        block.clear();
        p.blocks.push_back(std::move(block));
    }
    if (statements.capacity() <= kPooledStatements && statements.capacity() > p.statements.capacity()) {
        statements.clear();
        p.statements = std::move(statements);
    }
}

}  // namespace microseg
