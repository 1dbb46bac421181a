#pragma once
// The report's sections other than the flow matrix and the audit: summary, the graph picture,
// lateral paths per entry class, blast-radius bars, lint findings, observed traffic.

#include "report/html_writer.hpp"
#include "report/report.hpp"

namespace microseg::report {

void write_summary(HtmlWriter& html, const ReportInput& input);
void write_lateral_paths(HtmlWriter& html, const ReportInput& input);
void write_blast_radius(HtmlWriter& html, const ReportInput& input);
void write_lint(HtmlWriter& html, const ReportInput& input);
void write_audit(HtmlWriter& html, const Policy& policy, const AuditResult& audit);
// Observed vs allowed: what simulate says of the flows seen, per class pair and service.
void write_observed(HtmlWriter& html, const traffic::Observation& seen);

// "a → b → c": the classes of a path, as the report shows it and tests look for it.
std::string path_text(const ReachabilityGraph& graph, const ClassPath& path);

}  // namespace microseg::report
