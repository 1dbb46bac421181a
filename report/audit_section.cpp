// The drift section of the report, from the JSON of `microseg diff --format json`.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/sections.hpp"

namespace microseg::report {
namespace {

std::string css_word(std::string_view text) {
    std::string out(text);
    std::replace(out.begin(), out.end(), ' ', '-');
    return out;
}

std::map<std::string, std::size_t> impact_counts(const AuditSwitch& s) {
    std::map<std::string, std::size_t> counts;
    for (const auto& f : s.findings) ++counts[f.impact];
    return counts;
}

void write_version_check(HtmlWriter& html, const Policy& policy, const AuditResult& audit) {
    if (audit.policy == policy.name() && audit.version == policy.version_hash()) return;
    html.element("p", fmt::format("This audit compared the switches with policy '{}' version {}; this report shows "
                                  "policy '{}' version {}. Re-run the audit against this policy before acting on it.",
                                  audit.policy, audit.version, policy.name(), policy.version_hash()),
                 {{"class", "note"}});
}

void write_overview(HtmlWriter& html, const AuditResult& audit) {
    html.open("table", {{"class", "audit-overview"}});
    html.raw("<thead><tr><th>switch</th><th>platform</th><th>status</th>");
    for (auto impact : kImpacts) html.element("th", impact, {{"class", "num"}});
    html.raw("<th>source</th></tr></thead><tbody>");
    for (const auto& s : audit.switches) {
        auto counts = impact_counts(s);
        html.open("tr", {{"data-switch", s.name}}).element("th", s.name).element("td", s.platform).open("td");
        html.element("span", s.status, {{"class", fmt::format("badge {}", css_word(s.status))}}).close("td");
        for (auto impact : kImpacts) {
            auto n = counts[std::string(impact)];
            html.element("td", n ? fmt::format("{}", n) : std::string("·"), {{"class", "num"}});
        }
        html.element("td", s.source, {{"class", "mono"}}).close("tr");
    }
    html.raw("</tbody></table>");
}

void write_findings(HtmlWriter& html, const AuditSwitch& s) {
    html.open("table", {{"class", "drift"}});
    html.raw("<thead><tr><th>impact</th><th>subject</th><th>finding</th><th class=\"num\">line</th>"
             "<th>example packet</th></tr></thead><tbody>");
    // Exposure first, then outage, hygiene, unknown: the order of urgency.
    for (auto impact : kImpacts)
        for (const auto& f : s.findings) {
            if (f.impact != impact) continue;
            html.open("tr", {{"class", fmt::format("impact-{}", f.impact)}}).open("td");
            html.element("span", f.impact, {{"class", fmt::format("badge {}", f.impact)}}).close("td");
            html.element("td", f.subject).open("td").text(f.message).text(" ");
            html.element("span", f.kind, {{"class", "muted mono"}}).close("td");
            html.element("td", f.line > 0 ? fmt::format("{}", f.line) : std::string("absent"), {{"class", "num"}});
            html.element("td", f.example_packet, {{"class", "mono"}}).close("tr");
        }
    html.raw("</tbody></table>");
}

void write_switch_details(HtmlWriter& html, const AuditSwitch& s) {
    if (s.status == "clean" && s.live_only.empty() && s.unparsed_lines == 0) return;
    html.open("div", {{"class", "finding"}, {"data-switch", s.name}}).open("h3").text(s.name + " ");
    html.element("span", s.status, {{"class", fmt::format("badge {}", css_word(s.status))}}).close("h3");
    if (s.status == "not audited") html.element("p", fmt::format("Not audited: {}", s.reason), {{"class", "note"}});
    // A switch that was not read carries no version at all: say nothing about it.
    if (!s.carries_current_intent && s.status != "not audited")
        html.element("p", "The device carries a config compiled for another intent of this switch.", {{"class", "note"}});
    if (!s.findings.empty()) write_findings(html, s);
    if (!s.live_only.empty()) {
        html.element("h4", "Flows the live configuration allows that the policy does not");
        html.open("ul");
        for (const auto& l : s.live_only)
            html.element("li", fmt::format("{} → {} on {} ({})", l.from, l.to, l.service, l.port));
        html.close("ul");
    }
    if (s.unparsed_lines > 0)
        html.element("p", fmt::format("{} configuration line(s) were not understood; findings that depend on them are "
                                      "'unknown'.", s.unparsed_lines), {{"class", "muted"}});
    html.close("div");
}

void write_new_paths(HtmlWriter& html, const AuditResult& audit) {
    if (audit.new_paths.empty()) return;
    html.element("h3", "New lateral-movement paths in the live network");
    for (const auto& p : audit.new_paths) {
        html.open("div", {{"class", "finding"}}).element("h4", fmt::format("{} → {}", p.from, p.to)).open("ol");
        for (const auto& h : p.hops) html.element("li", h, {{"class", "mono"}});
        html.close("ol").close("div");
    }
}

}  // namespace

void write_audit(HtmlWriter& html, const Policy& policy, const AuditResult& audit) {
    std::map<std::string, std::size_t> by_status, by_impact;
    for (const auto& s : audit.switches) {
        ++by_status[s.status];
        for (const auto& f : s.findings) ++by_impact[f.impact];
    }
    html.open("section", {{"id", "audit"}}).element("h2", "Drift audit");
    html.element("p", fmt::format("{} switch(es): {} clean, {} drifted, {} unknown, {} not audited. Findings: {} "
                                  "exposure, {} outage, {} hygiene, {} unknown; {} new lateral path(s).",
                                  audit.switches.size(), by_status["clean"], by_status["drifted"], by_status["unknown"],
                                  by_status["not audited"], by_impact["exposure"], by_impact["outage"],
                                  by_impact["hygiene"], by_impact["unknown"], audit.new_paths.size()),
                 {{"class", "lead"}});
    write_version_check(html, policy, audit);
    write_overview(html, audit);
    for (const auto& s : audit.switches) write_switch_details(html, s);
    write_new_paths(html, audit);
    html.close("section");
}

}  // namespace microseg::report
