#include "audit/fetch/config_source.hpp"

namespace microseg {

std::string_view to_string(NotAuditedKind kind) {
    switch (kind) {
        case NotAuditedKind::unknown_host_key: return "unknown host key";
        case NotAuditedKind::changed_host_key: return "changed host key";
        case NotAuditedKind::auth_failed: return "authentication failed";
        case NotAuditedKind::connect_failed: return "connection failed";
        case NotAuditedKind::timeout: return "incomplete";
        case NotAuditedKind::truncated: return "truncated";
        case NotAuditedKind::command_failed: return "command failed";
        case NotAuditedKind::missing: return "no saved config";
        case NotAuditedKind::io_error: return "I/O error";
        case NotAuditedKind::too_large: return "too large";
    }
    return "unknown";
}

bool has_end_marker(const Platform& p, std::string_view text) {
    if (p.config_end_marker.empty()) return true;
    std::size_t end = text.size();
    while (end > 0) {
        std::size_t start = text.rfind('\n', end - 1);
        start = (start == std::string_view::npos) ? 0 : start + 1;
        std::string_view line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\n'))
            line.remove_suffix(1);
        if (!line.empty()) return line == p.config_end_marker;
        if (start == 0) break;
        end = start - 1;
    }
    return false;
}

}  // namespace microseg

namespace microseg {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Calls `each(line)` for every line of `text` until it returns false.
template <typename F>
void for_lines(std::string_view text, F&& each) {
    for (std::size_t pos = 0; pos < text.size();) {
        auto nl = text.find('\n', pos);
        auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!each(line)) return;
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
    }
}

// Top-level statements of a Junos configuration (the hierarchy's first level). `set cli ...`
// is an operational command, never configuration: its echo must not pass for a config.
constexpr std::string_view kJunosTop[] = {
    "version", "groups", "apply-groups", "system", "chassis", "interfaces", "vlans", "protocols", "firewall",
    "policy-options", "routing-options", "routing-instances", "security", "snmp", "services", "class-of-service",
    "forwarding-options", "ethernet-switching-options", "switch-options", "poe", "access", "event-options",
    "virtual-chassis", "multi-chassis", "bridge-domains", "applications", "access-profile", "logical-systems",
    "vmhost", "schedulers", "fabric", "smtp", "accounting-options", "dynamic-profiles"};

bool junos_top_level(std::string_view word) {
    for (auto t : kJunosTop)
        if (word == t) return true;
    return false;
}

std::string_view first_word(std::string_view s) { return s.substr(0, s.find_first_of(" \t{;")); }

std::optional<std::string> junos_set_problem(std::string_view text) {
    std::optional<std::string> problem;
    bool top = false;
    int n = 0;
    for_lines(text, [&](std::string_view raw) {
        ++n;
        auto line = trim(raw);
        if (line.empty() || line.starts_with("#")) return true;
        auto verb = first_word(line);
        if (verb != "set" && verb != "deactivate" && verb != "activate" && verb != "protect") {
            problem = fmt::format("line {} is not a set statement: {}", n, line.substr(0, 80));
            return false;
        }
        auto rest = trim(line.substr(verb.size()));
        top = top || junos_top_level(first_word(rest));
        return true;
    });
    if (!problem && !top) problem = "no set statement of a top-level configuration statement";
    return problem;
}

std::optional<std::string> junos_hierarchy_problem(std::string_view text) {
    int depth = 0;
    bool top = false;
    std::optional<std::string> problem;
    int n = 0;
    for_lines(text, [&](std::string_view raw) {
        ++n;
        auto line = trim(raw);
        if (line.empty() || line.starts_with("#") || line.starts_with("/*")) return true;
        if (depth == 0 && line.ends_with("{") && junos_top_level(first_word(line))) top = true;
        for (char c : line) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        if (depth < 0) problem = fmt::format("line {} closes a block that was never opened", n);
        return depth >= 0;
    });
    if (!problem && depth != 0) problem = fmt::format("{} block(s) never closed", depth);
    if (!problem && !top) problem = "no top-level configuration statement";
    return problem;
}

}  // namespace

std::optional<std::string> error_answer(std::string_view reply) {
    std::optional<std::string> found;
    for_lines(reply, [&](std::string_view raw) {
        auto line = trim(raw);
        if (line.empty() || line.find_first_not_of("^ ") == std::string_view::npos) return true;
        for (std::string_view e : {"% ", "syntax error", "unknown command", "error:"})
            if (line.starts_with(e)) found = std::string(line);
        return false;
    });
    return found;
}

std::optional<std::string> config_problem(const Platform& p, std::string_view text) {
    if (trim(text).find_first_not_of("\r\n") == std::string_view::npos) {
        // `nft list ruleset` prints nothing and exits 0 when no table is loaded (checked with nft
        // 1.0.6 in an empty namespace): a complete, real state in which nothing is filtered. It
        // is audited (the router audit reports the missing forward chain as an exposure), not
        // hidden behind "not audited". A device CLI always prints something for its config.
        if (p.id == PlatformId::nftables) return std::nullopt;
        return std::string("empty answer");
    }
    if (!p.config_end_marker.empty())
        return has_end_marker(p, text) ? std::nullopt
                                       : std::optional(fmt::format("ended without '{}'", p.config_end_marker));
    if (p.id == PlatformId::junos) {
        std::optional<std::string> first;
        for_lines(text, [&](std::string_view raw) {
            auto line = trim(raw);
            if (!line.empty() && !line.starts_with("#")) first = std::string(line);
            return !first;
        });
        if (first && first_word(*first) == "set") return junos_set_problem(text);
        return junos_hierarchy_problem(text);
    }
    if (p.id == PlatformId::nftables) {
        bool table = false;
        for_lines(text, [&](std::string_view line) { return !(table = line.starts_with("table ")); });
        if (!table) return std::string("no 'table' in the ruleset");
    }
    return std::nullopt;
}

}  // namespace microseg
