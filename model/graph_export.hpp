#pragma once
// The reachability graph for people and tools: Graphviz DOT (boost::write_graphviz_dp), GraphML
// (boost::write_graphml) and JSON (JsonWriter).
//
// DOT and GraphML draw one edge per (from, to) pair and kind (explicit or implicit), labelled with
// its services; classes are filled by criticality, entry classes are drawn as houses, external
// ones as ellipses, implicit (shared VLAN) edges dashed. Same-class self loops are left out of
// the drawings (a node label says "isolated" instead); JSON keeps every edge.
// With highlight_paths, the hops of the shortest path of every (entry, protected) pair are red.

#include <string>

#include "model/reachability.hpp"

namespace microseg {

enum class GraphFormat { dot, graphml, json };

struct GraphExportOptions {
    bool highlight_paths = false;
};

std::string export_graph(const ReachabilityGraph& graph, GraphFormat format, const GraphExportOptions& options = {});

// The fill colour of a class of this criticality in drawings.
std::string_view criticality_colour(Criticality c);

}  // namespace microseg
