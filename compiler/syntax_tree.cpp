#include "compiler/syntax_tree.hpp"

#include <algorithm>
#include <istream>
#include <streambuf>
#include <unordered_map>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "compiler/diagnostic_kinds.hpp"

namespace microseg::syntax {

std::string_view to_string(NodeKind k) {
    switch (k) {
        case NodeKind::null: return "nothing";
        case NodeKind::scalar: return "a scalar";
        case NodeKind::sequence: return "a list";
        case NodeKind::map: return "a map";
    }
    return "nothing";
}

const Node* Tree::find(const Node& map, std::string_view k) const {
    for (std::size_t i = 0; i < map_size(map); ++i)
        if (key(map, i).text == k) return &value(map, i);
    return nullptr;
}

namespace {

// yaml-cpp's event handler cannot tell the parser to stop; throwing this from a callback is
// the only way to abandon a hostile document early. It never leaves parse_yaml.
struct ParseAbort {
    Diagnostic diagnostic;
};

class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(Tree& tree, Diagnostics& diags, std::size_t& budget)
        : tree_(tree), diags_(diags), budget_(budget) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { add(NodeKind::null, m, a, {}, false); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
        abort(m, kinds::anchor_alias, "aliases (*name) are not allowed in a policy: write the value out");
    }
    void OnAnchor(const YAML::Mark& m, const std::string& name) override {
        abort(m, kinds::anchor_alias, fmt::format("anchors (&{}) are not allowed in a policy", name));
    }
    void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                  const std::string& value) override {
        // yaml-cpp tags a quoted scalar "!" and a plain one "?".
        add(NodeKind::scalar, m, a, value, tag == "!");
    }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                         YAML::EmitterStyle::value) override {
        open_.push_back(add(NodeKind::sequence, m, a, {}, false));
    }
    void OnSequenceEnd() override { open_.pop_back(); }
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                    YAML::EmitterStyle::value) override {
        open_.push_back(add(NodeKind::map, m, a, {}, false));
    }
    void OnMapEnd() override {
        check_keys(open_.back());
        open_.pop_back();
    }

private:
    [[noreturn]] void abort(const YAML::Mark& m, const DiagnosticKind& kind, std::string message) {
        throw ParseAbort{make_error(std::move(message), {tree_.file, m.line + 1, m.column + 1}, kind)};
    }

    NodeId add(NodeKind kind, const YAML::Mark& m, YAML::anchor_t anchor, const std::string& text,
               bool quoted) {
        if (anchor != 0) abort(m, kinds::anchor_alias, "anchors (&name) are not allowed in a policy");
        if (open_.size() >= static_cast<std::size_t>(kMaxDepth))
            abort(m, kinds::nesting_too_deep, fmt::format("nesting too deep: more than {} levels", kMaxDepth));
        if (budget_ == 0)
            abort(m, kinds::too_many_nodes, fmt::format("policy too large: more than {} YAML nodes", kMaxNodes));
        --budget_;
        auto id = static_cast<NodeId>(tree_.nodes.size());
        tree_.nodes.push_back(Node{kind, quoted, m.line + 1, m.column + 1, text, {}});
        if (!open_.empty()) tree_.nodes[open_.back()].children.push_back(id);
        return id;
    }

    void check_keys(NodeId map_id) {
        const Node& map = tree_.nodes[map_id];
        const std::size_t n = tree_.map_size(map);
        for (std::size_t i = 0; i < n; ++i) {
            const Node& k = tree_.key(map, i);
            if (k.kind != NodeKind::scalar)
                diags_.error(tree_.location(k), kinds::bad_key,
                             fmt::format("a map key must be a name, not {}", to_string(k.kind)));
        }
        // Small maps (almost all of them) compare pairwise; big ones (port maps) use a hash.
        if (n <= 16) {
            for (std::size_t i = 1; i < n; ++i)
                for (std::size_t j = 0; j < i; ++j)
                    if (same_key(tree_.key(map, i), tree_.key(map, j))) {
                        duplicate(tree_.key(map, i), tree_.key(map, j));
                        break;
                    }
            return;
        }
        std::unordered_map<std::string_view, std::size_t> seen;
        seen.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const Node& k = tree_.key(map, i);
            if (k.kind != NodeKind::scalar) continue;
            auto [it, fresh] = seen.emplace(k.text, i);
            if (!fresh) duplicate(k, tree_.key(map, it->second));
        }
    }

    static bool same_key(const Node& a, const Node& b) {
        return a.kind == NodeKind::scalar && b.kind == NodeKind::scalar && a.text == b.text;
    }

    void duplicate(const Node& again, const Node& first) {
        diags_.error(tree_.location(again), kinds::duplicate_key,
                     fmt::format("duplicate key '{}': first given at {}:{}:{}", again.text,
                                 tree_.file, first.line, first.column));
    }

    Tree& tree_;
    Diagnostics& diags_;
    std::size_t& budget_;
    std::vector<NodeId> open_;
};

