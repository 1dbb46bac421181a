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
