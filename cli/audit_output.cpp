#include "cli/audit_output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "audit/fetch/config_store.hpp"
#include "cli/cli_common.hpp"

namespace microseg::cli {

std::optional<std::vector<const Switch*>> select_switches(const Policy& policy, const std::vector<std::string>& names,
                                                          const std::string& policy_path) {
    for (const auto& name : names) {
        if (policy.find_switch(name)) continue;
        print_error(fmt::format("no switch '{}' in {}", name, policy_path));
        return std::nullopt;
    }
    std::vector<const Switch*> out;
    for (const auto& sw : policy.switches())
        if (names.empty() || std::find(names.begin(), names.end(), sw.name) != names.end()) out.push_back(&sw);
    return out;
}

std::optional<HashKey> redaction_key_or_error() {
    auto key = load_redaction_key();
    if (key) return *key;
    print_error(fmt::format("redaction key: {}", format_diagnostic(key.error())));
    return std::nullopt;
}

void print_audit_report(const AuditReport& report, const std::string& format) {
    if (format == "json") fmt::print("{}", render_json(report));
    else if (format == "sarif") fmt::print("{}", render_sarif(report));
    else fmt::print("{}", render_text(report, colour_enabled(1)));
}

}  // namespace microseg::cli
