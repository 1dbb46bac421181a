#include "compiler/syntax_tree.hpp"

#include <algorithm>
#include <istream>
#include <optional>
#include <streambuf>
#include <thread>
#include <unordered_map>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "compiler/diagnostic_kinds.hpp"
#include "compiler/yaml_split.hpp"
#include "model/every_core.hpp"

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

void report_duplicate(const Tree& tree, const Node& again, const Node& first, Diagnostics& diags) {
    diags.error(tree.location(again), kinds::duplicate_key,
                fmt::format("duplicate key '{}': first given at {}:{}:{}", again.text, tree.file,
                            first.line, first.column));
}

bool same_key(const Node& a, const Node& b) {
    return a.kind == NodeKind::scalar && b.kind == NodeKind::scalar && a.text == b.text;
}

// Keys that are not names, and keys given twice, in the map `map_id` (complete by now).
void check_keys(const Tree& tree, NodeId map_id, Diagnostics& diags) {
    const Node& map = tree.nodes[map_id];
    const std::size_t n = tree.map_size(map);
    for (std::size_t i = 0; i < n; ++i) {
        const Node& k = tree.key(map, i);
        if (k.kind != NodeKind::scalar)
            diags.error(tree.location(k), kinds::bad_key,
                        fmt::format("a map key must be a name, not {}", to_string(k.kind)));
    }
    // Small maps (almost all of them) compare pairwise; big ones (port maps) use a hash.
    if (n <= 16) {
        for (std::size_t i = 1; i < n; ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (same_key(tree.key(map, i), tree.key(map, j))) {
                    report_duplicate(tree, tree.key(map, i), tree.key(map, j), diags);
                    break;
                }
        return;
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Node& k = tree.key(map, i);
        if (k.kind != NodeKind::scalar) continue;
        auto [it, fresh] = seen.emplace(k.text, i);
        if (!fresh) report_duplicate(tree, k, tree.key(map, it->second), diags);
    }
}

class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(Tree& tree, Diagnostics& diags, std::size_t& budget) : tree_(tree), diags_(diags), budget_(budget) {}

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
                         YAML::EmitterStyle::value style) override {
        note_root_style(style);
        open_.push_back(add(NodeKind::sequence, m, a, {}, false));
    }
    void OnSequenceEnd() override { open_.pop_back(); }
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                    YAML::EmitterStyle::value style) override {
        note_root_style(style);
        open_.push_back(add(NodeKind::map, m, a, {}, false));
    }
    void OnMapEnd() override {
        check_keys(tree_, open_.back(), diags_);
        open_.pop_back();
    }

    bool root_is_block() const { return root_is_block_; }

private:
    [[noreturn]] void abort(const YAML::Mark& m, const DiagnosticKind& kind, std::string message) {
        throw ParseAbort{make_error(std::move(message), {tree_.file, m.line + 1, m.column + 1}, kind)};
    }

    void note_root_style(YAML::EmitterStyle::value style) {
        if (tree_.nodes.empty()) root_is_block_ = style == YAML::EmitterStyle::Block;
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

    Tree& tree_;
    Diagnostics& diags_;
    std::size_t& budget_;
    std::vector<NodeId> open_;
    bool root_is_block_ = false;
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

namespace {

// A policy of a health system is about a million nodes: grown by doubling, moving them was
// a tenth of loading it. Every node but the root follows one of these characters (a ':'
// stands for a key and its value); pages reserved but never used cost nothing.
void reserve_nodes(Tree& tree, std::string_view text, std::size_t node_budget) {
    const auto markers = static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return c == ':' || c == '-' || c == ',' || c == '[' || c == '{';
    }));
    tree.nodes.reserve(std::min(node_budget, 2 * markers) + 1);
}

void parse_whole(std::string_view text, Tree& tree, Diagnostics& diags, std::size_t& node_budget) {
    const std::string& file = tree.file;
    ViewBuffer buffer(text);
    std::istream in(&buffer);
    reserve_nodes(tree, text, node_budget);
    YAML::Parser parser(in);
    TreeBuilder builder(tree, diags, node_budget);
    try {
        if (!parser.HandleNextDocument(builder)) return;
    } catch (const ParseAbort& abort) {
        diags.add(abort.diagnostic);
        tree.nodes.clear();
        tree.failed = true;
        return;
    } catch (const YAML::DeepRecursion& e) {
        diags.error(mark_location(file, e.mark), kinds::nesting_too_deep, "nesting too deep");
        tree.nodes.clear();
        tree.failed = true;
        return;
    } catch (const YAML::Exception& e) {
        diags.error(mark_location(file, e.mark), kinds::yaml_syntax, fmt::format("YAML syntax error: {}", e.msg));
        tree.nodes.clear();
        tree.failed = true;
        return;
    }
    report_second_document(parser, file, diags);
}

