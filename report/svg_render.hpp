#pragma once
// Drawing the reachability graph: Graphviz `dot -Tsvg` run as a subprocess on the DOT of
// model/graph_export (the one place that runs it: `microseg graph -o x.svg` and the report),
// and, for the report, its SVG made safe and self-contained for inlining in HTML (no XML
// prolog, DOCTYPE, comments or namespace URLs; refused if it holds script).

#include <string>
#include <string_view>

#include "model/diagnostic.hpp"

namespace microseg::report {

// The SVG document Graphviz draws for `dot_text` (a standalone .svg file), or an error when
// `dot` is missing or fails.
Result<std::string> render_svg_document(std::string_view dot_text);

// The SVG element for `dot_text`, fit for inline HTML (inline_svg of the document), or an error.
Result<std::string> render_dot_to_svg(std::string_view dot_text);

// Graphviz's SVG document -> one <svg> element fit for inline HTML; an error if it is not SVG
// or carries active content.
Result<std::string> inline_svg(std::string_view svg_document);

}  // namespace microseg::report
