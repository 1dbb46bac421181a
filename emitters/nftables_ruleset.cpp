// Sources: nft(8) (nftables 1.0.6, Debian 12) "INPUT FILE FORMATS" and "TABLES": `nft -f` is
// one atomic transaction; `add table` / `table` create a table if missing; `create table` fails
// when it exists; `delete table` fails when it is missing, `destroy table` (1.0.8+) does not;
// the family defaults to ip. The error text is the one nft prints for a missing object
// ("Error: Could not process rule: No such file or directory"), as in the nftables wiki's
// "Atomic rule replacement" page, which also shows the declare/delete/declare idiom.
#include "emitters/nftables_ruleset.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace microseg {
namespace {

constexpr std::array<std::string_view, 6> kFamilies = {"ip", "ip6", "inet", "arp", "bridge", "netdev"};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (is_blank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (is_blank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// `line` without a `#` comment (outside quoted strings); `had_comment` says whether it had one.
std::string_view without_comment(std::string_view line, bool& had_comment) {
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && quoted) ++i;
        else if (line[i] == '"') quoted = !quoted;
        else if (line[i] == '#' && !quoted) {
            had_comment = true;
            return line.substr(0, i);
        }
    }
    had_comment = false;
    return line;
}

std::vector<std::string> words_of(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (is_blank(s[i]) || s[i] == '\n')) ++i;
        std::size_t start = i;
        while (i < s.size() && !is_blank(s[i]) && s[i] != '\n') ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

// One top-level statement of a file: its words before any block, and the block's lines.
struct Statement {
    std::vector<std::string> words;
    std::optional<std::vector<std::string>> block;
    std::string text;  // as written, for errors
};

// The lines of a block's inside, comments dropped; an empty first or last piece (the rest of
// the header line, the start of the closing line) is not a line of its own.
std::vector<std::string> block_lines(std::string_view inside) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= inside.size();) {
        std::size_t end = std::min(inside.size(), inside.find('\n', start));
        bool had_comment = false;
        std::string_view line = without_comment(inside.substr(start, end - start), had_comment);
        start = end + 1;
        if (trimmed(line).empty()) {
            if (!had_comment) out.emplace_back();  // a blank line, as nft prints between chains
            continue;
        }
        if (had_comment)
            while (is_blank(line.back())) line.remove_suffix(1);
        out.emplace_back(line);
    }
    if (!out.empty() && out.front().empty()) out.erase(out.begin());
    if (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

class StatementReader {
public:
    explicit StatementReader(std::string_view text) : text_(text) {}
    // The next statement; nullopt at the end. A block without its closing brace is an error.
    std::optional<Statement> next(std::optional<std::string>& error) {
        skip_separators();
        if (pos_ >= text_.size()) return std::nullopt;
        const std::size_t start = pos_;
        Statement s;
        std::size_t head_end = pos_;
        while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != ';' && text_[pos_] != '{' &&
               text_[pos_] != '#')
            ++pos_;
        head_end = pos_;
        s.words = words_of(text_.substr(start, head_end - start));
        if (pos_ < text_.size() && text_[pos_] == '{') {
            auto close = matching_brace(pos_);
            if (!close) {
                error = fmt::format("Error: syntax error, unexpected end of file\n{}", trimmed(text_.substr(start, 80)));
                return std::nullopt;
            }
            s.block = block_lines(text_.substr(pos_ + 1, *close - pos_ - 1));
            pos_ = *close + 1;
        }
        s.text = std::string(trimmed(text_.substr(start, (s.block ? pos_ : head_end) - start)));
        return s;
    }

private:
    void skip_separators() {
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (is_blank(c) || c == '\n' || c == ';') ++pos_;
            else if (c == '#') pos_ = std::min(text_.size(), text_.find('\n', pos_));
            else break;
        }
    }
    std::optional<std::size_t> matching_brace(std::size_t open) const {
        int depth = 0;
        bool quoted = false;
        for (std::size_t i = open; i < text_.size(); ++i) {
            char c = text_[i];
            if (quoted) {
                if (c == '\\') ++i;
                else if (c == '"') quoted = false;
            } else if (c == '"') quoted = true;
            else if (c == '#') i = std::min(text_.size(), text_.find('\n', i)) - 1;
            else if (c == '{') ++depth;
            else if (c == '}' && --depth == 0) return i;
        }
        return std::nullopt;
    }
    std::string_view text_;
    std::size_t pos_ = 0;
};

