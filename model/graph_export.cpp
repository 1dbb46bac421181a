#include "model/graph_export.hpp"

#include <map>
#include <set>
#include <sstream>

#include <boost/graph/graphml.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <fmt/format.h>

#include "model/json.hpp"
#include "model/lateral_paths.hpp"

namespace microseg {

std::string_view criticality_colour(Criticality c) {
    switch (c) {
        case Criticality::life: return "#f4a6a6";
        case Criticality::high: return "#fdd49e";
        case Criticality::medium: return "#fff7bc";
        case Criticality::low: return "#e5f5e0";
    }
    return "#ffffff";
}

namespace {

struct DrawnClass {
    std::string name;
    std::string label;
    std::string criticality;
    std::string fillcolor;
    std::string shape;
    std::string style = "filled";
    std::string color;  // border: purple for classes with patient data
    bool entry = false;
    bool is_protected = false;
    bool phi = false;
    bool external = false;
    bool isolate = false;
    long devices = 0;
    int vlan = 0;
};

struct DrawnEdge {
    std::string label;  // services, or "any (VLAN n)"
    std::string kind;   // "explicit" or "implicit"
    std::string style;  // solid | dashed
    std::string color;
    double penwidth = 1.0;
    bool lateral = false;  // on a highlighted lateral path
};

// bidirectionalS: edges() walks a list (directedS trips -Wmaybe-uninitialized in Boost 1.74).
using Drawing = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, DrawnClass, DrawnEdge>;

DrawnClass drawn_class(const DeviceClass& c) {
    DrawnClass d;
    d.name = c.name;
    d.criticality = std::string(to_string(c.criticality));
    d.fillcolor = std::string(criticality_colour(c.criticality));
    d.shape = c.entry ? "house" : c.external ? "ellipse" : "box";
    d.color = c.phi ? "#6a3d9a" : "#404040";
    d.entry = c.entry;
    d.is_protected = c.is_protected();
    d.phi = c.phi;
    d.external = c.external;
    d.isolate = c.isolate;
    d.devices = static_cast<long>(c.devices);
    d.vlan = c.vlan.value_or(0);
    std::string detail = c.vlan ? fmt::format("VLAN {}", *c.vlan) : std::string("external");
    d.label = fmt::format("{}\\n{}, {} devices{}{}", c.name, detail, c.devices, c.phi ? ", phi" : "",
                          c.isolate ? ", isolated" : "");
    return d;
}

std::set<std::pair<std::size_t, std::size_t>> lateral_hops(const ReachabilityGraph& graph) {
    std::set<std::pair<std::size_t, std::size_t>> hops;
    AllPairsReachability reach(graph.graph());
    for (std::size_t from : graph.entry_classes())
        for (std::size_t to : graph.protected_classes()) {
            if (from == to || !reach.reaches(from, to)) continue;
            ClassPath path = shortest_path(graph, from, to);
            for (std::size_t i = 0; i + 1 < path.size(); ++i) hops.insert({path[i], path[i + 1]});
        }
    return hops;
}

// Explicit flows solid, implicit L2 reach dashed, stateless reply channels dotted.
enum DrawnKind : std::uint8_t { drawn_explicit, drawn_implicit, drawn_reply };
struct DrawnKindStyle {
    const char* name;
    const char* style;
    const char* color;
};
constexpr DrawnKindStyle kDrawnKinds[] = {
    {"explicit", "solid", "#303030"}, {"implicit", "dashed", "#7f7f7f"}, {"stateless reply", "dotted", "#303030"}};

DrawnKind drawn_kind(EdgeKind kind) {
    if (kind == EdgeKind::stateless_reply) return drawn_reply;
    return kind == EdgeKind::explicit_flow ? drawn_explicit : drawn_implicit;
}

Drawing drawing(const ReachabilityGraph& graph, const GraphExportOptions& options) {
    const ReachGraph& g = graph.graph();
    Drawing d(graph.class_count());
    for (std::size_t v = 0; v < graph.class_count(); ++v) d[v] = drawn_class(graph.class_at(v));
    auto highlighted = options.highlight_paths ? lateral_hops(graph) : std::set<std::pair<std::size_t, std::size_t>>{};
    // (from, to, drawn kind) -> services, or the VLAN for implicit edges.
    std::map<std::tuple<std::size_t, std::size_t, DrawnKind>, std::set<std::string>> merged;
    for (std::size_t u = 0; u < graph.class_count(); ++u)
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            const ReachEdge& e = g[*it];
            std::size_t v = boost::target(*it, g);
            if (e.kind == EdgeKind::same_class) continue;
            merged[{u, v, drawn_kind(e.kind)}].insert(e.is_implicit() ? fmt::format("any (VLAN {})", e.vlan)
                                                                      : std::string(graph.service_name(e.service)));
        }
    for (const auto& [key, services] : merged) {
        auto [u, v, kind] = key;
        DrawnEdge e;
        e.label = fmt::format("{}", fmt::join(services, ", "));
        e.kind = kDrawnKinds[kind].name;
        e.style = kDrawnKinds[kind].style;
        e.lateral = highlighted.count({u, v}) > 0;
        e.color = e.lateral ? "#d7191c" : kDrawnKinds[kind].color;
        e.penwidth = e.lateral ? 2.5 : 1.0;
        boost::add_edge(u, v, e, d);
    }
    return d;
}

boost::dynamic_properties drawing_properties(Drawing& d, bool for_dot) {
    boost::dynamic_properties dp;
    if (for_dot) {
        dp.property("node_id", boost::get(&DrawnClass::name, d));
        dp.property("label", boost::get(&DrawnClass::label, d));
        dp.property("fillcolor", boost::get(&DrawnClass::fillcolor, d));
        dp.property("shape", boost::get(&DrawnClass::shape, d));
        dp.property("style", boost::get(&DrawnClass::style, d));
        dp.property("color", boost::get(&DrawnClass::color, d));
        dp.property("label", boost::get(&DrawnEdge::label, d));
        dp.property("style", boost::get(&DrawnEdge::style, d));
        dp.property("color", boost::get(&DrawnEdge::color, d));
        dp.property("penwidth", boost::get(&DrawnEdge::penwidth, d));
        dp.property("rankdir", boost::make_constant_property<Drawing*>(std::string("LR")));
        return dp;
    }
    dp.property("name", boost::get(&DrawnClass::name, d));
    dp.property("criticality", boost::get(&DrawnClass::criticality, d));
    dp.property("color", boost::get(&DrawnClass::fillcolor, d));
    dp.property("entry", boost::get(&DrawnClass::entry, d));
    dp.property("protected", boost::get(&DrawnClass::is_protected, d));
    dp.property("phi", boost::get(&DrawnClass::phi, d));
    dp.property("external", boost::get(&DrawnClass::external, d));
    dp.property("isolate", boost::get(&DrawnClass::isolate, d));
    dp.property("devices", boost::get(&DrawnClass::devices, d));
    dp.property("vlan", boost::get(&DrawnClass::vlan, d));
    dp.property("services", boost::get(&DrawnEdge::label, d));
    dp.property("kind", boost::get(&DrawnEdge::kind, d));
    dp.property("lateral", boost::get(&DrawnEdge::lateral, d));
    return dp;
}

std::string to_json(const ReachabilityGraph& graph, const GraphExportOptions& options) {
    const Policy& p = graph.policy();
    JsonWriter w;
    w.begin_object().field("policy", p.name()).key("classes").begin_array();
    for (const auto& c : p.classes()) {
        w.begin_object().field("name", c.name).field("criticality", to_string(c.criticality));
        w.field("entry", c.entry).field("protected", c.is_protected()).field("phi", c.phi);
        w.field("external", c.external).field("isolate", c.isolate).field("devices", c.devices);
        w.key("vlan");
        if (c.vlan) w.value(*c.vlan); else w.null();
        w.end_object();
    }
    w.end_array().key("edges").begin_array();
    const ReachGraph& g = graph.graph();
    auto highlighted = options.highlight_paths ? lateral_hops(graph) : std::set<std::pair<std::size_t, std::size_t>>{};
    for (std::size_t u = 0; u < graph.class_count(); ++u)
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
            const ReachEdge& e = g[*it];
            std::size_t v = boost::target(*it, g);
            w.begin_object().field("from", p.classes()[u].name).field("to", p.classes()[v].name);
            w.field("service", graph.service_name(e.service)).field("kind", to_string(e.kind));
            w.field("why", graph.describe({e.kind, e.flow, e.vlan}));
            if (e.has_flow()) {
                const auto& loc = p.flows()[e.flow].location;
                w.field("file", loc.file).field("line", loc.line).field("column", loc.column);
            }
            if (options.highlight_paths) w.field("lateral", highlighted.count({u, v}) > 0);
            w.end_object();
        }
    w.end_array().end_object();
    return w.str() + "\n";
}

}  // namespace

std::string export_graph(const ReachabilityGraph& graph, GraphFormat format, const GraphExportOptions& options) {
    if (format == GraphFormat::json) return to_json(graph, options);
    Drawing d = drawing(graph, options);
    std::ostringstream out;
    if (format == GraphFormat::dot) {
        auto dp = drawing_properties(d, true);
        boost::write_graphviz_dp(out, d, dp, "node_id");
    } else {
        auto dp = drawing_properties(d, false);
        boost::write_graphml(out, d, boost::get(boost::vertex_index, d), dp, true);
    }
    return out.str();
}

}  // namespace microseg
