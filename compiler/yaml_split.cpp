#include "compiler/yaml_split.hpp"

#include <optional>

namespace microseg::syntax {

namespace {

// What a line looks like from its first non-space character on; enough to tell where a cut
// is safe, never a parse.
enum class Shape : unsigned char { blank, comment, key, dash, tab, other };

struct LineShape {
    Shape shape = Shape::blank;
    std::size_t indent = 0;  // leading spaces
    bool bare_key = false;   // key: nothing but spaces after the colon
};

bool name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool name_char(char c) { return name_start(c) || c == '-' || c == '.'; }

LineShape classify(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    LineShape s;
    while (s.indent < line.size() && line[s.indent] == ' ') ++s.indent;
    if (s.indent == line.size()) return s;
    const std::size_t at = s.indent;
    const char c = line[at];
    if (c == '\t') s.shape = Shape::tab;
    else if (c == '#') s.shape = Shape::comment;
    else if (c == '-' && (at + 1 == line.size() || line[at + 1] == ' ')) s.shape = Shape::dash;
    else s.shape = Shape::other;
    if (s.shape != Shape::other || !name_start(c)) return s;
    std::size_t i = at + 1;
    while (i < line.size() && name_char(line[i])) ++i;
    if (i == line.size() || line[i] != ':' || (i + 1 < line.size() && line[i + 1] != ' ')) return s;
    s.shape = Shape::key;
    s.bare_key = line.find_first_not_of(' ', i + 1) == std::string_view::npos;
    return s;
}

// A lone CR breaks lines for some readers and not for others: never cut such a text.
bool only_crlf(std::string_view text) {
    for (std::size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1))
        if (i + 1 == text.size() || text[i + 1] != '\n') return false;
    return true;
}

struct Lines {
    std::string_view text;
    std::vector<std::size_t> starts;  // byte offset of every line

    explicit Lines(std::string_view t) : text(t) {
        starts.push_back(0);
        for (std::size_t i = t.find('\n'); i != std::string_view::npos; i = t.find('\n', i + 1))
            if (i + 1 < t.size()) starts.push_back(i + 1);
    }
    std::size_t count() const { return starts.size(); }
    std::size_t offset(std::size_t line) const { return line < count() ? starts[line] : text.size(); }
    std::string_view at(std::size_t line) const {
        std::string_view l = text.substr(starts[line], offset(line + 1) - starts[line]);
        if (!l.empty() && l.back() == '\n') l.remove_suffix(1);
        // A byte order mark belongs to the stream, not to the first line's indentation.
        if (line == 0 && l.starts_with("\xEF\xBB\xBF")) l.remove_prefix(3);
        return l;
    }
};

// Lines that start a top-level key, or nothing when some column-0 line could be anything else.
std::optional<std::vector<std::size_t>> top_level_keys(const Lines& lines) {
    std::vector<std::size_t> keys;
    for (std::size_t n = 0; n < lines.count(); ++n) {
        const LineShape s = classify(lines.at(n));
        if (s.shape == Shape::blank || s.shape == Shape::comment) continue;
        if (s.indent > 0 || s.shape == Shape::dash) {
            if (keys.empty()) return std::nullopt;  // the root is not a block map at column 0
            continue;
        }
        if (s.shape != Shape::key) return std::nullopt;
        keys.push_back(n);
    }
    if (keys.empty()) return std::nullopt;
    return keys;
}

struct ItemCuts {
    std::vector<std::size_t> lines;  // the first item's line first
    std::size_t indent = 0;
    bool sequence = false;
};

// Where the block collection under the bare key at `key_line` can be cut (lines up to `end`),
// or nothing when a line of it is not plainly an item, deeper content, a blank or a comment.
std::optional<ItemCuts> item_cuts(const Lines& lines, std::size_t key_line, std::size_t end) {
    ItemCuts cuts;
    for (std::size_t n = key_line + 1; n < end; ++n) {
        const LineShape s = classify(lines.at(n));
        if (s.shape == Shape::blank || s.shape == Shape::comment) continue;
        if (s.shape == Shape::tab) return std::nullopt;
        if (cuts.lines.empty()) {
            if (s.indent == 0 || (s.shape != Shape::dash && s.shape != Shape::key)) return std::nullopt;
            cuts.indent = s.indent;
            cuts.sequence = s.shape == Shape::dash;
        } else if (s.indent < cuts.indent) {
            return std::nullopt;
        } else if (s.indent > cuts.indent) {
            continue;
        } else if (s.shape != (cuts.sequence ? Shape::dash : Shape::key)) {
            return std::nullopt;
        }
        cuts.lines.push_back(n);
    }
    if (cuts.lines.empty()) return std::nullopt;
    return cuts;
}

class PieceCollector {
public:
    PieceCollector(const Lines& lines, std::size_t piece_bytes) : lines_(lines), piece_bytes_(piece_bytes) {}

