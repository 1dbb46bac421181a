#include "audit/junos_statements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>

namespace microseg {
namespace {

// The characters that end an unquoted word: blanks, punctuation, quote, comment.
bool ends_word(char c) {
    switch (c) {
        case ' ': case '\t': case '{': case '}': case ';': case '[': case ']': case '"': case '#': return true;
        default: return false;
    }
}

// Splits one line into tokens: words, quoted strings (quotes removed), and the punctuation
// { } ; [ ] as tokens of their own. `#` starts a comment outside quotes; `/* */` may span
// lines, hence `in_comment` is carried from line to line. Tokens view `line`, except quoted
// strings with escapes, which are unescaped into `unescaped`.
std::vector<std::string_view> tokens(std::string_view line, bool& in_comment, std::deque<std::string>& unescaped) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        if (in_comment) {
            auto end = line.find("*/", i);
            if (end == std::string_view::npos) return out;
            in_comment = false;
            i = end + 2;
            continue;
        }
        char c = line[i];
        if (c == ' ' || c == '\t') { ++i; continue; }
        if (c == '#') return out;
        if (line.substr(i, 2) == "/*") { in_comment = true; i += 2; continue; }
        if (c == '{' || c == '}' || c == ';' || c == '[' || c == ']') {
            out.push_back(line.substr(i++, 1));
            continue;
        }
        if (c == '"') {
            std::size_t start = ++i;
            bool escaped = false;
            for (; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size()) ++i, escaped = true;
            }
            auto quoted = line.substr(start, std::min(i, line.size()) - start);
            ++i;
            if (!escaped) {
                out.push_back(quoted);
                continue;
            }
            std::string word;
            for (std::size_t k = 0; k < quoted.size(); ++k) {
                if (quoted[k] == '\\' && k + 1 < quoted.size()) ++k;
                word += quoted[k];
            }
            out.push_back(unescaped.emplace_back(std::move(word)));
        } else {
            std::size_t start = i;
            while (i < line.size() && !ends_word(line[i])) ++i;
            out.push_back(line.substr(start, i - start));
        }
    }
    return out;
}

// "{master:0}" and "user@host> show configuration" frame the output on a virtual chassis.
bool is_cli_frame(std::string_view line) {
    auto t = line.substr(0, line.find_last_not_of(" \t") + 1);
    if (t.size() > 2 && t.front() == '{' && t.back() == '}' && t.find(' ') == std::string_view::npos &&
        t.find(':') != std::string_view::npos)
        return true;
    auto gt = t.find("> ");
    return gt != std::string_view::npos && t.substr(0, gt).find('@') != std::string_view::npos &&
           t.substr(0, gt).find(' ') == std::string_view::npos;
}

class Reader {
public:
    JunosStatements run(std::string_view text);

private:
    void line(std::string_view raw, int number);
    void set_command(std::vector<std::string_view> words, int number);
    void set_command_words(std::string_view verb, std::vector<std::string_view> words, int number);
    void token(std::string_view tok, int number);
    void emit(int number);
    void push_statement(int number, std::vector<std::string_view> words);

    bool over_budget(std::size_t words, int number);

    JunosStatements out_;
    // `delete` and `deactivate` paths in a trie, so that applying them is linear in the
    // statements (a list of paths checked against every statement was quadratic: a
    // million-line config of deletes took hours).
    struct PathNode {
        std::map<std::string, PathNode, std::less<>> children;
        std::size_t deleted_at = 0;  // the last `delete` of this path, as 1 + its sequence number
        bool deactivated = false;
    };
    PathNode& path_node(const std::vector<std::string_view>& words);
    enum class Fate : std::uint8_t { kept, deleted, deactivated };
    Fate fate_of(const JunosStatement& s, std::size_t seq) const;
    PathNode paths_;
    std::vector<std::size_t> seq_;  // per statement, its sequence number among set/delete
    std::size_t next_seq_ = 0;
    std::size_t words_emitted_ = 0;
    std::size_t ignored_depth_ = 0;  // `{` levels below kMaxJunosDepth, skipped to their `}`
    bool stopped_ = false;           // the word budget ran out: the rest is not read
    struct Level {
        std::size_t words;  // how many words of path_ this level added
        bool inactive;
    };
    std::vector<std::string_view> path_;
    std::vector<Level> levels_;
    std::vector<std::string_view> cur_;
    std::vector<std::string_view> list_;
    std::size_t list_at_ = 0;
    bool in_list_ = false, has_list_ = false, cur_inactive_ = false, in_comment_ = false;
    int cur_line_ = 0;
};