// One piece's tree, lines counted from the start of the text yaml-cpp read for it; `clean` when
// it read without any report and has the shape its place in the document requires.
struct PieceTree {
    Tree tree;
    bool clean = false;
};

// Where the stub that proves a cut goes: the next piece's first line is a top-level key, or the
// next item of the same collection.
enum class Stub : unsigned char { none, top_level, item };

Stub stub_after(const std::vector<YamlPiece>& pieces, std::size_t i) {
    if (i + 1 == pieces.size() || pieces[i].ends_with_bare_key) return Stub::none;
    return pieces[i + 1].kind == YamlPiece::Kind::top ? Stub::top_level : Stub::item;
}

bool items_piece(const YamlPiece& piece) { return piece.kind == YamlPiece::Kind::items; }

// The text yaml-cpp reads for a piece: an items piece under its key's line, then the stub.
std::string piece_text(std::string_view text, const YamlPiece& piece, Stub stub) {
    std::string out;
    if (items_piece(piece)) out.append(text.substr(piece.key_begin, piece.key_end - piece.key_begin));
    out.append(text.substr(piece.begin, piece.end - piece.begin));
    if (stub == Stub::none) return out;
    if (stub == Stub::item) out.append(static_cast<std::size_t>(piece.indent), ' ');
    if (stub == Stub::item && piece.items_are_sequence) {
        out += "- x\n";
    } else {
        out += kSplitStubKey;
        out += ": x\n";
    }
    return out;
}

// The stub came out as the last child of `container`, on its own line where it was written:
// nothing was open at the cut. Removes it.
bool take_stub(Tree& tree, NodeId container, bool sequence, int indent, int stub_line) {
    Node& parent = tree.nodes[container];
    const auto last = static_cast<NodeId>(tree.nodes.size() - 1);
    const Node& value = tree.nodes.back();
    if (last <= container || parent.children.empty() || parent.children.back() != last) return false;
    if (value.kind != NodeKind::scalar || value.quoted || value.text != "x" || value.line != stub_line) return false;
    if (sequence) {
        if (value.column != indent + 3) return false;
        tree.nodes.pop_back();
        parent.children.pop_back();
        return true;
    }
    if (parent.children.size() < 2 || parent.children[parent.children.size() - 2] != last - 1) return false;
    const Node& key = tree.nodes[last - 1];
    if (key.kind != NodeKind::scalar || key.quoted || key.text != kSplitStubKey || key.line != stub_line ||
        key.column != indent + 1)
        return false;
    tree.nodes.resize(last - 1);
    parent.children.resize(parent.children.size() - 2);
    return true;
}

// The bare key is the root's last key, where it was written, with nothing after it: its value,
// read as null here, is the collection of the pieces that follow. Removes that null.
bool take_bare_key_value(Tree& tree, const YamlPiece& piece) {
    Node& root = tree.nodes.front();
    const auto last = static_cast<NodeId>(tree.nodes.size() - 1);
    if (root.children.size() < 2 || root.children.back() != last || tree.nodes.back().kind != NodeKind::null)
        return false;
    const Node& key = tree.nodes[root.children[root.children.size() - 2]];
    if (key.line != piece.bare_key_line - piece.first_line + 1 || key.column != 1) return false;
    tree.nodes.pop_back();
    root.children.pop_back();
    return true;
}

// Node of a piece's tree that holds its items: the root, or under an items piece's key line
// the value of that key.
constexpr NodeId kItemsCollection = 2;

bool has_expected_shape(Tree& tree, const YamlPiece& piece, Stub stub, int stub_line) {
    if (tree.nodes.size() <= (items_piece(piece) ? kItemsCollection : 0)) return false;
    const Node& root = tree.root();
    if (root.kind != NodeKind::map || root.column != 1 || (piece.begin != 0 && root.line != 1)) return false;
    if (items_piece(piece)) {
        const Node& items = tree.nodes[kItemsCollection];
        if (root.children.size() < 2 || root.children[1] != kItemsCollection || items.line != 2 ||
            items.column != piece.indent + 1 ||
            items.kind != (piece.items_are_sequence ? NodeKind::sequence : NodeKind::map))
            return false;
    }
    if (stub == Stub::item && !take_stub(tree, kItemsCollection, piece.items_are_sequence, piece.indent, stub_line))
        return false;
    if (stub == Stub::top_level && !take_stub(tree, 0, false, 0, stub_line)) return false;
    if (items_piece(piece)) return tree.root().children.size() == 2;
    return !piece.ends_with_bare_key || take_bare_key_value(tree, piece);
}

