#include "cli/analysis_output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/spelling.hpp"

namespace microseg::cli {

namespace {

std::string reasons_text(const ReachabilityGraph& graph, const Hop& hop) {
    std::string out;
    for (const auto& why : hop.reasons) {
        if (!out.empty()) out += "; ";
        out += graph.describe(why);
    }
    return out;
}

}  // namespace

std::string format_path_text(const ReachabilityGraph& graph, const ClassPath& path, std::string_view indent) {
    auto hops = hops_of(graph, path);
    std::size_t from_w = 0, to_w = 0, svc_w = 0;
    for (const auto& h : hops) {
        from_w = std::max(from_w, graph.class_at(h.from).name.size());
        to_w = std::max(to_w, graph.class_at(h.to).name.size());
        svc_w = std::max(svc_w, graph.services_text(h).size());
    }
    std::string out;
    for (const auto& h : hops)
        out += fmt::format("{}{:<{}} -> {:<{}}  {:<{}}  {}\n", indent, graph.class_at(h.from).name, from_w,
                           graph.class_at(h.to).name, to_w, graph.services_text(h), svc_w, reasons_text(graph, h));
    return out;
}

const std::string& CutFlowLines::line(std::size_t flow) {
    std::optional<std::string>& line = lines_.at(flow);
    if (!line) {
        const FlowRule& f = policy_->flows()[flow];
        line = fmt::format("{}  {} -> {} [{}]{}\n", f.location, f.from, f.to, fmt::join(f.services, ", "),
                           f.reason.empty() ? "" : fmt::format(" ({})", f.reason));
    }
    return *line;
}

std::string format_cut_text(const ReachabilityGraph& graph, const LateralFinding& finding, std::string_view indent,
                            CutFlowLines& lines) {
    const std::string& from = graph.class_at(finding.from).name;
    const std::string& to = graph.class_at(finding.to).name;
    if (!finding.cut.cuttable)
        return fmt::format("{}no set of flows cuts {} -> {}: implicit edges (shared VLAN, same class) join them\n",
                           indent, from, to);
    std::string out = fmt::format("{}tighten {} {} to cut {} -> {}:\n", indent, finding.cut.flows.size(),
                                  finding.cut.flows.size() == 1 ? "flow" : "flows", from, to);
    for (std::size_t i : finding.cut.flows) {
        out.append(indent).append("  ");
        out += lines.line(i);
    }
    return out;
}

void write_flow_json(JsonWriter& w, const Policy& policy, std::size_t flow) {
    const FlowRule& f = policy.flows().at(flow);
    w.begin_object().field("from", f.from).field("to", f.to);
    w.key("services").begin_array();
    for (const auto& s : f.services) w.value(s);
    w.end_array();
    w.field("reason", f.reason).field("file", f.location.file).field("line", f.location.line);
    w.field("column", f.location.column).end_object();
}

void write_path_json(JsonWriter& w, const ReachabilityGraph& graph, const ClassPath& path) {
    w.begin_object();
    w.key("classes").begin_array();
    for (std::size_t c : path) w.value(graph.class_at(c).name);
    w.end_array();
    w.key("hops").begin_array();
    for (const auto& h : hops_of(graph, path)) {
        w.begin_object().field("from", graph.class_at(h.from).name).field("to", graph.class_at(h.to).name);
        w.field("any_service", h.any_service);
        w.key("services").begin_array();
        for (const auto& s : h.services) w.value(s);
        w.end_array();
        w.key("reasons").begin_array();
        for (const auto& why : h.reasons) {
            w.begin_object().field("kind", to_string(why.kind)).field("text", graph.describe(why));
            if (why.has_flow()) {
                w.key("flow");
                write_flow_json(w, graph.policy(), why.flow);
            } else {
                w.field("vlan", why.vlan);
            }
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_array().end_object();
}

void write_radius_json(JsonWriter& w, const ReachabilityGraph& graph, const BlastRadius& radius) {
    w.begin_object().field("entry", graph.class_at(radius.entry).name);
    w.key("classes").begin_array();
    for (std::size_t c : radius.classes) w.value(graph.class_at(c).name);
    w.end_array().field("devices", radius.devices);
    w.key("one_hop_classes").begin_array();
    for (std::size_t c : radius.one_hop_classes) w.value(graph.class_at(c).name);
    w.end_array().field("one_hop_devices", radius.one_hop_devices).end_object();
}

std::optional<std::string> closest_class_name(const Policy& policy, std::string_view name) {
    std::vector<std::string_view> names;
    for (const auto& c : policy.classes()) names.push_back(c.name);
    auto best = closest_name(name, names);
    if (best.empty()) return std::nullopt;
    return best;
}

}  // namespace microseg::cli
