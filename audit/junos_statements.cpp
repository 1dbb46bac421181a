#include "audit/junos_statements.hpp"

#include <algorithm>

namespace microseg {
namespace {

bool starts_with(const std::vector<std::string>& words, const std::vector<std::string>& prefix) {
    return prefix.size() <= words.size() && std::equal(prefix.begin(), prefix.end(), words.begin());
}

// The characters that end an unquoted word: blanks, punctuation, quote, comment.
bool ends_word(char c) {
    switch (c) {
        case ' ': case '\t': case '{': case '}': case ';': case '[': case ']': case '"': case '#': return true;
        default: return false;
    }
}

// Splits one line into tokens: words, quoted strings (quotes removed), and the punctuation
// { } ; [ ] as tokens of their own. `#` starts a comment outside quotes; `/* */` may span
// lines, hence `in_comment` is carried from line to line.
std::vector<std::string> tokens(std::string_view line, bool& in_comment) {
    std::vector<std::string> out;
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
            out.emplace_back(1, c);
            ++i;
            continue;
        }
        if (c == '"') {
            std::string word;
            for (++i; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size()) ++i;
                word += line[i];
            }
            ++i;
            out.push_back(std::move(word));
        } else {
            std::size_t start = i;
            while (i < line.size() && !ends_word(line[i])) ++i;
            out.emplace_back(line.substr(start, i - start));
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
    void set_command(std::vector<std::string> words, int number);
    void set_command_words(const std::string& verb, std::vector<std::string> words, int number);
    void token(std::string tok, int number);
    void emit(int number);

    JunosStatements out_;
    std::vector<std::vector<std::string>> deactivated_;
    struct Level {
        std::size_t words;  // how many words of path_ this level added
        bool inactive;
    };
    std::vector<std::string> path_;
    std::vector<Level> levels_;
    std::vector<std::string> cur_;
    std::vector<std::string> list_;
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
    auto& st = out_.statements;
    auto dead = [&](const JunosStatement& s) {
        return std::any_of(deactivated_.begin(), deactivated_.end(),
                           [&](const std::vector<std::string>& p) { return starts_with(s.words, p); });
    };
    auto keep = std::stable_partition(st.begin(), st.end(), [&](const JunosStatement& s) { return !dead(s); });
    out_.inactive += static_cast<std::size_t>(st.end() - keep);
    st.erase(keep, st.end());
    return std::move(out_);
}


void Reader::line(std::string_view raw, int number) {
    if (is_cli_frame(raw)) return;
    bool comment = in_comment_;
    auto toks = tokens(raw, in_comment_);
    if (toks.empty()) return;
    static const std::vector<std::string> verbs = {"set", "deactivate", "activate", "delete"};
    if (levels_.empty() && cur_.empty() && !comment &&
        std::find(verbs.begin(), verbs.end(), toks[0]) != verbs.end())
        return set_command(std::move(toks), number);
    for (auto& t : toks) token(std::move(t), number);
}

// One `display set` line (or a load-set command): brackets expand to one statement per item.
void Reader::set_command(std::vector<std::string> words, int number) {
    auto verb = words[0];
    words.erase(words.begin());
    auto open = std::find(words.begin(), words.end(), "[");
    if (open != words.end()) {
        auto close = std::find(open, words.end(), "]");
        std::vector<std::string> items(open + 1, close);
        std::vector<std::string> tail(close == words.end() ? close : close + 1, words.end());
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

void Reader::set_command_words(const std::string& verb, std::vector<std::string> words, int number) {
    if (words.empty()) return out_.problems.push_back({number, verb + " without a statement"});
    if (verb == "set") return out_.statements.push_back({number, std::move(words)});
    if (verb == "deactivate") return deactivated_.push_back(std::move(words));
    if (verb == "activate") {
        std::erase(deactivated_, words);
        return;
    }
    std::erase_if(out_.statements, [&](const JunosStatement& s) { return starts_with(s.words, words); });
}

void Reader::token(std::string tok, int number) {
    if (in_list_) {
        if (tok == "]") in_list_ = false;
        else list_.push_back(std::move(tok));
        return;
    }
    if (tok == "[") {
        in_list_ = has_list_ = true;
        list_at_ = cur_.size();
        list_.clear();
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
    cur_.push_back(std::move(tok));
}

// A leaf statement: path + words (once per item of a [ list ]).
void Reader::emit(int) {
    bool inactive = cur_inactive_ || (!levels_.empty() && levels_.back().inactive);
    // path + cur_, with `item` inserted at list_at_ for a [ list ] (built in place: this runs
    // once per statement of the config).
    auto leaf = [&](const std::string* item) {
        if (cur_.empty() && !item) return;
        if (inactive) return void(++out_.inactive);
        std::vector<std::string> words;
        words.reserve(path_.size() + cur_.size() + 1);
        words.insert(words.end(), path_.begin(), path_.end());
        const std::size_t at = std::min(list_at_, cur_.size());
        if (!item) {
            words.insert(words.end(), cur_.begin(), cur_.end());
        } else {
            words.insert(words.end(), cur_.begin(), cur_.begin() + static_cast<std::ptrdiff_t>(at));
            words.push_back(*item);
            words.insert(words.end(), cur_.begin() + static_cast<std::ptrdiff_t>(at), cur_.end());
        }
        out_.statements.push_back({cur_line_, std::move(words)});
    };
    if (!has_list_) {
        leaf(nullptr);
    } else {
        for (const auto& item : list_) leaf(&item);
    }
    cur_.clear();
    list_.clear();
    cur_inactive_ = has_list_ = false;
}

}  // namespace

JunosStatements junos_statements(std::string_view text) { return Reader().run(text); }

}  // namespace microseg
