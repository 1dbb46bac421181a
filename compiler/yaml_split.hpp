#pragma once
// Cutting a large policy document into pieces that yaml-cpp can read independently (on
// several cores) and whose trees join into exactly the tree of the whole.
//
// Cuts are made only at lines where no YAML construct can be open, judged conservatively from
// the text alone: before a top-level key (a `name:` line at column 0 of a block map at column 0),
// and inside the block collection that is the value of a bare top-level `name:` line, before an
// item at that collection's own indentation. Anything else at column 0 (directives, `---`, `?`,
// quotes, flow brackets, tabs, a lone CR) means no split at all.
//
// The text alone cannot tell whether a multi-line quoted scalar or flow collection spans a cut
// (and yaml-cpp 0.7 even accepts a double-quoted scalar left open at the end of the text), so the
// reader proves each cut with yaml-cpp itself: it reads a piece followed by a stub sibling where
// the next piece starts (kSplitStubKey or `- x`, indented like the next piece's first line) and
// requires the stub to come out as the last child of its collection on its own line. Inside an
// open construct the stub would be swallowed. Items pieces are read under their key's line, so
// that every indentation, and every mark yaml-cpp takes from the next token, is as in the whole.

#include <cstddef>
#include <string_view>
#include <vector>

namespace microseg::syntax {

struct YamlPiece {
    enum class Kind : unsigned char {
        top,    // top-level keys: parses to a block map at column 1
        items,  // items (or entries) of the collection under one top-level key
    };
    Kind kind = Kind::top;
    std::size_t begin = 0;  // byte range in the text: always whole lines
    std::size_t end = 0;
    int first_line = 0;              // 0-based line of `begin`
    int indent = 0;                  // items: the collection's indentation (> 0)
    bool items_are_sequence = false;  // items: `- ` entries rather than `name:` entries
    bool ends_with_bare_key = false;  // top: its last key's collection follows in items pieces
    int bare_key_line = 0;            // ends_with_bare_key: the 0-based line of that key
    std::size_t key_begin = 0;        // items: the bare key line they belong to (bytes, with its
    std::size_t key_end = 0;          // line break): read before them, as in the whole text
};

// The key of the stub that proves a cut in a map (a piece of map entries or top-level keys).
inline constexpr std::string_view kSplitStubKey = "x-yaml-split-stub";

// Pieces covering `text` in order, each about `piece_bytes` long where the cuts allow; empty
// when the text cannot be cut safely or would give a single piece.
std::vector<YamlPiece> split_yaml_document(std::string_view text, std::size_t piece_bytes);

}  // namespace microseg::syntax
