#pragma once
// Drawing the reachability graph for the report: Graphviz `dot -Tsvg` run as a subprocess on
// the DOT of model/graph_export, and its SVG made safe and self-contained for inlining in HTML
// (no XML prolog, DOCTYPE, comments or namespace URLs; refused if it holds script).

#include <string>
#include <string_view>

#include "model/diagnostic.hpp"

namespace microseg::report {

// The SVG element for `dot_text`, or an error when `dot` is missing or fails.
Result<std::string> render_dot_to_svg(std::string_view dot_text);

// Graphviz's SVG document -> one <svg> element fit for inline HTML; an error if it is not SVG
// or carries active content.
Result<std::string> inline_svg(std::string_view svg_document);

}  // namespace microseg::report
