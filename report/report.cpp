#include "report/report.hpp"

#include <fmt/format.h>

#include "model/graph_export.hpp"
#include "report/flow_matrix.hpp"
#include "report/report_style.hpp"
#include "report/sections.hpp"
#include "report/svg_render.hpp"

namespace microseg::report {
namespace {

void write_head(HtmlWriter& html, const Policy& policy) {
    html.raw("<!DOCTYPE html>\n").open("html", {{"lang", "en"}}).open("head");
    html.raw("<meta charset=\"utf-8\">");
    html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    // No scripts, no fetches: the browser may load nothing beyond this file.
    html.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
    html.element("title", fmt::format("microseg report: {}", policy.name()));
    html.open("style").raw(report_css()).close("style").close("head");
}

void write_header(HtmlWriter& html, const ReportInput& in) {
    const Policy& p = in.graph.policy();
    html.open("header", {{"class", "report"}}).element("h1", fmt::format("Segmentation report: {}", p.name()));
    html.open("p", {{"class", "lead"}}).text("Policy ").element("strong", p.name()).text(", version ");
    html.element("code", p.version_hash()).text(", from ").element("code", p.source_file()).close("p");
    html.open("nav", {{"class", "toc"}});
    for (auto [id, title] : {std::pair{"summary", "Summary"}, {"matrix", "Flow matrix"}, {"paths", "Lateral movement"},
                             {"blast-radius", "Blast radius"}, {"lint", "Lint"}}) {
        html.element("a", title, {{"href", fmt::format("#{}", id)}});
    }
    if (in.audit) html.element("a", "Drift audit", {{"href", "#audit"}});
    if (in.observed) html.element("a", "Observed vs allowed", {{"href", "#observed"}});
    html.close("nav").close("header");
}

}  // namespace

std::string render_html(const ReportInput& in) {
    HtmlWriter html;
    write_head(html, in.graph.policy());
    html.open("body");
    write_header(html, in);
    write_summary(html, in);
    write_flow_matrix(html, in.graph);
    write_lateral_paths(html, in);
    write_blast_radius(html, in);
    write_lint(html, in);
    if (in.audit) write_audit(html, in.graph.policy(), *in.audit);
    if (in.observed) write_observed(html, *in.observed);
    html.element("footer", "Written by microseg report. Self-contained: no scripts, no network fetches.");
    html.close("body").close("html").raw("\n");
    return html.take();
}

Result<std::string> build_html_report(const Policy& policy, const std::vector<Diagnostic>& lint,
                                      const AuditResult* audit, const traffic::Observation* observed,
                                      const ReportOptions& options) {
    auto graph = ReachabilityGraph::build(policy);
    LateralReport lateral = analyse_lateral_movement(graph, {{}, {}, options.max_paths});
    ReportInput input{graph, lateral, lint, audit, observed, {}, {}};
    if (graph.class_count() > kMaxDrawnClasses) {
        input.graph_note = fmt::format("The graph has {} classes, more than {} are not drawn: use 'microseg graph' "
                                       "to export it.", graph.class_count(), kMaxDrawnClasses);
    } else {
        auto svg = render_dot_to_svg(export_graph(graph, GraphFormat::dot, {.highlight_paths = true}));
        if (!svg) return svg.error();
        input.graph_svg = std::move(*svg);
    }
    return render_html(input);
}

}  // namespace microseg::report
