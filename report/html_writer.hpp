#pragma once
// Building HTML text safely: every piece of text and every attribute value goes through
// escape_html, so a name from a policy or an audit file can never become markup. Only our own
// constant CSS and the sanitised Graphviz SVG go in raw.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microseg::report {

// &, <, >, " and ' as character references; safe in text and in quoted attribute values.
// Control bytes other than tab, newline and CR become the four characters \xHH.
std::string escape_html(std::string_view text);

struct Attribute {
    std::string_view name;  // our own constant
    std::string value;      // escaped on output
};
using Attributes = std::vector<Attribute>;

class HtmlWriter {
public:
    // <tag a="v" ...>; tag and attribute names are ours, never user text.
    HtmlWriter& open(std::string_view tag, const Attributes& attributes = {});
    HtmlWriter& close(std::string_view tag);
    // <tag ...>escaped text</tag>
    HtmlWriter& element(std::string_view tag, std::string_view text, const Attributes& attributes = {});
    HtmlWriter& text(std::string_view text);
    // Trusted markup only: our CSS, sanitised SVG.
    HtmlWriter& raw(std::string_view markup);

    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

}  // namespace microseg::report
