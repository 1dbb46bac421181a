// The registry of diagnostic kinds against the code: ids well formed and unique, every kind a
// source file reports registered for its folder, every registered kind reported somewhere, and
// no kind written as a literal in compiler/ (it names them through kinds::).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "compiler/diagnostic_kinds.hpp"

using namespace microseg;
namespace fs = std::filesystem;

namespace {

// The folders whose code builds Diagnostics (and may name a kind).
const std::vector<std::string> kFolders = {"model", "compiler", "emitters", "audit", "verify", "report", "cli", "importers", "traffic"};

bool kind_like(std::string_view s) {
    if (s.empty() || s.front() == '-' || s.back() == '-' || s.find("--") != s.npos) return false;
    if (s.front() < 'a' || s.front() > 'z') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

struct Token {
    enum Type { identifier, string, punct } type;
    std::string text;
};

// A C++ source as identifiers, string literals (contents, raw strings included) and punctuation;
// comments, character literals and numbers (with their ' separators) are dropped.
class Lexer {
public:
    explicit Lexer(std::string src) : s_(std::move(src)) {}

    std::vector<Token> run() {
        while (i_ < s_.size()) step();
        return std::move(out_);
    }

private:
    bool at(std::string_view p) const { return s_.compare(i_, p.size(), p) == 0; }
    static bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

    void step() {
        char c = s_[i_];
        if (at("//")) i_ = std::min(s_.find('\n', i_), s_.size());
        else if (at("/*")) i_ = std::min(s_.find("*/", i_ + 2), s_.size() - 2) + 2;
        else if (c == '"') out_.push_back({Token::string, quoted('"')});
        else if (c == '\'') quoted('\'');
        else if (std::isdigit(static_cast<unsigned char>(c))) skip_number();
        else if (ident_char(c)) identifier();
        else if (!std::isspace(static_cast<unsigned char>(c))) out_.push_back({Token::punct, std::string(1, s_[i_++])});
        else ++i_;
    }

    std::string quoted(char q) {
        std::string text;
        for (++i_; i_ < s_.size() && s_[i_] != q; ++i_) {
            if (s_[i_] == '\\') text += s_[i_++];
            text += s_[i_];
        }
        ++i_;
        return text;
    }

    void skip_number() {
        while (i_ < s_.size() && (ident_char(s_[i_]) || s_[i_] == '.' || s_[i_] == '\'')) ++i_;
    }

    void identifier() {
        auto start = i_;
        while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
        std::string word = s_.substr(start, i_ - start);
        if (word.back() == 'R' && i_ < s_.size() && s_[i_] == '"') return raw_string();
        if (i_ < s_.size() && s_[i_] == '"' && (word == "u8" || word == "u" || word == "U" || word == "L")) return;
        out_.push_back({Token::identifier, std::move(word)});
    }

    // R"delim( ... )delim"
    void raw_string() {
        auto open = s_.find('(', i_);
        std::string close = ")" + s_.substr(i_ + 1, open - i_ - 1) + "\"";
        auto end = s_.find(close, open);
        out_.push_back({Token::string, s_.substr(open + 1, end - open - 1)});
        i_ = end + close.size();
    }

    std::string s_;
    std::size_t i_ = 0;
    std::vector<Token> out_;
};

// What one folder's sources say about kinds.
struct FolderKinds {
    std::map<std::string, std::set<std::string>> literals;  // kind passed as a literal -> files
    std::set<std::string> constants;                         // ids of the kinds:: constants named
    std::set<std::string> strings;                           // every string literal
};

// The argument list of the call whose '(' is at `open`, split at its top-level commas.
std::vector<std::vector<Token>> call_arguments(const std::vector<Token>& t, std::size_t open) {
    std::vector<std::vector<Token>> args(1);
    int depth = 0;
    for (std::size_t k = open; k < t.size(); ++k) {
        bool is_punct = t[k].type == Token::punct;
        if (is_punct && (t[k].text == "(" || t[k].text == "[" || t[k].text == "{") && depth++ == 0) continue;
        if (is_punct && (t[k].text == ")" || t[k].text == "]" || t[k].text == "}") && --depth == 0) break;
        if (is_punct && depth == 1 && t[k].text == ",") args.emplace_back();
        else args.back().push_back(t[k]);
    }
    return args;
}

// make_error(message, where, kind); Diagnostics::error/warning/note(where, kind, message), and
// the wrappers of the same shape (Reader::error, the YAML reader's abort).
void collect(const std::string& file, const std::vector<Token>& t, FolderKinds& out) {
    static const std::map<std::string, std::size_t> kind_argument = {
        {"make_error", 2}, {"error", 1}, {"warning", 1}, {"note", 1}, {"abort", 1}};
    for (std::size_t k = 0; k < t.size(); ++k) {
        if (t[k].type == Token::string) out.strings.insert(t[k].text);
        if (t[k].type != Token::identifier) continue;
        if (t[k].text == "kinds" && k + 3 < t.size() && t[k + 1].text == ":" && t[k + 2].text == ":") {
            std::string id = t[k + 3].text;
            std::replace(id.begin(), id.end(), '_', '-');
            out.constants.insert(id);
        }
        auto call = kind_argument.find(t[k].text);
        if (call == kind_argument.end() || k + 1 >= t.size() || t[k + 1].text != "(") continue;
        auto args = call_arguments(t, k + 1);
        if (args.size() <= call->second || args[call->second].size() != 1) continue;
        const Token& kind = args[call->second].front();
        if (kind.type != Token::string || !kind_like(kind.text)) continue;
        out.literals[kind.text].insert(file);
    }
}

bool scanned(const fs::path& p) {
    auto name = p.filename().string();
    if (name.ends_with("_test.cpp") || name.starts_with("diagnostic_kinds.")) return false;
    return p.extension() == ".cpp" || p.extension() == ".hpp";
}

FolderKinds scan_folder(const std::string& folder) {
    FolderKinds out;
    fs::path root = fs::path(MICROSEG_SOURCE_DIR) / folder;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file() || !scanned(e.path())) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        collect(fs::relative(e.path(), MICROSEG_SOURCE_DIR).string(), Lexer(text.str()).run(), out);
    }
    return out;
}

