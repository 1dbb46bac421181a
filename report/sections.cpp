#include "report/sections.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/flow_matrix.hpp"

namespace microseg::report {
namespace {

void card(HtmlWriter& html, const std::string& figure, std::string_view label, std::string_view tone = "") {
    html.open("div", {{"class", tone.empty() ? std::string("card") : fmt::format("card {}", tone)}});
    html.element("div", figure, {{"class", "figure"}}).element("div", label, {{"class", "label"}}).close("div");
}

const BlastRadius* worst_radius(const LateralReport& lateral) {
    auto it = std::max_element(lateral.radius.begin(), lateral.radius.end(),
                               [](const BlastRadius& a, const BlastRadius& b) { return a.devices < b.devices; });
    return it == lateral.radius.end() ? nullptr : &*it;
}

std::string percent(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return "0%";
    return fmt::format("{:.0f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::size_t count_warnings(const std::vector<Diagnostic>& lint) {
    return static_cast<std::size_t>(std::count_if(lint.begin(), lint.end(),
                                                  [](const Diagnostic& d) { return d.severity == Severity::warning; }));
}

void write_protected_list(HtmlWriter& html, const ReachabilityGraph& graph) {
    html.element("h3", "Protected classes");
    auto protected_classes = graph.protected_classes();
    if (protected_classes.empty()) {
        html.element("p", "none: no class is life- or high-criticality or holds patient data", {{"class", "muted"}});
        return;
    }
    html.open("ul", {{"class", "protected-list"}});
    for (std::size_t c : protected_classes) {
        const DeviceClass& d = graph.class_at(c);
        html.open("li").element("strong", d.name).text(" ");
        html.element("span", to_string(d.criticality), {{"class", fmt::format("badge {}", to_string(d.criticality))}});
        if (d.phi) html.text(" ").element("span", "phi", {{"class", "badge phi"}});
        html.text(fmt::format(" — {} devices", d.devices)).close("li");
    }
    html.close("ul");
}

}  // namespace

std::string path_text(const ReachabilityGraph& graph, const ClassPath& path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) out += (i ? " → " : "") + graph.class_at(path[i]).name;
    return out;
}

void write_summary(HtmlWriter& html, const ReportInput& in) {
    const Policy& p = in.graph.policy();
    auto entries = in.graph.entry_classes();
    html.open("section", {{"id", "summary"}}).element("h2", "Summary");
    html.open("div", {{"class", "cards"}});
    card(html, fmt::format("{}", p.classes().size()), fmt::format("device classes ({} entry, {} protected)",
                                                                entries.size(), in.graph.protected_classes().size()));
    card(html, fmt::format("{}", p.total_devices()), "devices");
    card(html, fmt::format("{}", p.flows().size()), "flow rules");
    card(html, fmt::format("{}", p.switches().size()), "switches");
    card(html, fmt::format("{}", in.lateral.findings.size()), "entry → protected pairs reachable",
         in.lateral.findings.empty() ? "good" : "bad");
    card(html, in.lateral.reaches_life ? "yes" : "no", "an entry class reaches a life-critical class",
         in.lateral.reaches_life ? "bad" : "good");
    if (const BlastRadius* worst = worst_radius(in.lateral))
        card(html, fmt::format("{} devices", worst->devices),
             fmt::format("worst blast radius: {} ({} of all devices, {} classes)", in.graph.class_at(worst->entry).name,
                         percent(worst->devices, p.total_devices()), worst->classes.size()),
             worst->devices > 0 ? "bad" : "good");
    card(html, fmt::format("{}", count_warnings(in.lint)), "lint warnings");
    if (in.audit) {
        std::size_t drifted = static_cast<std::size_t>(std::count_if(
            in.audit->switches.begin(), in.audit->switches.end(), [](const AuditSwitch& s) { return s.status != "clean"; }));
        card(html, fmt::format("{} / {}", drifted, in.audit->switches.size()), "audited switches not clean",
             drifted ? "bad" : "good");
    }
    html.close("div");
    write_protected_list(html, in.graph);
    html.close("section");
}

namespace {

void write_hop_table(HtmlWriter& html, const ReachabilityGraph& graph, const ClassPath& path) {
    html.open("table", {{"class", "path"}, {"data-path", path_text(graph, path)}});
    html.raw("<thead><tr><th>#</th><th>from</th><th>to</th><th>services</th><th>why</th></tr></thead><tbody>");
    auto hops = hops_of(graph, path);
    for (std::size_t i = 0; i < hops.size(); ++i) {
        std::vector<std::string> why;
        for (const auto& r : hops[i].reasons) why.push_back(graph.describe(r));
        html.open("tr").element("td", fmt::format("{}", i + 1), {{"class", "hop-index"}});
        html.element("td", graph.class_at(hops[i].from).name).element("td", graph.class_at(hops[i].to).name);
        html.element("td", graph.services_text(hops[i]));
        html.element("td", fmt::format("{}", fmt::join(why, "; "))).close("tr");
    }
    html.raw("</tbody></table>");
}

void write_cut(HtmlWriter& html, const ReachabilityGraph& graph, const LateralFinding& f) {
    html.open("div", {{"class", "cut"}});
    if (!f.cut.cuttable) {
        html.text("Cannot be cut by tightening flows: implicit L2 reach (a shared VLAN or a non-isolated class) "
                  "connects them; change VLANs or isolation.").close("div");
        return;
    }
    html.text(fmt::format("Tightening {} flow(s) cuts every path:", f.cut.flows.size())).open("ul");
    for (std::size_t i : f.cut.flows) {
        const FlowRule& rule = graph.policy().flows().at(i);
        html.open("li").text(fmt::format("{} → {} [{}] ", rule.from, rule.to, fmt::join(rule.services, ", ")));
        html.element("span", fmt::format("{}", rule.location), {{"class", "mono"}});
        if (!rule.reason.empty()) html.text(fmt::format(" ({})", rule.reason));
        html.close("li");
    }
    html.close("ul").close("div");
}

void write_entry_block(HtmlWriter& html, const ReportInput& in, std::size_t entry) {
    const ReachabilityGraph& g = in.graph;
    html.open("div", {{"class", "entry-block"}, {"data-entry", g.class_at(entry).name}});
    html.open("h3").text("From ");
    write_class_name(html, g.class_at(entry));
    html.close("h3");
    bool any = false;
    for (const auto& f : in.lateral.findings) {
        if (f.from != entry) continue;
        any = true;
        const DeviceClass& to = g.class_at(f.to);
        html.open("div", {{"class", "finding"}}).open("h4").text(fmt::format("{} → {} ", g.class_at(entry).name, to.name));
        html.element("span", to_string(to.criticality), {{"class", fmt::format("badge {}", to_string(to.criticality))}});
        if (to.phi) html.text(" ").element("span", "phi", {{"class", "badge phi"}});
        html.close("h4");
        for (const auto& path : f.paths) write_hop_table(html, g, path);
        write_cut(html, g, f);
        html.close("div");
    }
    if (!any) html.element("p", "reaches no protected class", {{"class", "ok-note"}});
    html.close("div");
}

}  // namespace

void write_lateral_paths(HtmlWriter& html, const ReportInput& in) {
    html.open("section", {{"id", "paths"}}).element("h2", "Lateral movement");
    html.element("p", "Paths an attacker could take from each entry class to each protected class, shortest first, "
                      "with every hop and the flow or rule that allows it.", {{"class", "lead"}});
    html.open("figure", {{"class", "graph"}});
    if (!in.graph_svg.empty()) html.raw(in.graph_svg);
    else html.element("p", in.graph_note, {{"class", "note"}});
    html.element("figcaption", "Reachability graph: houses are entry classes, fill colour is criticality, purple "
                               "borders hold patient data, dashed edges are implicit L2 reach; red edges are the "
                               "shortest path of every entry → protected pair.");
    html.close("figure");
    for (std::size_t entry : in.lateral.from) write_entry_block(html, in, entry);
    if (in.lateral.from.empty()) html.element("p", "The policy has no entry class.", {{"class", "note"}});
    html.close("section");
}

void write_blast_radius(HtmlWriter& html, const ReportInput& in) {
    const std::int64_t total = in.graph.policy().total_devices();
    std::vector<const BlastRadius*> rows;
    for (const auto& r : in.lateral.radius) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const BlastRadius* a, const BlastRadius* b) { return a->devices > b->devices; });
    html.open("section", {{"id", "blast-radius"}}).element("h2", "Blast radius");
    html.element("p", fmt::format("Devices an attacker in each entry class can reach in any number of hops (dark) and "
                                  "in one hop (light), out of all {} devices.", total), {{"class", "lead"}});
    html.open("table", {{"class", "radius"}});
    html.raw("<thead><tr><th>entry class</th><th>reach</th><th class=\"num\">classes</th><th class=\"num\">devices</th>"
             "<th class=\"num\">share</th><th class=\"num\">1-hop classes</th><th class=\"num\">1-hop devices</th></tr></thead><tbody>");
    for (const BlastRadius* r : rows) {
        auto width = [&](std::int64_t n) { return fmt::format("width: {}", percent(n, total)); };
        html.open("tr", {{"data-entry", in.graph.class_at(r->entry).name}}).element("th", in.graph.class_at(r->entry).name);
        html.open("td", {{"class", "bar-cell"}}).open("div", {{"class", "bar"}});
        html.open("div", {{"class", "fill"}, {"style", width(r->devices)}}).close("div");
        html.open("div", {{"class", "fill one-hop"}, {"style", width(r->one_hop_devices)}}).close("div");
        html.close("div").close("td");
        html.element("td", fmt::format("{}", r->classes.size()), {{"class", "num"}});
        html.element("td", fmt::format("{}", r->devices), {{"class", "num"}});
        html.element("td", percent(r->devices, total), {{"class", "num"}});
        html.element("td", fmt::format("{}", r->one_hop_classes.size()), {{"class", "num"}});
        html.element("td", fmt::format("{}", r->one_hop_devices), {{"class", "num"}}).close("tr");
    }
    html.raw("</tbody></table>");
    if (rows.empty()) html.element("p", "The policy has no entry class.", {{"class", "note"}});
    html.close("section");
}

void write_lint(HtmlWriter& html, const ReportInput& in) {
    html.open("section", {{"id", "lint"}}).element("h2", "Lint findings");
    if (in.lint.empty()) {
        html.element("p", "No lint findings.", {{"class", "ok-note"}}).close("section");
        return;
    }
    html.open("table", {{"class", "lint"}});
    html.raw("<thead><tr><th>severity</th><th>kind</th><th>where</th><th>message</th></tr></thead><tbody>");
    for (const auto& d : in.lint) {
        html.open("tr").open("td");
        html.element("span", to_string(d.severity), {{"class", d.severity == Severity::warning ? "badge outage" : "badge"}});
        html.close("td").element("td", d.kind).element("td", fmt::format("{}", d.location), {{"class", "mono"}});
        html.element("td", d.message).close("tr");
    }
    html.raw("</tbody></table>").close("section");
}

}  // namespace microseg::report
