#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "model/analysis_fixtures.hpp"
#include "model/graph_export.hpp"

using namespace microseg;

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
    return n;
}

// The DOT line of the edge from -> to (write_graphviz_dp writes one line per edge).
std::string dot_edge(const std::string& dot, const std::string& from, const std::string& to) {
    auto pos = dot.find(from + "->" + to + " ");
    if (pos == std::string::npos) return {};
    return dot.substr(pos, dot.find('\n', pos) - pos);
}

}  // namespace

TEST_CASE("DOT: classes by criticality, implicit edges dashed, lateral hops highlighted") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    std::string dot = export_graph(r, GraphFormat::dot);
    CHECK(dot.rfind("digraph G {", 0) == 0);
    CHECK(count(dot, "rankdir=LR") == 1);
    // Every class is a node, named by the class.
    for (const auto& c : p.classes()) {
        std::string id = c.name.find('-') == std::string::npos ? c.name : "\"" + c.name + "\"";
        CHECK(dot.find("\n" + id + " [") != std::string::npos);
    }
    // 6 explicit hops + 2 shared-VLAN hops; the 4 same-class self loops are not drawn.
    CHECK(count(dot, "->") == 8);
    std::string shared = dot_edge(dot, "\"pump-server\"", "\"infusion-pump\"");
    CHECK(shared.find("style=dashed") != std::string::npos);
    CHECK(shared.find("any (VLAN 110)") != std::string::npos);
    std::string flow = dot_edge(dot, "portal", "pacs");
    CHECK(flow.find("style=solid") != std::string::npos);
    CHECK(flow.find("\"hl7-mllp, https\"") != std::string::npos);
    CHECK(dot.find(std::string(criticality_colour(Criticality::life))) != std::string::npos);
    CHECK(count(dot, "#d7191c") == 0);

    std::string lit = export_graph(r, GraphFormat::dot, {true});
    // Shortest lateral paths: workstation -> pacs, workstation -> pump-server -> infusion-pump,
    // internet -> portal -> pump-server, internet -> portal -> pacs.
    CHECK(count(lit, "#d7191c") == 6);
    CHECK(dot_edge(lit, "workstation", "\"pump-server\"").find("#d7191c") != std::string::npos);
    CHECK(dot_edge(lit, "workstation", "printer").find("#d7191c") == std::string::npos);
}

TEST_CASE("GraphML carries the same graph with typed attributes") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    std::string xml = export_graph(r, GraphFormat::graphml, {true});
    CHECK(xml.find("<graphml") != std::string::npos);
    CHECK(count(xml, "<node ") == 7);
    CHECK(count(xml, "<edge ") == 8);
    CHECK(xml.find("attr.name=\"criticality\"") != std::string::npos);
    CHECK(xml.find(">life<") != std::string::npos);
    CHECK(xml.find(">implicit<") != std::string::npos);
    // Keys are numbered in name order: "lateral" is key7, a boolean written as 1 or 0.
    CHECK(xml.find("<key id=\"key7\" for=\"edge\" attr.name=\"lateral\" attr.type=\"boolean\"") != std::string::npos);
    CHECK(count(xml, "<data key=\"key7\">1</data>") == 6);
}

TEST_CASE("JSON lists every edge with why it exists") {
    Policy p = fixtures::mini_hospital();
    auto r = ReachabilityGraph::build(p);
    std::string json = export_graph(r, GraphFormat::json);
    CHECK(count(json, "\"kind\": \"explicit\"") == 7);
    CHECK(count(json, "\"kind\": \"shared_vlan\"") == 2);
    CHECK(count(json, "\"kind\": \"same_class\"") == 4);
    CHECK(json.find("\"why\": \"flow at policy.yaml:42:5 (results)\"") != std::string::npos);
    CHECK(json.find("\"lateral\"") == std::string::npos);
    CHECK(export_graph(r, GraphFormat::json, {true}).find("\"lateral\": true") != std::string::npos);
}
