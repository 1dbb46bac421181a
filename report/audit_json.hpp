#pragma once
// The result of a drift audit as `microseg diff --format json` writes it (audit/drift/render.cpp),
// read back for the report. Parsed with yaml-cpp, which reads JSON; every field is checked, and
// a file that is not such a result gets a located error.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"

namespace microseg::report {

struct AuditFinding {
    std::string kind;     // "acl_exposure", ...
    std::string impact;   // exposure | outage | hygiene | unknown
    std::string subject;  // "VLAN 110", "GigabitEthernet1/0/7"
    std::string message;
    std::int64_t line = 0;       // in the live config; 0 when absent there
    std::string example_packet;  // for ACL findings, else empty
};

struct AuditLiveOnlyFlow {
    std::string from, to, service, port;
};

struct AuditSwitch {
    std::string name;
    std::string platform;
    std::string source;
    std::string status;  // clean | drifted | unknown | not audited
    std::string reason;  // why it was not audited
    bool carries_current_intent = true;
    std::vector<AuditFinding> findings;
    std::vector<AuditLiveOnlyFlow> live_only;
    std::int64_t unparsed_lines = 0;
};

struct AuditPath {
    std::string from, to;
    std::vector<std::string> hops;
};

struct AuditResult {
    std::string policy;
    std::string version;
    std::vector<AuditSwitch> switches;
    std::vector<AuditPath> new_paths;
};

inline constexpr std::string_view kImpacts[] = {"exposure", "outage", "hygiene", "unknown"};
inline constexpr std::string_view kStatuses[] = {"clean", "drifted", "unknown", "not audited"};

// `file_name` is used in error locations.
Result<AuditResult> parse_audit_json(std::string_view text, const std::string& file_name);

}  // namespace microseg::report
