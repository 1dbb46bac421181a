#include "fuzz/flow_targets.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "traffic/flow_reader.hpp"

namespace microseg::fuzz {
namespace {

using traffic::FlowRecord;

// Lines as the reader numbers them: one per '\n', plus an unterminated last one.
int line_count(std::string_view input) {
    auto n = static_cast<int>(std::count(input.begin(), input.end(), '\n'));
    return n + (!input.empty() && input.back() != '\n' ? 1 : 0);
}

std::string check_record(const FlowRecord& r, int lines, int previous_line) {
    if (r.line < 1 || r.line > lines) return fmt::format("record on line {} of {}", r.line, lines);
    if (r.line <= previous_line) return fmt::format("record on line {} after one on line {}", r.line, previous_line);
    if ((r.protocol == traffic::kIcmp || r.protocol == traffic::kIcmpV6) && (r.src_port || r.dst_port))
        return "an ICMP record with ports";
    if (r.sessions == 0) return "a record of zero sessions";
    if (r.last_ms < r.first_ms) return "a record that ends before it starts";
    return {};
}

}  // namespace

std::string run_flows(std::string_view input) {
    const int lines = line_count(input);
    std::string bad;
    int previous = 0;
    std::uint64_t records = 0;
    auto result = traffic::read_flow_text(input, "fuzz", [&](const FlowRecord& r) {
        ++records;
        if (bad.empty()) bad = check_record(r, lines, previous);
        previous = r.line;
    });
    if (!bad.empty()) return bad;
    if (!result) {
        const Diagnostic& e = result.error();
        if (e.kind != "unknown-flow-format" || e.location.line != 1 || records != 0)
            return fmt::format("unexpected error [{}] at line {}", e.kind, e.location.line);
        return {};
    }
    const auto& s = result.value();
    if (s.records != records) return "the summary's record count differs from the records handed over";
    if (s.records + s.bad_lines + s.skipped > static_cast<std::uint64_t>(lines))
        return fmt::format("{} records, bad and skipped lines out of {} lines", s.records + s.bad_lines + s.skipped, lines);
    if (s.warnings.size() > traffic::kMaxWarnings || s.warnings.size() > s.bad_lines) return "too many warnings";
    for (const Diagnostic& w : s.warnings)
        if (w.kind != "bad-flow-line" || w.location.line < 1 || w.location.line > lines || w.severity != Severity::warning)
            return fmt::format("a warning [{}] at line {}", w.kind, w.location.line);
    return {};
}

}  // namespace microseg::fuzz