PieceTree parse_piece(std::string_view text, const YamlPiece& piece, Stub stub, std::size_t node_budget) {
    PieceTree out;
    // Anything that goes wrong here only means the whole text is read the ordinary way, which
    // reports it properly: so every exception, yaml-cpp's and ours, just leaves `clean` false.
    try {
        const std::string slice = piece_text(text, piece, stub);
        const auto stub_line = static_cast<int>(std::count(slice.begin(), slice.end(), '\n'));
        ViewBuffer buffer(slice);
        std::istream in(&buffer);
        reserve_nodes(out.tree, slice, node_budget);
        YAML::Parser parser(in);
        Diagnostics diags;
        TreeBuilder builder(out.tree, diags, node_budget);
        if (!parser.HandleNextDocument(builder)) return out;
        SecondDocument probe;
        if (parser.HandleNextDocument(probe)) return out;
        out.clean = diags.items().empty() && builder.root_is_block() &&
                    has_expected_shape(out.tree, piece, stub, stub_line);
    } catch (...) {
        out.clean = false;
    }
    return out;
}

// Appends `part`'s nodes from `first` on, lines shifted by `line_shift`; when `root` is not
// kept, its children go to `container`. Returns the id `root` has when kept.
NodeId append_piece(Tree& tree, Tree& part, NodeId root, bool keep_root, NodeId container, int line_shift) {
    const auto base = static_cast<NodeId>(tree.nodes.size());
    const NodeId first = keep_root ? root : root + 1;
    auto moved = [&](NodeId id) { return base + id - first; };
    for (std::size_t j = first; j < part.nodes.size(); ++j) {
        Node& n = part.nodes[j];
        n.line += line_shift;
        for (NodeId& child : n.children) child = moved(child);
        tree.nodes.push_back(std::move(n));
    }
    if (!keep_root)
        for (NodeId child : part.nodes[root].children) tree.nodes[container].children.push_back(moved(child));
    part.nodes = {};  // free each piece as soon as it is copied: peak memory stays near one tree
    return base;
}

// The pieces' trees joined in document order: the node order, marks and texts of reading the
// whole text at once. Nothing when a piece was not clean or the joined maps repeat a key.
std::optional<Tree> join_pieces(const std::vector<YamlPiece>& pieces, std::vector<PieceTree>& parts,
                                const std::string& file, std::size_t& node_budget) {
    std::size_t total = 0;
    for (const PieceTree& part : parts) {
        if (!part.clean) return std::nullopt;
        total += part.tree.nodes.size();
    }
    Tree tree;
    tree.file = file;
    tree.nodes.reserve(total);
    std::vector<NodeId> joined_maps{0};
    NodeId collection = 0;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const YamlPiece& piece = pieces[i];
        const bool items = items_piece(piece);
        const bool opens_collection = items && !items_piece(pieces[i - 1]);
        const NodeId root = items ? kItemsCollection : 0;
        const int line_shift = piece.first_line - (items ? 1 : 0);
        const NodeId kept = append_piece(tree, parts[i].tree, root, i == 0 || opens_collection,
                                         items ? collection : 0, line_shift);
        if (!opens_collection) continue;
        collection = kept;
        tree.nodes.front().children.push_back(collection);
        if (!piece.items_are_sequence) joined_maps.push_back(collection);
    }
    Diagnostics key_problems;
    for (NodeId map : joined_maps) check_keys(tree, map, key_problems);
    if (!key_problems.items().empty() || tree.nodes.size() > node_budget) return std::nullopt;
    node_budget -= tree.nodes.size();
    return tree;
}

std::optional<Tree> parse_in_pieces(std::string_view text, const std::string& file,
                                    std::size_t& node_budget, const ParallelParse& parallel,
                                    std::size_t& piece_count) {
    const unsigned threads = parallel.threads != 0 ? parallel.threads : std::thread::hardware_concurrency();
    if (threads < 2 || text.size() < parallel.min_document_bytes) return std::nullopt;
    const std::size_t piece_bytes = parallel.piece_bytes != 0
                                        ? parallel.piece_bytes
                                        : std::max<std::size_t>(64 * 1024, text.size() / (4 * threads));
    const std::vector<YamlPiece> pieces = split_yaml_document(text, piece_bytes);
    if (pieces.empty()) return std::nullopt;
    piece_count = pieces.size();
    std::vector<PieceTree> parts(pieces.size());
    on_every_core(pieces.size(), [&](std::size_t i) {
        parts[i] = parse_piece(text, pieces[i], stub_after(pieces, i), node_budget);
    });
    return join_pieces(pieces, parts, file, node_budget);
}

}  // namespace

Tree parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                std::size_t& node_budget, const ParallelParse& parallel) {
    Tree tree;
    tree.file = file;
    if (!check_text_bytes(text, file, diags)) {
        tree.failed = true;
        return tree;
    }
    std::size_t pieces = 0;
    std::optional<Tree> joined = parse_in_pieces(text, file, node_budget, parallel, pieces);
    if (parallel.pieces_read != nullptr) *parallel.pieces_read = joined ? pieces : 0;
    if (joined) return std::move(*joined);
    parse_whole(text, tree, diags, node_budget);
    return tree;
}

Tree parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                std::size_t& node_budget) {
    return parse_yaml(text, file, diags, node_budget, ParallelParse{});
}

}  // namespace microseg::syntax