// A read-only stream over text that stays alive: yaml-cpp reads an istream, and copying a
// policy of megabytes into a stringstream first is not needed.
struct ViewBuffer : std::streambuf {
    explicit ViewBuffer(std::string_view text) {
        char* begin = const_cast<char*>(text.data());  // get area only: never written through
        setg(begin, begin, begin + text.size());
    }
};

// Stops at the start of a second document: its content does not matter, only that it exists.
class SecondDocument : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& m) override { throw m; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

SourceLocation mark_location(const std::string& file, const YAML::Mark& m) {
    if (m.is_null() || m.line < 0) return {file, 1, 1};
    return {file, m.line + 1, m.column + 1};
}

void report_second_document(YAML::Parser& parser, const std::string& file, Diagnostics& diags) {
    // Called at most once: on some inputs (",") yaml-cpp yields empty documents forever
    // (yaml-cpp #1040), so never loop over HandleNextDocument.
    SecondDocument probe;
    try {
        parser.HandleNextDocument(probe);
    } catch (const YAML::Mark& m) {
        diags.error(mark_location(file, m), kinds::multiple_documents,
                    "a policy file holds one YAML document; a second one starts here");
    } catch (const YAML::Exception& e) {
        diags.error(mark_location(file, e.mark), kinds::yaml_syntax, fmt::format("YAML syntax error: {}", e.msg));
    }
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is invalid (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return 0;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

}  // namespace

bool check_text_bytes(std::string_view text, const std::string& file, Diagnostics& diags) {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = utf8_length(text, i);
        bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        if (len == 0 || control || c == 0x7F) {
            std::string what = c == 0 ? "a NUL byte" : len == 0 ? "invalid UTF-8" : "a control character";
            diags.error({file, line, column}, kinds::binary_input,
                        fmt::format("{} (byte 0x{:02X}): a policy is UTF-8 text", what, c));
            return false;
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
    return true;
}

Tree parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                std::size_t& node_budget) {
    Tree tree;
    tree.file = file;
    if (!check_text_bytes(text, file, diags)) {
        tree.failed = true;
        return tree;
    }
    ViewBuffer buffer(text);
    std::istream in(&buffer);
    // A policy of a health system is about a million nodes: grown by doubling, moving them was
    // a tenth of loading it. Every node but the root follows one of these characters (a ':'
    // stands for a key and its value); pages reserved but never used cost nothing.
    const auto markers = static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return c == ':' || c == '-' || c == ',' || c == '[' || c == '{';
    }));
    tree.nodes.reserve(std::min(node_budget, 2 * markers) + 1);
    YAML::Parser parser(in);
    TreeBuilder builder(tree, diags, node_budget);
    try {
        if (!parser.HandleNextDocument(builder)) return tree;
    } catch (const ParseAbort& abort) {
        diags.add(abort.diagnostic);
        tree.nodes.clear();
        tree.failed = true;
        return tree;
    } catch (const YAML::DeepRecursion& e) {
        diags.error(mark_location(file, e.mark), kinds::nesting_too_deep, "nesting too deep");
        tree.nodes.clear();
        tree.failed = true;
        return tree;
    } catch (const YAML::Exception& e) {
        diags.error(mark_location(file, e.mark), kinds::yaml_syntax, fmt::format("YAML syntax error: {}", e.msg));
        tree.nodes.clear();
        tree.failed = true;
        return tree;
    }
    report_second_document(parser, file, diags);
    return tree;
}

}  // namespace microseg::syntax
