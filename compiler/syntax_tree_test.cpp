// The syntax tree keeps text verbatim and every position; limits hold.
#include <doctest/doctest.h>

#include "compiler/syntax_tree.hpp"

using namespace microseg;
using namespace microseg::syntax;

TEST_CASE("scalars are verbatim and located, keys and values alike") {
    Diagnostics diags;
    std::size_t budget = kMaxNodes;
    Tree t = parse_yaml("a: 010\nb:\n  - \"yes\"\n  - 0x10\nc:\n", "t.yaml", diags, budget);
    CHECK_FALSE(diags.has_errors());
    REQUIRE_FALSE(t.empty());
    const Node& root = t.root();
    REQUIRE(root.kind == NodeKind::map);
    REQUIRE(t.map_size(root) == 3);
    CHECK(t.value(root, 0).text == "010");  // not 8
    CHECK(t.value(root, 0).line == 1);
    CHECK(t.value(root, 0).column == 4);
    const Node& list = t.value(root, 1);
    REQUIRE(list.kind == NodeKind::sequence);
    CHECK(t.at(list.children[0]).text == "yes");
    CHECK(t.at(list.children[0]).quoted);
    CHECK(t.at(list.children[1]).text == "0x10");
    CHECK_FALSE(t.at(list.children[1]).quoted);
    CHECK(t.at(list.children[1]).line == 4);
    CHECK(t.at(list.children[1]).column == 5);
    CHECK(t.value(root, 2).kind == NodeKind::null);
    CHECK(t.key(root, 2).line == 5);
    CHECK(t.find(root, "b") == &list);
    CHECK(t.find(root, "z") == nullptr);
    CHECK(budget == kMaxNodes - t.nodes.size());
}

TEST_CASE("the node budget is shared and bounds memory") {
    Diagnostics diags;
    std::size_t budget = 5;
    Tree t = parse_yaml("[1, 2, 3, 4, 5, 6]\n", "n.yaml", diags, budget);
    CHECK(t.empty());
    CHECK(t.failed);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].message == fmt::format("policy too large: more than {} YAML nodes", kMaxNodes));
    CHECK(diags.items()[0].location.line == 1);
    CHECK(diags.items()[0].location.column == 14);
}

TEST_CASE("non-scalar keys and duplicate keys in big maps") {
    Diagnostics diags;
    std::size_t budget = kMaxNodes;
    parse_yaml("? [a]\n: 1\n", "k.yaml", diags, budget);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].message == "a map key must be a name, not a list");
}

TEST_CASE("text checks accept UTF-8 and reject overlong forms and surrogates") {
    Diagnostics diags;
    CHECK(check_text_bytes("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80\t\r\n", "u", diags));
    CHECK_FALSE(check_text_bytes("\xE0\x80\xAF", "u", diags));      // overlong '/'
    CHECK_FALSE(check_text_bytes("\xED\xA0\x80", "u", diags));      // a surrogate
    CHECK_FALSE(check_text_bytes("ok\n\x01", "u", diags));
    REQUIRE(diags.items().size() == 3);
    CHECK(diags.items()[2].location.line == 2);
    CHECK(diags.items()[2].location.column == 1);
}
