#pragma once
// Printing the lateral-movement analyses (paths, review): one line per hop, aligned, for people;
// the same facts through JsonWriter for --format json. Shared by cmd_paths and cmd_review.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/json.hpp"
#include "model/lateral_paths.hpp"

namespace microseg::cli {

// Each hop on its own line: "from -> to  services  why", columns aligned, `indent` before each.
std::string format_path_text(const ReachabilityGraph& graph, const ClassPath& path, std::string_view indent);
// The line of each flow as a cut lists it ("file:line:col  a -> b [services] (reason)"), each
// written once: the cuts of a large policy name the same flows hundreds of thousands of times.
class CutFlowLines {
public:
    explicit CutFlowLines(const Policy& policy) : policy_(&policy), lines_(policy.flows().size()) {}
    const std::string& line(std::size_t flow);

private:
    const Policy* policy_;
    std::vector<std::optional<std::string>> lines_;
};

// "tighten these 2 flows to cut a -> b:" and one line per flow, or why it cannot be cut.
std::string format_cut_text(const ReachabilityGraph& graph, const LateralFinding& finding, std::string_view indent,
                            CutFlowLines& lines);

void write_path_json(JsonWriter& w, const ReachabilityGraph& graph, const ClassPath& path);
void write_flow_json(JsonWriter& w, const Policy& policy, std::size_t flow);
void write_radius_json(JsonWriter& w, const ReachabilityGraph& graph, const BlastRadius& radius);

// The known class closest to `name` by edit distance, if it is close enough to suggest.
std::optional<std::string> closest_class_name(const Policy& policy, std::string_view name);

}  // namespace microseg::cli
