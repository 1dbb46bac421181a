#pragma once
// The policy's syntax tree: maps, sequences and scalars exactly as written, each with its
// 1-based line:col. yaml-cpp is used only through its event API inside syntax_tree.cpp, so
// no yaml-cpp type (and none of its traps: octal ints, yes/no booleans, alias expansion,
// silently accepted duplicate keys) reaches the rest of the compiler.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"

namespace microseg::syntax {

// Limits that keep hostile input cheap: real policies are far inside them.
inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxNodes = 8'000'000;
inline constexpr std::size_t kMaxPolicyFileBytes = 32u * 1024 * 1024;

enum class NodeKind : std::uint8_t { null, scalar, sequence, map };
std::string_view to_string(NodeKind k);

using NodeId = std::uint32_t;

struct Node {
    NodeKind kind = NodeKind::null;
    bool quoted = false;           // a quoted scalar ("010" in quotes is still text)
    int line = 0;                  // 1-based
    int column = 0;                // 1-based
    std::string text;              // scalars: the value verbatim
    std::vector<NodeId> children;  // sequence: items; map: key, value, key, value, ...
};

// One file's tree; node 0 is the root when the file holds a document.
class Tree {
public:
    std::string file;
    std::vector<Node> nodes;
    bool failed = false;  // a located error was reported; an empty tree is not "empty file"

    bool empty() const { return nodes.empty(); }
    const Node& root() const { return nodes.front(); }
    const Node& at(NodeId id) const { return nodes[id]; }
    SourceLocation location(const Node& n) const { return {file, n.line, n.column}; }
    std::size_t map_size(const Node& map) const { return map.children.size() / 2; }
    const Node& key(const Node& map, std::size_t i) const { return nodes[map.children[2 * i]]; }
    const Node& value(const Node& map, std::size_t i) const { return nodes[map.children[2 * i + 1]]; }
    // The value of `key` in `map`, or nullptr.
    const Node* find(const Node& map, std::string_view key) const;
};

// Parses the first (and only) document of `text`. Every problem is reported into `diags` with
// its location; the tree holds what could be read (empty when nothing could).
// `node_budget` is shared by all files of one policy, so includes cannot multiply the limit.
Tree parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                std::size_t& node_budget);

// A large document is read in pieces on every core (compiler/yaml_split.hpp says where it is
// cut; model/every_core.hpp runs them) when the pieces read cleanly; otherwise, and whenever
// anything is reported, it is read whole, so trees and diagnostics never depend on these settings.
struct ParallelParse {
    std::size_t min_document_bytes = 1024 * 1024;
    std::size_t piece_bytes = 0;  // 0: the document divided into about 4 pieces per thread
    unsigned threads = 0;         // cores to size pieces for; 0: hardware_concurrency(); 1: never split
    std::size_t* pieces_read = nullptr;  // when set: how many pieces the tree joins (0: read whole)
};
Tree parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                std::size_t& node_budget, const ParallelParse& parallel);

// Reports the first byte that cannot be policy text (NUL, a control character, invalid
// UTF-8) as a located error and returns false; true when the text is clean. Run before
// yaml-cpp, which would otherwise misread binary input in odd ways.
bool check_text_bytes(std::string_view text, const std::string& file, Diagnostics& diags);

}  // namespace microseg::syntax
