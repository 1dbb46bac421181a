#pragma once
// Printing the lateral-movement analyses (paths, review): one line per hop, aligned, for people;
// the same facts through JsonWriter for --format json. Shared by cmd_paths and cmd_review.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/json.hpp"
#include "model/lateral_paths.hpp"

namespace microseg::cli {

// What the text of findings repeats, each made once: the line of each flow as a cut lists it
// ("file:line:col  a -> b [services] (reason)") and each hop's services and reasons. The
// findings of a large policy name the same flows and hops hundreds of thousands of times. One
// per thread.
class FindingTexts {
public:
    explicit FindingTexts(const ReachabilityGraph& graph);
    const std::string& flow_line(std::size_t flow);
    struct HopText {
        std::string services, reasons;
    };
    const HopText& hop(std::size_t from, std::size_t to);
    // The lines of a cut's flows, `indent` before each: most cuts of a large policy are one
    // class's arcs, the same for each of its hundreds of pairs.
    const std::string& cut_lines(const std::vector<std::size_t>& flows, std::string_view indent);

private:
    struct FlowsHash {
        std::size_t operator()(const std::vector<std::size_t>& flows) const;
    };
    struct CutLines {
        std::string indent, text;
    };
    const ReachabilityGraph* graph_;
    std::vector<std::optional<std::string>> flow_lines_;
    std::unordered_map<std::uint64_t, HopText> hops_;
    std::unordered_map<std::vector<std::size_t>, CutLines, FlowsHash> cuts_;
};

// Each hop on its own line: "from -> to  services  why", columns aligned, `indent` before each.
std::string format_path_text(const ReachabilityGraph& graph, const ClassPath& path, std::string_view indent);
void append_path_text(std::string& out, const ReachabilityGraph& graph, const ClassPath& path, std::string_view indent,
                      FindingTexts& texts);
// "tighten these 2 flows to cut a -> b:" and one line per flow, or why it cannot be cut.
void append_cut_text(std::string& out, const ReachabilityGraph& graph, const LateralFinding& finding,
                     std::string_view indent, FindingTexts& texts);

void write_path_json(JsonWriter& w, const ReachabilityGraph& graph, const ClassPath& path);
void write_flow_json(JsonWriter& w, const Policy& policy, std::size_t flow);
void write_radius_json(JsonWriter& w, const ReachabilityGraph& graph, const BlastRadius& radius);

// The known class closest to `name` by edit distance, if it is close enough to suggest.
std::optional<std::string> closest_class_name(const Policy& policy, std::string_view name);

}  // namespace microseg::cli
