// The three renderings of an AuditReport. Deterministic: switches in policy order, findings in
// diff order, no timestamps.
#include <map>

#include "audit/drift/switch_audit.hpp"
#include "model/json.hpp"
#include "model/printable.hpp"

namespace microseg {
namespace {

std::string paint(bool colour, std::string_view code, std::string_view text) {
    return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
}

std::string_view impact_colour(DriftImpact i) {
    switch (i) {
        case DriftImpact::exposure: return "1;31";
        case DriftImpact::outage: return "33";
        case DriftImpact::hygiene: return "36";
        case DriftImpact::unknown: return "35";
    }
    return "0";
}

std::string_view status_colour(SwitchStatus s) {
    return s == SwitchStatus::clean ? "32" : s == SwitchStatus::drifted ? "1;31" : "35";
}

void text_switch(std::string& out, const SwitchAuditResult& s, bool colour) {
    out += fmt::format("{} ({}, {}): {}\n", s.switch_name, s.platform, s.source,
                       paint(colour, status_colour(s.status), to_string(s.status)));
    for (const auto& n : s.notes) out += fmt::format("  note: {}\n", printable(n));
    if (s.status == SwitchStatus::not_audited) {
        out += fmt::format("  not audited: {}\n", printable(s.not_audited_reason));
        return;
    }
    if (!s.live_header.empty() && !s.carries_current_intent)
        out += "  note: the device carries a config compiled for another intent of this switch\n";
    for (const auto& f : s.findings) {
        auto where = f.config_line > 0 ? fmt::format(" (line {})", f.config_line) : std::string();
        out += fmt::format("  {:<9} {}: {}{}\n", paint(colour, impact_colour(f.impact), to_string(f.impact)),
                           printable(f.subject), printable(f.message), where);
    }
    for (const auto& l : s.live_only)
        out += fmt::format("  live-only flow: {} -> {} on {} ({})\n", l.from, l.to, l.service, l.port);
    if (!s.warnings.empty())
        out += fmt::format("  {} config line(s) not understood, first at line {}: {}\n", s.warnings.size(),
                           s.warnings.front().line, printable(s.warnings.front().reason));
}

}  // namespace

std::string render_text(const AuditReport& report, bool colour) {
    std::string out = fmt::format("drift audit of policy {} (version {})\n\n", report.policy_name,
                                  report.policy_version);
    std::map<SwitchStatus, int> counts;
    for (const auto& s : report.switches) {
        text_switch(out, s, colour);
        ++counts[s.status];
    }
    if (!report.new_paths.empty()) {
        out += fmt::format("\n{}\n", paint(colour, "1;31", "new lateral-movement paths in the live network:"));
        for (const auto& p : report.new_paths) {
            out += fmt::format("  {} -> {}\n", p.from, p.to);
            for (const auto& h : p.hops) out += fmt::format("      {}\n", h);
        }
    }
    out += fmt::format("\n{} switches: {} clean, {} drifted, {} unknown, {} not audited; {} new lateral path(s)\n",
                       report.switches.size(), counts[SwitchStatus::clean], counts[SwitchStatus::drifted],
                       counts[SwitchStatus::unknown], counts[SwitchStatus::not_audited], report.new_paths.size());
    return out;
}

std::string render_json(const AuditReport& report) {
    JsonWriter w;
    w.begin_object().field("policy", report.policy_name).field("version", report.policy_version);
    w.key("switches").begin_array();
    for (const auto& s : report.switches) {
        w.begin_object()
            .field("name", s.switch_name)
            .field("platform", fmt::format("{}", s.platform))
            .field("source", s.source)
            .field("status", to_string(s.status));
        if (s.status == SwitchStatus::not_audited) w.field("reason", s.not_audited_reason);
        w.field("carries_current_intent", s.carries_current_intent);
        w.key("findings").begin_array();
        for (const auto& f : s.findings) {
            w.begin_object()
                .field("kind", to_string(f.kind))
                .field("impact", to_string(f.impact))
                .field("subject", f.subject)
                .field("message", f.message)
                .field("line", f.config_line);
            if (f.example) w.field("example_packet", f.example->str());
            w.end_object();
        }
        w.end_array();
        w.key("live_only_flows").begin_array();
        for (const auto& l : s.live_only)
            w.begin_object().field("from", l.from).field("to", l.to).field("service", l.service)
                .field("port", fmt::format("{}", l.port)).end_object();
        w.end_array();
        w.field("unparsed_lines", s.warnings.size());
        w.key("notes").begin_array();
        for (const auto& n : s.notes) w.value(n);
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.key("new_lateral_paths").begin_array();
    for (const auto& p : report.new_paths) {
        w.begin_object().field("from", p.from).field("to", p.to).key("hops").begin_array();
        for (const auto& h : p.hops) w.value(h);
        w.end_array().end_object();
    }
    w.end_array().field("exit_code", report.exit_code()).end_object();
    return w.str() + "\n";
}

namespace {

std::string_view sarif_level(DriftImpact i) {
    switch (i) {
        case DriftImpact::exposure: return "error";
        case DriftImpact::outage: return "warning";
        case DriftImpact::hygiene: return "note";
        case DriftImpact::unknown: return "warning";
    }
    return "warning";
}

void sarif_location(JsonWriter& w, const std::string& uri, int line) {
    w.key("locations").begin_array().begin_object().key("physicalLocation").begin_object();
    w.key("artifactLocation").begin_object().field("uri", uri).end_object();
    if (line > 0) w.key("region").begin_object().field("startLine", line).end_object();
    w.end_object().end_object().end_array();
}

void sarif_rules(JsonWriter& w) {
    w.key("rules").begin_array();
    for (int k = 0; k <= static_cast<int>(DriftKind::acl_outage); ++k) {
        auto kind = static_cast<DriftKind>(k);
        w.begin_object().field("id", to_string(kind))
            .key("shortDescription").begin_object().field("text", fmt::format("microseg drift: {}", to_string(kind))).end_object()
            .end_object();
    }
    for (const char* id : {"not-audited", "new-lateral-path"})
        w.begin_object().field("id", id).key("shortDescription").begin_object().field("text", id).end_object().end_object();
    w.end_array();
}

}  // namespace

std::string render_sarif(const AuditReport& report) {
    JsonWriter w;
    w.begin_object()
        .field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        .field("version", "2.1.0");
    w.key("runs").begin_array().begin_object();
    w.key("tool").begin_object().key("driver").begin_object()
        .field("name", "microseg").field("version", "0.1.0");
    sarif_rules(w);
    w.end_object().end_object();
    w.key("results").begin_array();
    for (const auto& s : report.switches) {
        if (s.status == SwitchStatus::not_audited) {
            w.begin_object().field("ruleId", "not-audited").field("level", "error")
                .key("message").begin_object().field("text", fmt::format("{} not audited: {}", s.switch_name, s.not_audited_reason)).end_object();
            sarif_location(w, s.source, 0);
            w.end_object();
            continue;
        }
        for (const auto& f : s.findings) {
            w.begin_object().field("ruleId", to_string(f.kind)).field("level", sarif_level(f.impact))
                .key("message").begin_object().field("text", fmt::format("{}: {}", s.switch_name, f.message)).end_object();
            sarif_location(w, s.source, f.config_line);
            w.end_object();
        }
    }
    for (const auto& p : report.new_paths) {
        std::string text = fmt::format("new lateral path {} -> {}:", p.from, p.to);
        for (const auto& h : p.hops) text += " " + h + ";";
        w.begin_object().field("ruleId", "new-lateral-path").field("level", "error")
            .key("message").begin_object().field("text", text).end_object().end_object();
    }
    w.end_array().end_object().end_array().end_object();
    return w.str() + "\n";
}

}  // namespace microseg