JunosStatements Reader::run(std::string_view text) {
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
    std::vector<JunosStatement> kept;
    for (std::size_t i = 0; i < out_.statements.size(); ++i) {
        Fate fate = fate_of(out_.statements[i], seq_[i]);
        if (fate == Fate::deactivated) ++out_.inactive;
        if (fate == Fate::kept) kept.push_back(std::move(out_.statements[i]));
    }
    out_.statements = std::move(kept);
    return std::move(out_);
}

Reader::PathNode& Reader::path_node(const std::vector<std::string_view>& words) {
    PathNode* node = &paths_;
    for (const auto& w : words) node = &node->children[std::string(w)];
    return *node;
}

// Deleted by a `delete` of a prefix after it was set, or deactivated: a prefix is deactivated
// at the end.
Reader::Fate Reader::fate_of(const JunosStatement& s, std::size_t seq) const {
    const PathNode* node = &paths_;
    bool deactivated = false;
    for (const auto& w : s.words) {
        auto it = node->children.find(w);
        if (it == node->children.end()) break;
        node = &it->second;
        if (node->deleted_at > seq) return Fate::deleted;
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
    auto toks = tokens(raw, in_comment_, out_.unescaped);
    if (toks.empty()) return;
    static const std::vector<std::string_view> verbs = {"set", "deactivate", "activate", "delete"};
    if (levels_.empty() && cur_.empty() && !comment &&
        std::find(verbs.begin(), verbs.end(), toks[0]) != verbs.end())
        return set_command(std::move(toks), number);
    for (auto t : toks) token(t, number);
}

// One `display set` line (or a load-set command): brackets expand to one statement per item.
void Reader::set_command(std::vector<std::string_view> words, int number) {
    auto verb = words[0];
    words.erase(words.begin());
    auto open = std::find(words.begin(), words.end(), "[");
    if (open != words.end()) {
        auto close = std::find(open, words.end(), "]");
        std::vector<std::string_view> items(open + 1, close);
        std::vector<std::string_view> tail(close == words.end() ? close : close + 1, words.end());
        words.erase(open, words.end());
        for (const auto& item : items) {
            auto w = words;
            w.push_back(item);
            w.insert(w.end(), tail.begin(), tail.end());
            set_command_words(verb, std::move(w), number);
        }
        return;
    }
    set_command_words(verb, std::move(words), number);
}

void Reader::set_command_words(std::string_view verb, std::vector<std::string_view> words, int number) {
    if (words.empty()) return out_.problems.push_back({number, fmt::format("{} without a statement", verb)});
    if (stopped_ || over_budget(words.size(), number)) return;
    if (verb == "set") return push_statement(number, std::move(words));
    if (verb == "deactivate" || verb == "activate") {
        path_node(words).deactivated = verb == "deactivate";
        return;
    }
    path_node(words).deleted_at = ++next_seq_;
}

void Reader::push_statement(int number, std::vector<std::string_view> words) {
    out_.statements.push_back({number, std::move(words)});
    seq_.push_back(next_seq_++);
}

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

// A leaf statement: path + words (once per item of a [ list ]).
void Reader::emit(int) {
    bool inactive = cur_inactive_ || (!levels_.empty() && levels_.back().inactive);
    std::size_t count = has_list_ ? list_.size() : 1;
    for (std::size_t i = 0; i < count && !stopped_; ++i) {
        std::size_t leaf_size = cur_.size() + (has_list_ ? 1 : 0);
        if (leaf_size == 0) continue;
        if (inactive) {
            ++out_.inactive;
            continue;
        }
        if (over_budget(path_.size() + leaf_size, cur_line_)) break;
        std::vector<std::string_view> words = path_;
        words.insert(words.end(), cur_.begin(), cur_.end());
        if (has_list_) {
            auto at = words.begin() + static_cast<std::ptrdiff_t>(path_.size() + std::min(list_at_, cur_.size()));
            words.insert(at, list_[i]);
        }
        push_statement(cur_line_, std::move(words));
    }
    cur_.clear();
    list_.clear();
    cur_inactive_ = has_list_ = false;
}

}  // namespace

JunosStatements junos_statements(std::string_view text) { return Reader().run(text); }

}  // namespace microseg