const std::map<std::string, FolderKinds>& sources() {
    static const auto all = [] {
        std::map<std::string, FolderKinds> m;
        for (const auto& f : kFolders) m[f] = scan_folder(f);
        return m;
    }();
    return all;
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

}  // namespace

TEST_CASE("diagnostic kinds: ids well formed, unique and sorted; each described once, on one line") {
    auto all = diagnostic_kinds();
    REQUIRE(all.size() >= 40);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& k = all[i];
        CAPTURE(k.id);
        CHECK(kind_like(k.id));
        if (i > 0) CHECK(all[i - 1].id < k.id);  // sorted, so no id twice
        CHECK(!k.description.empty());
        CHECK(k.description.find('\n') == std::string_view::npos);
        REQUIRE(!words(k.reported_in).empty());
        for (const auto& folder : words(k.reported_in))
            CHECK_MESSAGE(std::count(kFolders.begin(), kFolders.end(), folder) == 1, folder);
        CHECK(find_diagnostic_kind(k.id) == &k);
    }
    CHECK(find_diagnostic_kind("no-such-kind") == nullptr);
    CHECK(std::string(kinds::unknown_key) == "unknown-key");
}

TEST_CASE("diagnostic kinds: every kind a source file reports is registered for its folder") {
    for (const auto& folder_kinds : sources()) {
        const std::string& folder = folder_kinds.first;
        for (const auto& literal : folder_kinds.second.literals) {
            const std::string& id = literal.first;
            const std::string& file = *literal.second.begin();
            CAPTURE(file);
            CAPTURE(id);
            const DiagnosticKind* k = find_diagnostic_kind(id);
            if (!k) {
                FAIL_CHECK("not registered: add it to compiler/diagnostic_kinds.hpp");
                continue;
            }
            auto in = words(k->reported_in);
            CHECK_MESSAGE(std::count(in.begin(), in.end(), folder) == 1, "add the folder to its reported_in");
        }
    }
}

TEST_CASE("diagnostic kinds: compiler code names every kind through kinds::, never a literal") {
    const auto& compiler = sources().at("compiler");
    for (const auto& [id, files] : compiler.literals)
        FAIL_CHECK(fmt::format("{}: the kind \"{}\" is a literal; name it kinds::", *files.begin(), id));
    // Not even in a form the call scan cannot see (a ternary, a variable): no literal of compiler/
    // spells a registered id.
    for (const auto& s : compiler.strings) CHECK_MESSAGE(find_diagnostic_kind(s) == nullptr, s);
    for (const auto& id : compiler.constants) CHECK_MESSAGE(find_diagnostic_kind(id), id);
}

TEST_CASE("diagnostic kinds: each registered kind is reported in every folder it names") {
    for (const auto& k : diagnostic_kinds()) {
        for (const auto& folder : words(k.reported_in)) {
            const auto& found = sources().at(folder);
            std::string id(k.id);
            CHECK_MESSAGE(found.literals.count(id) + found.constants.count(id) > 0,
                          fmt::format("{} is registered for {}/ but nothing there reports it", k.id, folder));
        }
    }
}

TEST_CASE("diagnostic kinds: the broken examples report registered kinds only") {
    for (const auto& e : fs::directory_iterator(fs::path(MICROSEG_SOURCE_DIR) / "examples/broken")) {
        if (e.path().extension() != ".yaml") continue;
        auto result = compile_policy_file(e.path().string());
        for (const auto& d : result.diagnostics.items())
            CHECK_MESSAGE(find_diagnostic_kind(d.kind), fmt::format("{}: [{}]", e.path().string(), d.kind));
    }
}