    // Lines [first, last) as one segment; joined to the previous piece while that is small.
    void add(std::size_t first, std::size_t last, YamlPiece segment) {
        segment.begin = lines_.offset(first);
        segment.end = lines_.offset(last);
        segment.first_line = static_cast<int>(first);
        if (!pieces_.empty() && joins(pieces_.back(), segment)) {
            pieces_.back().end = segment.end;
            pieces_.back().ends_with_bare_key = segment.ends_with_bare_key;
            pieces_.back().bare_key_line = segment.bare_key_line;
            return;
        }
        pieces_.push_back(segment);
    }
    std::vector<YamlPiece> take() { return std::move(pieces_); }

private:
    bool joins(const YamlPiece& piece, const YamlPiece& next) const {
        if (piece.end - piece.begin >= piece_bytes_ || piece.kind != next.kind) return false;
        return piece.kind == YamlPiece::Kind::top ? !piece.ends_with_bare_key : piece.key_begin == next.key_begin;
    }

    const Lines& lines_;
    std::size_t piece_bytes_;
    std::vector<YamlPiece> pieces_;
};

}  // namespace

std::vector<YamlPiece> split_yaml_document(std::string_view text, std::size_t piece_bytes) {
    if (!only_crlf(text)) return {};
    const Lines lines(text);
    const auto keys = top_level_keys(lines);
    if (!keys) return {};
    PieceCollector pieces(lines, piece_bytes);
    for (std::size_t k = 0; k < keys->size(); ++k) {
        const std::size_t first = k == 0 ? 0 : (*keys)[k];
        const std::size_t last = k + 1 < keys->size() ? (*keys)[k + 1] : lines.count();
        const bool big = lines.offset(last) - lines.offset(first) > piece_bytes;
        std::optional<ItemCuts> cuts;
        if (big && classify(lines.at((*keys)[k])).bare_key) cuts = item_cuts(lines, (*keys)[k], last);
        if (!cuts) {
            pieces.add(first, last, YamlPiece{});
            continue;
        }
        pieces.add(first, cuts->lines.front(),
                   YamlPiece{.ends_with_bare_key = true, .bare_key_line = static_cast<int>((*keys)[k])});
        for (std::size_t c = 0; c < cuts->lines.size(); ++c) {
            const std::size_t next = c + 1 < cuts->lines.size() ? cuts->lines[c + 1] : last;
            pieces.add(cuts->lines[c], next,
                       YamlPiece{.kind = YamlPiece::Kind::items,
                                 .indent = static_cast<int>(cuts->indent),
                                 .items_are_sequence = cuts->sequence,
                                 .key_begin = lines.offset((*keys)[k]),
                                 .key_end = lines.offset((*keys)[k] + 1)});
        }
    }
    std::vector<YamlPiece> result = pieces.take();
    if (result.size() < 2) return {};
    return result;
}

}  // namespace microseg::syntax