struct TableName {
    std::string family, name;
};

// The family and name after `table` (words from `first`): `table N` is family ip.
std::optional<TableName> table_name(const std::vector<std::string>& w, std::size_t first) {
    if (w.size() == first + 1) return TableName{"ip", w[first]};
    if (w.size() != first + 2) return std::nullopt;
    if (std::find(kFamilies.begin(), kFamilies.end(), w[first]) == kFamilies.end()) return std::nullopt;
    return TableName{w[first], w[first + 1]};
}

}  // namespace

std::string NftTable::text() const {
    std::string out = header + "\n";
    for (const auto& l : body) out += l + "\n";
    return out + "}";
}

std::vector<std::string> NftTable::normalised_body() const {
    std::vector<std::string> out;
    for (const auto& l : body) {
        auto w = words_of(l);
        if (!w.empty()) out.push_back(fmt::format("{}", fmt::join(w, " ")));
    }
    return out;
}

const NftTable* NftRuleset::find(std::string_view family, std::string_view name) const {
    auto it = std::find_if(tables_.begin(), tables_.end(),
                           [&](const NftTable& t) { return t.family == family && t.name == name; });
    return it == tables_.end() ? nullptr : &*it;
}

std::string NftRuleset::print() const {
    std::string out;
    for (const auto& t : tables_) out += t.text() + "\n";
    return out;
}

namespace {

std::string refused(const Statement& s, std::string_view why) { return fmt::format("Error: {}\n{}", why, s.text); }

// One statement on `tables`; an error leaves the transaction to be dropped by the caller.
std::optional<std::string> execute(std::vector<NftTable>& tables, const Statement& s) {
    const auto& w = s.words;
    auto find = [&](const TableName& n) {
        return std::find_if(tables.begin(), tables.end(),
                            [&](const NftTable& t) { return t.family == n.family && t.name == n.name; });
    };
    if (w.size() == 2 && w[0] == "flush" && w[1] == "ruleset" && !s.block) {
        tables.clear();
        return std::nullopt;
    }
    const bool declare = !w.empty() && w[0] == "table";
    const bool add = w.size() > 1 && (w[0] == "add" || w[0] == "create") && w[1] == "table";
    const bool remove = w.size() > 1 && (w[0] == "delete" || w[0] == "destroy") && w[1] == "table";
    if (!declare && !add && !remove)
        return refused(s, "the simulated router models table statements and `flush ruleset` only");
    auto name = table_name(w, declare ? 1 : 2);
    if (!name) return refused(s, "syntax error, unexpected table name");
    auto it = find(*name);
    if (remove) {
        if (s.block) return refused(s, "syntax error, unexpected '{'");
        if (it != tables.end()) tables.erase(it);
        else if (w[0] == "delete") return refused(s, "Could not process rule: No such file or directory");
        return std::nullopt;
    }
    if (it != tables.end() && w[0] == "create") return refused(s, "Could not process rule: File exists");
    if (it == tables.end()) {
        tables.push_back({name->family, name->name, fmt::format("table {} {} {{", name->family, name->name), {}});
        it = std::prev(tables.end());
    }
    // Adding to a table that has rules appends the new lines: the parser reads a chain block
    // given twice as one chain, as nft does (nft itself would print them merged).
    if (s.block) it->body.insert(it->body.end(), s.block->begin(), s.block->end());
    return std::nullopt;
}

}  // namespace

std::optional<std::string> NftRuleset::apply(std::string_view file) {
    std::vector<NftTable> next = tables_;  // the transaction: all of it or nothing
    StatementReader reader(file);
    std::optional<std::string> error;
    while (auto s = reader.next(error))
        if (auto refused = execute(next, *s)) return refused;
    if (error) return error;
    tables_ = std::move(next);
    return std::nullopt;
}

std::optional<NftRuleset> read_nft_ruleset(std::string_view text) {
    NftRuleset r;
    if (r.apply(text)) return std::nullopt;
    return r;
}

const std::vector<std::string>& microseg_table_families() {
    static const std::vector<std::string> families = {"inet", "bridge"};
    return families;
}

}  // namespace microseg
