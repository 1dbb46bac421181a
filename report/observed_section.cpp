// The "Observed vs allowed" section: simulate's answer on the flows given to `report --flows`:
// every class pair and service seen, whether the policy allows it, with its evidence; then
// the allowances nothing used.
#include <fmt/format.h>

#include "report/sections.hpp"
#include "traffic/evidence_text.hpp"
#include "traffic/simulate.hpp"

namespace microseg::report {

namespace {

void write_seen_table(HtmlWriter& html, const traffic::Observation& seen) {
    const traffic::ObservedTraffic& t = *seen.traffic;
    const Policy& policy = t.policy();
    html.open("table", {{"class", "observed"}});
    html.raw("<thead><tr><th>from</th><th>to</th><th>service</th><th>verdict</th><th class=\"num\">sessions</th>"
             "<th class=\"num\">denied</th><th>hosts</th><th>bytes</th><th>first</th><th>last</th>"
             "<th>example</th></tr></thead><tbody>");
    for (const auto& [key, e] : t.keys()) {
        const bool denied = e.denied_sessions > 0;
        const char* verdict = !denied ? "allowed" : e.denied_sessions == e.sessions ? "denied" : "partly denied";
        html.open("tr", {{"data-verdict", verdict}})
            .element("td", policy.classes()[key.from].name)
            .element("td", policy.classes()[key.to].name)
            .element("td", traffic::service_label(t, key.service, key.protocol))
            .open("td")
            .element("span", verdict, {{"class", denied ? "badge exposure" : "badge clean"}})
            .close("td")
            .element("td", fmt::format("{}", e.sessions), {{"class", "num"}})
            .element("td", fmt::format("{}", e.denied_sessions), {{"class", "num"}})
            .element("td", fmt::format("{} → {}{}", e.initiators.count(), e.responders.count(),
                                       e.initiators.exact() && e.responders.exact() ? "" : " (est.)"))
            .element("td", traffic::byte_count(e.bytes))
            .element("td", traffic::iso_time(e.first_ms))
            .element("td", traffic::iso_time(e.last_ms))
            .element("td", traffic::five_tuple(denied ? e.denied_example : e.example))
            .close("tr");
    }
    html.raw("</tbody></table>");
}

void write_unused(HtmlWriter& html, const Policy& policy, const traffic::Simulation& sim) {
    html.element("h3", "Allowed but never observed");
    if (sim.unused.empty()) {
        html.element("p", "Every flow of the policy was used by the traffic seen.", {{"class", "ok-note"}});
        return;
    }
    html.open("ul", {{"class", "unused-flows"}});
    for (const auto& u : sim.unused) {
        const FlowRule& f = policy.flows()[u.flow];
        html.element("li", fmt::format("{} → {}: {} (flow at {}:{})", f.from, f.to, u.service, f.location.file,
                                       f.location.line));
    }
    html.close("ul");
}

}  // namespace

void write_observed(HtmlWriter& html, const traffic::Observation& seen) {
    const traffic::Simulation sim = traffic::simulate(*seen.traffic);
    const Policy& policy = seen.traffic->policy();
    html.open("section", {{"id", "observed"}}).element("h2", "Observed vs allowed");
    html.element("p", fmt::format("{}. The policy allows {} of {} sessions ({:.1f}%); {} would be denied.",
                                  traffic::input_summary_text(seen), sim.allowed, sim.judged,
                                  100.0 * sim.allowed_share(), sim.denied_sessions),
                 {{"class", sim.blocks_observed() ? "lead bad" : "lead"}});
    write_seen_table(html, seen);
    if (!seen.traffic->unowned().empty()) {
        html.element("h3", "Addresses no class owns (denied everywhere)");
        html.open("ul", {{"class", "unowned"}});
        for (const auto& [address, u] : seen.traffic->unowned())
            html.element("li", fmt::format("{} ({}): {} sessions, e.g. {}", address,
                                           u.internal ? "internal" : "outside every class", u.sessions,
                                           traffic::five_tuple(u.example)));
        html.close("ul");
    }
    write_unused(html, policy, sim);
    html.close("section");
}

}  // namespace microseg::report
