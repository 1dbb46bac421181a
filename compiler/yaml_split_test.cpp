// Reading a document in pieces on several threads gives exactly the tree (node for node, marks
// included), the diagnostics and the remaining node budget of reading it whole.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "bench/synthetic_network.hpp"
#include "compiler/syntax_tree.hpp"
#include "compiler/yaml_split.hpp"

using namespace microseg;
using namespace microseg::syntax;
namespace fs = std::filesystem;

namespace {

struct Reading {
    Tree tree;
    Diagnostics diags;
    std::size_t budget_left = 0;
    std::size_t pieces = 0;
};

Reading read(std::string_view text, ParallelParse how, std::size_t budget) {
    Reading r;
    how.pieces_read = &r.pieces;
    r.tree = parse_yaml(text, "doc.yaml", r.diags, budget, how);
    r.budget_left = budget;
    return r;
}

bool same_node(const Node& a, const Node& b) {
    return a.kind == b.kind && a.quoted == b.quoted && a.line == b.line && a.column == b.column &&
           a.text == b.text && a.children == b.children;
}

bool same_diagnostic(const Diagnostic& a, const Diagnostic& b) {
    return a.severity == b.severity && a.location.file == b.location.file && a.location.line == b.location.line &&
           a.location.column == b.location.column && a.message == b.message && a.kind == b.kind;
}

// Reads `text` whole and in pieces of about `piece_bytes`, requires the same result and returns
// how many pieces the split reading joined (0: it read the text whole).
std::size_t check_same(std::string_view text, std::size_t piece_bytes, std::size_t budget = kMaxNodes) {
    INFO("document: ", std::string(text.substr(0, 3000)));
    INFO("piece bytes: ", piece_bytes);
    const Reading whole = read(text, {.threads = 1}, budget);
    const Reading split = read(text, {.min_document_bytes = 0, .piece_bytes = piece_bytes, .threads = 2}, budget);
    CHECK(whole.pieces == 0);
    CHECK(split.tree.failed == whole.tree.failed);
    CHECK(split.budget_left == whole.budget_left);
    REQUIRE(split.tree.nodes.size() == whole.tree.nodes.size());
    for (std::size_t i = 0; i < whole.tree.nodes.size(); ++i) {
        INFO("node ", i, " at ", whole.tree.nodes[i].line, ":", whole.tree.nodes[i].column);
        REQUIRE(same_node(split.tree.nodes[i], whole.tree.nodes[i]));
    }
    REQUIRE(split.diags.items().size() == whole.diags.items().size());
    for (std::size_t i = 0; i < whole.diags.items().size(); ++i) {
        INFO("diagnostic: ", whole.diags.items()[i].message);
        REQUIRE(same_diagnostic(split.diags.items()[i], whole.diags.items()[i]));
    }
    return split.pieces;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every policy-like file of the repository: examples, test fixtures, regression inputs.
std::vector<fs::path> repository_inputs() {
    std::vector<fs::path> paths;
    for (const char* folder : {"examples", "tests", "fuzz"}) {
        const fs::path root = fs::path(MICROSEG_SOURCE_DIR) / folder;
        if (!fs::exists(root)) continue;
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            if (!e.is_regular_file()) continue;
            const bool regression = e.path().string().find("/regressions/") != std::string::npos;
            if (e.path().extension() == ".yaml" || e.path().extension() == ".yml" || regression)
                paths.push_back(e.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

// Constructs that span lines, at column 0 and at the indentation of the cut collections.
const char* const kBaseDocument =
    "# a comment at column 0\n"
    "version: 1\n"
    "name: \"multi\n"
    "  line quoted\"\n"
    "plain: a plain\n"
    "  scalar over lines\n"
    "block: |\n"
    "  literal text\n"
    "   more\n"
    "\n"
    "folded: >-\n"
    "  folded\n"
    "  text\n"
    "keep: |+\n"
    "  kept\n"
    "\n"
    "\n"
    "classes:\n"
    "  a: {vlan: 100, subnets: [10.0.0.0/24],\n"
    "      devices: 3}\n"
    "  b: {vlan: 101}\n"
    "  # a comment inside\n"
    "  'quoted key': 1\n"
    "  c:\n"
    "    - x\n"
    "    - y\n"
    "  d: |\n"
    "    block in a cut map\n"
    "\n"
    "  e: 'single\n"
    "    quoted'\n"
    "flows:\n"
    "  - {from: a, to: b}\n"
    "  - from: b\n"
    "    to: a\n"
    "    reason: |\n"
    "      why\n"
    "# a comment between items\n"
    "  - [a, b,\n"
    "     c]\n"
    "  -\n"
    "    name: s2\n"
    "  - - nested\n"
    "    - seq\n"
    "switches:\n"
    "  - name: s1\n"
    "    ports:\n"
    "      Ethernet1: a\n"
    "      Ethernet2: \"b\"\n"
    "compact:\n"
    "- a\n"
    "- b\n"
    "empty:\n"
    "last: value\n";

// Documents the split must read whole or get right: each one a trap for a careless cut.
const std::vector<std::string> kTrickyDocuments = {
    "a: \"x\nb: y\"\nc: 1\n",                  // a quoted scalar over a key-like line
    "a: 'x\nb: y'\nc: 1\n",
    "a: [1,\nb: 2]\nc: 1\n",                   // a flow collection over a key-like line
    "a: {x: 1,\nb: 2}\nc: 1\n",
    "a: [1,\n  2]\nb: 2\n",
    "{a: 1}\nb: 2\n",                          // a flow root
    "- a\nb: c\n",                             // a sequence root
    "  a: 1\nb: 2\n",                          // an indented root
    "a: 1\n---\nb: 2\n",                       // two documents
    "---\na: 1\nb: 2\n",
    "%YAML 1.2\n---\na: 1\nb: 2\n",
    "a: 1\n...\nb: 2\n",
    "a: &x 1\nb: *x\n",                        // anchors and aliases across pieces
    "a: 1\nb: &x 2\n",
    "a: !t 1\nb: !!str 2\nc: ! 3\n",           // tags
    "a: 1\nb: 2\na: 3\n",                      // a duplicate top-level key
    "a:\n  - 1\n  - 2\nb:\n  x: 1\n  y: 2\n  x: 3\n",  // a duplicate in a cut map
    "a:\n  x: 1\n  x: 2\nb: 1\n",
    "a:\n  - 1\n -2\nb: 1\n",                  // less indented than the items
    "a:\n  - 1\n   - 2\n  - 3\nb: 1\n",
    "a:\n\t- 1\nb: 2\n",                       // tabs
    "a:\n  - 1\n\t- 2\nb: 2\n",
    "a: 1\n\tb: 2\nc: 3\n",
    "a: 1\r\nb:\r\n  - 2\r\n  - 3\r\nc: 4\r\n",  // CRLF
    "a: 1\rb: 2\nc: 3\n",                      // a lone CR
    "\xEF\xBB\xBF" "a: 1\nb:\n  - 2\n  - 3\n",   // a byte order mark
    "a: |\n  x\nb: 1\n",
    "a: |+\n  x\n\n\nb: 1\n",
    "a: >\n  x\n\n  y\n\nb: 1\n",
    "a:\n  - |\n    x\n\n  - >-\n    y\n\n\nb: 1\n",
    "a:\n  - |2\n     x\n  - y\nb: 1\n",
    "a: plain\n  more\nb: 1\n",
    "a:\n  - plain\n    more\n  - x\nb: 1\n",
    "a:\n  k: plain\n   more\n  j: x\nb: 1\n",
    "a:\n  - x\nb: 1\n  - y\n",
    "a:\n  - x\n- y\nb: 1\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  k: 1\nb: 1\n",
    "a:\n  k: 1\n  - x\nb: 1\n",
    "a:\n  k: 1\n  ? q\n  : 2\nb: 1\n",
    "? a\n: 1\nb: 2\n",
    "a: 1\n? b\n: 2\n",
    "a: 1\nb: 2 # c\nc:   \n  - 1\n  - 2 # x\n# end\n",
    "a: 1\nb\nc: 2\n",
    "a: 1\nb:c\nd: 2\n",
    "a: 1\n\"b\": 2\nc: 3\n",
    "a: 1\nb.c-d_e: 2\n0: 3\n",
    "a:\n  x: 1\n  y:\nb:\n",
    "a:\n  # only a comment\nb: 1\n",
    "a:\n\n  - 1\n\n  - 2\n\nb: 1\n",
    "a: 1\nb:\n  - 1\n  - 2",                  // no final newline
    "a: 1\nb:\n  - [1,\n  2]\n  - 3\n",
    "a: 1\nb:\n  - \"x\n  - y\"\n  - 3\n",
    "a: 1\nb: [\n",
    "a: 1\nb: \"\n",
    "a: 1\nb: ,\n",
    "a: 1\nb: 2\n,\n",
    "a: 1\nb:\n  - 1\n  - 2\nc: x: y\n",
    "a: 1\nb:\n  - 1\n  - 2: 3: 4\n",
    "a: 1\n<<: {b: 2}\n",
    "a: 1\n- b\n",
    "a: 1\nb: 2\n  c: 3\n",
};

std::string mutate(std::string text, std::mt19937& rng) {
    static const std::vector<std::string> tokens = {
        "\"", "'", "[", "]", "{", "}", ": ", "- ", "-", "#", "|", ">", "|+", ">-", "&a ", "*a", "!t ",
        "? ", "---\n", "...\n", "%YAML 1.2\n", "\t", "\r\n", "\r", "\n", "\xEF\xBB\xBF", " ", "  ",
        "key: v\n", "\nk:\n", "\n  - ", ",", "\\", "\"\n", "x:\n  y", "\n\n", "a: 1\n", "  a: 1\n", "0:"};
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    std::size_t at = pick(text.size() + 1);
    if (pick(2) == 0) {  // line starts are where cuts happen
        at = text.rfind('\n', at == 0 ? 0 : at - 1);
        at = at == std::string::npos ? 0 : at + 1;
    }
    switch (pick(5)) {
        case 0: return text.insert(at, tokens[pick(tokens.size())]);
        case 1: return text.erase(at, 1 + pick(20));
        case 2: {  // a line again: duplicate keys and items
            const std::size_t end = text.find('\n', at);
            if (end == std::string::npos) return text;
            return text.insert(end + 1, text.substr(at, end + 1 - at));
        }
        case 3: return text.insert(at, pick(2) == 0 ? " " : "  ");
        default: return at < text.size() && text[at] == ' ' ? text.erase(at, 1) : text;
    }
}

}  // namespace

TEST_CASE("every policy and regression input of the repository reads the same in pieces") {
    std::size_t files = 0;
    std::size_t split = 0;
    for (const fs::path& path : repository_inputs()) {
        INFO(path.string());
        const std::string text = read_file(path);
        ++files;
        for (std::size_t piece_bytes : {1, 64, 512, 4096})
            if (check_same(text, piece_bytes) > 1) ++split;
    }
    CHECK(files >= 30);
    CHECK(split >= files);  // most of them are cut, at most sizes
}

TEST_CASE("generated S and M policies read the same in pieces, and are cut") {
    for (const char* size : {"S", "M"}) {
        const std::string text = bench::generate_network(*bench::network_size(size), 1).front().text;
        for (std::size_t piece_bytes : {std::size_t{1}, std::size_t{1000}, text.size() / 5})
            CHECK(check_same(text, piece_bytes) > 1);
    }
}

// Large documents (the L network's policy) on demand: MICROSEG_YAML_SPLIT_FILES=a.yaml:b.yaml.
TEST_CASE("documents named in MICROSEG_YAML_SPLIT_FILES read the same in pieces") {
    const char* names = std::getenv("MICROSEG_YAML_SPLIT_FILES");
    std::string_view rest = names == nullptr ? "" : names;
    while (!rest.empty()) {
        const std::size_t colon = std::min(rest.find(':'), rest.size());
        const std::string text = read_file(std::string(rest.substr(0, colon)));
        rest.remove_prefix(std::min(colon + 1, rest.size()));
        for (std::size_t piece_bytes : {std::size_t{0}, std::size_t{4096}, std::size_t{1}}) {
            const std::size_t pieces = check_same(text, piece_bytes);
            MESSAGE(text.size(), " bytes, ", piece_bytes, " bytes a piece: ", pieces, " pieces");
            CHECK(pieces > 1);
        }
    }
}

TEST_CASE("tricky documents read the same in pieces") {
    std::size_t split = 0;
    for (const std::string& text : kTrickyDocuments)
        for (std::size_t piece_bytes : {1, 8})
            if (check_same(text, piece_bytes) > 1) ++split;
    CHECK(split >= 20);
    CHECK(check_same(kBaseDocument, 1) > 10);
    std::string crlf;
    for (char c : std::string(kBaseDocument)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(check_same(crlf, 1) > 10);
    CHECK(check_same("\xEF\xBB\xBF" + std::string(kBaseDocument), 1) > 10);
}

TEST_CASE("mutated documents read the same in pieces") {
    std::mt19937 rng(24);
    const std::vector<std::string> bases = {
        kBaseDocument, read_file(fs::path(MICROSEG_SOURCE_DIR) / "examples/clinic/policy.yaml"),
        bench::generate_network(*bench::network_size("S"), 7).front().text};
    std::size_t split = 0;
    std::size_t failed = 0;
    for (int round = 0; round < 6000; ++round) {
        std::string text = bases[static_cast<std::size_t>(round) % bases.size()];
        for (int m = 0, n = 1 + round % 3; m < n; ++m) text = mutate(std::move(text), rng);
        const std::size_t pieces = check_same(text, round % 4 == 0 ? 200 : 1);
        if (pieces > 1) ++split;
        Diagnostics diags;
        std::size_t budget = kMaxNodes;
        if (parse_yaml(text, "m.yaml", diags, budget, {.threads = 1}).failed) ++failed;
    }
    CHECK(split >= 1200);  // both outcomes are exercised often
    CHECK(failed >= 500);
}

TEST_CASE("node budget and nesting limits count as they do for the whole text") {
    const std::string text = "a: 1\nb:\n  - 1\n  - 2\n  - 3\nc:\n  x: [1, 2]\n";
    Diagnostics diags;
    std::size_t budget = kMaxNodes;
    const std::size_t nodes = parse_yaml(text, "b.yaml", diags, budget, {.threads = 1}).nodes.size();
    for (std::size_t budget_given : {nodes + 1, nodes, nodes - 1, std::size_t{3}})
        check_same(text, 1, budget_given);
    std::string deep = "a: 1\nb:\n  - ";
    for (int depth = 2; depth < kMaxDepth + 2; ++depth) {
        check_same(deep + "x\n  - y\nc: 1\n", 1);
        deep += "[";
    }
}

TEST_CASE("cuts fall only between top-level keys and between items of a bare key's collection") {
    const std::string text = "# head\na: 1\nb:\n  - x\n  - y:\n      z\n  - w\nc: {d: 1}\n";
    const std::vector<YamlPiece> pieces = split_yaml_document(text, 1);
    REQUIRE(pieces.size() == 6);
    CHECK(pieces[0].begin == 0);
    CHECK(pieces[1].first_line == 2);  // "b:", with a's piece before it
    CHECK(pieces[1].ends_with_bare_key);
    CHECK(pieces[2].kind == YamlPiece::Kind::items);
    CHECK(pieces[2].items_are_sequence);
    CHECK(pieces[2].indent == 2);
    CHECK(pieces[3].first_line == 4);
    CHECK(pieces[4].first_line == 6);
    CHECK(pieces[5].first_line == 7);
    CHECK(pieces.back().end == text.size());
    CHECK(split_yaml_document(text, 1000).empty());  // one piece is no split
    for (const char* uncut : {"---\na: 1\nb: 2\n", "a: 1\n\"b\": 2\n", "a: 1\n\tb: 2\n", "a: 1\rb: 2\n",
                              "- a\nb: 1\n", "  a: 1\nb: 2\n", "a: 1\n%TAG ! x\nb: 2\n"})
        CHECK(split_yaml_document(uncut, 1).empty());
}
