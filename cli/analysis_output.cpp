#include "cli/analysis_output.hpp"

#include <algorithm>
#include <iterator>

#include <boost/container_hash/hash.hpp>
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

// `text` left-aligned in `width` columns, as fmt's "{:<{}}" writes it. Names are ASCII (the name
// rule), so their bytes are their columns; fmt counts code points, a tenth of `paths`'s text.
void append_left(std::string& out, std::string_view text, std::size_t width) {
    if (!std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        fmt::format_to(std::back_inserter(out), "{:<{}}", text, width);
        return;
    }
    out.append(text);
    if (text.size() < width) out.append(width - text.size(), ' ');
}

}  // namespace

FindingTexts::FindingTexts(const ReachabilityGraph& graph)
    : graph_(&graph), flow_lines_(graph.policy().flows().size()) {}

const std::string& FindingTexts::flow_line(std::size_t flow) {
    std::optional<std::string>& line = flow_lines_.at(flow);
    if (!line) {
        const FlowRule& f = graph_->policy().flows()[flow];
        line = fmt::format("{}  {} -> {} [{}]{}\n", f.location, f.from, f.to, fmt::join(f.services, ", "),
                           f.reason.empty() ? "" : fmt::format(" ({})", f.reason));
    }
    return *line;
}

const FindingTexts::HopText& FindingTexts::hop(std::size_t from, std::size_t to) {
    auto [it, added] = hops_.try_emplace(static_cast<std::uint64_t>(from) << 32 | to);
    if (added) {
        const Hop h = graph_->hop(from, to);
        it->second = {graph_->services_text(h), reasons_text(*graph_, h)};
    }
    return it->second;
}

std::size_t FindingTexts::FlowsHash::operator()(const std::vector<std::size_t>& flows) const {
    return boost::hash_range(flows.begin(), flows.end());
}

const std::string& FindingTexts::cut_lines(const std::vector<std::size_t>& flows, std::string_view indent) {
    auto [it, added] = cuts_.try_emplace(flows);
    CutLines& lines = it->second;
    if (added || lines.indent != indent) {
        lines.indent = indent;
        lines.text.clear();
        for (std::size_t i : flows) lines.text.append(indent).append(flow_line(i));
    }
    return lines.text;
}

std::string format_path_text(const ReachabilityGraph& graph, const ClassPath& path, std::string_view indent) {
    FindingTexts texts(graph);
    std::string out;
    append_path_text(out, graph, path, indent, texts);
    return out;
}

void append_path_text(std::string& out, const ReachabilityGraph& graph, const ClassPath& path, std::string_view indent,
                      FindingTexts& texts) {
    std::size_t from_w = 0, to_w = 0, svc_w = 0;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        from_w = std::max(from_w, graph.class_at(path[i]).name.size());
        to_w = std::max(to_w, graph.class_at(path[i + 1]).name.size());
        svc_w = std::max(svc_w, texts.hop(path[i], path[i + 1]).services.size());
    }
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        const FindingTexts::HopText& hop = texts.hop(path[i], path[i + 1]);
        out.append(indent);
        append_left(out, graph.class_at(path[i]).name, from_w);
        out.append(" -> ");
        append_left(out, graph.class_at(path[i + 1]).name, to_w);
        out.append("  ");
        append_left(out, hop.services, svc_w);
        out.append("  ").append(hop.reasons).append("\n");
    }
}

void append_cut_text(std::string& out, const ReachabilityGraph& graph, const LateralFinding& finding,
                     std::string_view indent, FindingTexts& texts) {
    const std::string& from = graph.class_at(finding.from).name;
    const std::string& to = graph.class_at(finding.to).name;
    if (!finding.cut.cuttable) {
        fmt::format_to(std::back_inserter(out),
                       "{}no set of flows cuts {} -> {}: implicit edges (shared VLAN, same class) join them\n", indent,
                       from, to);
        return;
    }
    fmt::format_to(std::back_inserter(out), "{}tighten {} {} to cut {} -> {}:\n", indent, finding.cut.flows.size(),
                   finding.cut.flows.size() == 1 ? "flow" : "flows", from, to);
    out += texts.cut_lines(finding.cut.flows, fmt::format("{}  ", indent));
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
