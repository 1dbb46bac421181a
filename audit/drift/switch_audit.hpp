#pragma once
// audit/drift/: as-built vs intent. drift.hpp compares a parsed switch with its intent
// (findings with config lines), live_flows.hpp finds the flows a live filter allows beyond the
// intent and the lateral paths they open, drift_router.hpp does both for an nftables router, and
// this file joins them into the audit of one switch and of the network, with its renderers.
// It reads configs through audit/parse/ and never talks to a device.
//
// One switch's audit from its configuration text: redact secrets, parse, diff against intent,
// probe for live-only flows; then, over all switches, the lateral paths the live network opens.
// Shared by `microseg diff` (saved configs) and `microseg audit` (SSH).

#include <string>
#include <string_view>
#include <vector>

#include "audit/drift/drift.hpp"
#include "audit/drift/live_flows.hpp"
#include "audit/parse/keyed_hash.hpp"
#include "model/policy.hpp"

namespace microseg {

enum class SwitchStatus : std::uint8_t {
    clean,        // the live config does what the intent says
    drifted,      // at least one exposure, outage or hygiene finding
    unknown,      // only findings that depend on config microseg could not read
    not_audited,  // no config could be read: never clean, never drift
};
std::string_view to_string(SwitchStatus s);

struct SwitchAuditResult {
    std::string switch_name;
    PlatformId platform = PlatformId::cisco_ios;
    std::string source;  // the file read, or "ssh://address:port"
    SwitchStatus status = SwitchStatus::not_audited;
    std::string not_audited_reason;
    std::string live_header;       // the microseg header line the device carries, if any
    bool carries_current_intent = false;  // that header carries the switch's current content hash
    std::vector<DriftFinding> findings;
    std::vector<ParseWarning> warnings;  // from the redacted text: no secret reaches a report
    std::vector<LiveOnlyFlow> live_only;
    std::vector<std::string> notes;  // from the transport, e.g. a newly recorded host key
};

// Audits one switch from its configuration text (secrets are redacted with `key` before
// anything else reads the text).
SwitchAuditResult audit_switch_config(const Policy& policy, const Switch& sw, std::string_view config,
                                      const HashKey& key, std::string source);
// The same with the per-policy work shared: auditing many switches of one policy, build one
// PolicyProbes and pass it to every audit (also from several threads).
SwitchAuditResult audit_switch_config(const PolicyProbes& probes, const Switch& sw, std::string_view config,
                                      const HashKey& key, std::string source);
SwitchAuditResult not_audited(const Switch& sw, std::string source, std::string reason);

struct AuditReport {
    std::string policy_name;
    std::string policy_version;
    std::vector<SwitchAuditResult> switches;
    std::vector<NewLateralPath> new_paths;  // opened by the live configs together

    // 2 when any switch was not audited or is unknown, else 1 on any drift, else 0.
    int exit_code() const;
};

AuditReport build_audit_report(const Policy& policy, std::vector<SwitchAuditResult> switches);

// Renderers: a text report for people, JSON for tools, SARIF 2.1.0 for code-scanning UIs.
std::string render_text(const AuditReport& report, bool colour);
std::string render_json(const AuditReport& report);
std::string render_sarif(const AuditReport& report);

}  // namespace microseg
