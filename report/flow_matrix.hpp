#pragma once
// The class x class flow matrix: a row per initiating class, a column per target, each cell
// listing the services the policy allows (explicit flows) and shaded differently when the
// pair reaches each other implicitly at layer 2 (same VLAN, or members of one class).

#include <cstddef>

#include "model/reachability.hpp"
#include "report/html_writer.hpp"

namespace microseg::report {

// Above this many classes the grid (n^2 cells) is replaced by a list of the allowed pairs.
inline constexpr std::size_t kMaxMatrixClasses = 150;

void write_flow_matrix(HtmlWriter& html, const ReachabilityGraph& graph);

// "● name ◆": the class name with its entry and protected markers, as text.
void write_class_name(HtmlWriter& html, const DeviceClass& c);

}  // namespace microseg::report
