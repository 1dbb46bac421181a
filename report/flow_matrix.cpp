#include "report/flow_matrix.hpp"

#include <fmt/format.h>

namespace microseg::report {
namespace {

struct Cell {
    std::string css;                     // none | allow | l2 | allow l2 | self
    std::vector<std::string> lines;      // what the cell shows
    std::string title;                   // why, for the tooltip
};

std::string implicit_text(const HopReason& r) {
    if (r.kind == EdgeKind::shared_vlan) return fmt::format("L2 VLAN {}", r.vlan);
    return "L2 class";
}

Cell cell_for(const ReachabilityGraph& graph, std::size_t from, std::size_t to) {
    Cell cell;
    Hop hop = graph.hop(from, to);
    bool explicit_flow = false, implicit = false;
    std::vector<std::string> why;
    for (const auto& r : hop.reasons) {
        why.push_back(graph.describe(r));
        // A stateless reply is allowed as surely as the flow that opens it; DHCP as surely as
        // any flow (its service is among hop.services).
        if (r.has_flow() || r.kind == EdgeKind::dhcp) {
            explicit_flow = true;
        } else {
            implicit = true;
            cell.lines.push_back(implicit_text(r));
        }
    }
    cell.lines.insert(cell.lines.begin(), hop.services.begin(), hop.services.end());
    cell.title = fmt::format("{} -> {}: {}", graph.class_at(from).name, graph.class_at(to).name,
                             why.empty() ? std::string("no initiation allowed") : fmt::format("{}", fmt::join(why, "; ")));
    cell.css = explicit_flow && implicit ? "allow l2" : explicit_flow ? "allow" : implicit ? "l2" : "none";
    if (from == to && !explicit_flow && !implicit) {
        cell.css = "self";
        if (graph.class_at(from).isolate) cell.lines.push_back("isolated");
    }
    return cell;
}

std::string_view criticality_css(Criticality c) {
    switch (c) {
        case Criticality::life: return "crit-life";
        case Criticality::high: return "crit-high";
        case Criticality::medium: return "crit-medium";
        case Criticality::low: return "crit-low";
    }
    return "";
}

std::string header_css(const DeviceClass& c, std::string_view base) {
    return fmt::format("{}{}", base, c.is_protected() ? " protected" : "");
}

void write_grid(HtmlWriter& html, const ReachabilityGraph& graph) {
    const std::size_t n = graph.class_count();
    html.open("div", {{"class", "matrix-wrap"}}).open("table", {{"class", "matrix"}, {"id", "flow-matrix"}});
    html.open("thead").open("tr").element("th", "from \\ to", {{"class", "corner"}});
    for (std::size_t to = 0; to < n; ++to) {
        const DeviceClass& c = graph.class_at(to);
        html.open("th", {{"class", header_css(c, "col")}, {"scope", "col"}, {"data-class", c.name}}).open("span");
        write_class_name(html, c);
        html.close("span").close("th");
    }
    html.close("tr").close("thead").open("tbody");
    for (std::size_t from = 0; from < n; ++from) {
        const DeviceClass& c = graph.class_at(from);
        html.open("tr").open("th", {{"class", header_css(c, "row")}, {"scope", "row"}, {"data-class", c.name}});
        html.open("span", {{"class", std::string(criticality_css(c.criticality))}}).raw("&nbsp;&nbsp;").close("span").raw(" ");
        write_class_name(html, c);
        html.close("th");
        for (std::size_t to = 0; to < n; ++to) {
            Cell cell = cell_for(graph, from, to);
            html.open("td", {{"class", cell.css}, {"title", cell.title}});
            for (const auto& line : cell.lines) html.element("span", line, {{"class", "svc"}});
            html.close("td");
        }
        html.close("tr");
    }
    html.close("tbody").close("table").close("div");
}

// For policies too large for a grid: one row per pair that can initiate.
void write_pair_list(HtmlWriter& html, const ReachabilityGraph& graph) {
    const std::size_t n = graph.class_count();
    html.element("p", fmt::format("{} classes are too many for a grid ({} cells): the allowed pairs are listed instead.",
                                  n, n * n), {{"class", "note"}});
    html.open("table", {{"class", "pairs"}, {"id", "flow-matrix"}});
    html.raw("<thead><tr><th>from</th><th>to</th><th>allowed</th><th>why</th></tr></thead><tbody>");
    for (std::size_t from = 0; from < n; ++from)
        for (std::size_t to = 0; to < n; ++to) {
            Cell cell = cell_for(graph, from, to);
            if (cell.css == "none" || cell.css == "self") continue;
            html.open("tr", {{"class", cell.css}});
            html.open("th", {{"scope", "row"}, {"data-class", graph.class_at(from).name}});
            write_class_name(html, graph.class_at(from));
            html.close("th").open("td", {{"data-class", graph.class_at(to).name}});
            write_class_name(html, graph.class_at(to));
            html.close("td").element("td", fmt::format("{}", fmt::join(cell.lines, ", "))).element("td", cell.title);
            html.close("tr");
        }
    html.raw("</tbody></table>");
}

void write_legend(HtmlWriter& html) {
    html.open("div", {{"class", "legend"}});
    html.open("span").open("span", {{"class", "swatch"}, {"style", "background: var(--allow)"}}).close("span")
        .text("allowed by a flow (services listed)").close("span");
    html.open("span").open("span", {{"class", "swatch"}, {"style", "background: var(--l2)"}}).close("span")
        .text("implicit L2 reach: same VLAN or same class, every service").close("span");
    html.open("span").element("span", "◆", {{"class", "marker-protected"}}).text(" protected (life, high or phi)").close("span");
    html.open("span").element("span", "●", {{"class", "marker-entry"}}).text(" entry class").close("span");
    for (auto c : {Criticality::life, Criticality::high, Criticality::medium, Criticality::low})
        html.open("span").open("span", {{"class", fmt::format("swatch {}", criticality_css(c))}}).close("span")
            .text(to_string(c)).close("span");
    html.close("div");
}

}  // namespace

void write_class_name(HtmlWriter& html, const DeviceClass& c) {
    if (c.entry) html.element("span", "● ", {{"class", "marker-entry"}});
    html.text(c.name);
    if (c.is_protected()) html.element("span", " ◆", {{"class", "marker-protected"}});
}

void write_flow_matrix(HtmlWriter& html, const ReachabilityGraph& graph) {
    html.open("section", {{"id", "matrix"}}).element("h2", "Flow matrix");
    html.element("p", "Rows initiate, columns receive (return traffic is implied). Hover a cell for the flows and "
                      "rules behind it.", {{"class", "lead"}});
    write_legend(html);
    if (graph.class_count() > kMaxMatrixClasses) {
        write_pair_list(html, graph);
    } else {
        write_grid(html, graph);
    }
    html.close("section");
}

}  // namespace microseg::report
