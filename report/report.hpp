#pragma once
// report/: the HTML report people look at (`microseg report`). One self-contained file: inline
// CSS, the reachability graph as inline SVG (Graphviz `dot`), no scripts and no fetches; it
// prints. Sections: summary; the class x class flow matrix; lateral paths from each entry class
// with their hops; blast radius per entry class; lint findings; and, given the JSON of a drift
// audit, the per-switch drift; given observed flows, what the policy allows of what was seen. Every analysis comes from model/ (reachability, lateral_paths,
// graph_export); this folder only lays it out. Every name and message is HTML-escaped.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/lateral_paths.hpp"
#include "report/audit_json.hpp"
#include "traffic/observe.hpp"

namespace microseg::report {

struct ReportOptions {
    std::size_t max_paths = 1;  // paths listed per (entry, protected) pair, shortest first
};

// Everything the sections read, computed once.
struct ReportInput {
    const ReachabilityGraph& graph;
    const LateralReport& lateral;
    const std::vector<Diagnostic>& lint;   // the compiler's warnings and notes
    const AuditResult* audit = nullptr;    // null: no audit section
    const traffic::Observation* observed = nullptr;  // null: no "observed vs allowed" section
    std::string graph_svg;                 // inline <svg>, or empty with graph_note saying why
    std::string graph_note;
};

// Graphs with more classes than this are not drawn (dot would take minutes and the picture
// would be unreadable); the report says so.
inline constexpr std::size_t kMaxDrawnClasses = 300;

// The whole report. Fails only when the graph cannot be drawn (Graphviz missing or failing).
Result<std::string> build_html_report(const Policy& policy, const std::vector<Diagnostic>& lint,
                                      const AuditResult* audit, const traffic::Observation* observed = nullptr,
                                      const ReportOptions& options = {});

// The document from computed inputs (no subprocess): used by build_html_report and tests.
std::string render_html(const ReportInput& input);

}  // namespace microseg::report
