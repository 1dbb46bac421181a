#pragma once
// Typed reads from one syntax tree with located errors: every "must be a number", "unknown
// key" and "not a valid name" message of the compiler is written here, once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostic_kinds.hpp"
#include "compiler/syntax_tree.hpp"
#include "model/diagnostic.hpp"

namespace microseg::compiler {

using syntax::Node;
using syntax::NodeKind;
using syntax::Tree;

class Reader {
public:
    Reader(const Tree& tree, Diagnostics& diags) : tree_(tree), diags_(diags) {}

    const Tree& tree() const { return tree_; }
    Diagnostics& diags() const { return diags_; }
    SourceLocation at(const Node& n) const { return tree_.location(n); }
    // Kinds come from the registry only (compiler/diagnostic_kinds.hpp).
    void error(const Node& n, const DiagnosticKind& kind, std::string message) const {
        diags_.error(at(n), kind, std::move(message));
    }
    // An error of the model's parsers (ports, interface ranges), reported at `n` with its kind.
    void error(const Node& n, const Diagnostic& from_model) const {
        diags_.error(at(n), from_model.kind, from_model.message);
    }

    // Each returns nothing (after reporting at the node) when the node does not fit.
    bool is_map(const Node& n, std::string_view what) const;
    bool is_list(const Node& n, std::string_view what) const;
    std::optional<std::string> text(const Node& n, std::string_view what) const;
    std::optional<std::string> name(const Node& n, std::string_view what) const;
    std::optional<std::int64_t> integer(const Node& n, std::string_view what, std::int64_t min,
                                        std::int64_t max) const;
    std::optional<bool> boolean(const Node& n, std::string_view what) const;
    // A scalar as a one-item list, a list as its items; anything else is reported.
    std::vector<const Node*> one_or_list(const Node& n, std::string_view what) const;
    // Reports every key of `map` not in `allowed`, with a did-you-mean.
    void check_keys(const Node& map, const std::vector<std::string_view>& allowed,
                    std::string_view where) const;
    // Reports a missing required key at `map`; returns its value otherwise.
    const Node* require(const Node& map, std::string_view key, std::string_view where) const;

private:
    const Tree& tree_;
    Diagnostics& diags_;
};

}  // namespace microseg::compiler
