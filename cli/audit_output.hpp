#pragma once
// What `microseg diff` (saved configs) and `microseg audit` (live over SSH) share: choosing
// switches with `--switch`, the redaction key, and printing the drift report in the format of
// `--format text|json|sarif`.

#include <optional>
#include <string>
#include <vector>

#include "audit/drift/switch_audit.hpp"
#include "audit/parse/keyed_hash.hpp"
#include "model/policy.hpp"

namespace microseg::cli {

// The policy's switches named in `names`, in policy order; every switch when `names` is empty.
// Prints an error naming the first unknown switch (with the policy path) and returns nothing.
std::optional<std::vector<const Switch*>> select_switches(const Policy& policy, const std::vector<std::string>& names,
                                                          const std::string& policy_path);

// The redaction key (MICROSEG_REDACT_KEY or the key file), or nothing after printing why.
std::optional<HashKey> redaction_key_or_error();

// Prints the report to stdout in `format` (text in colour only on a terminal).
void print_audit_report(const AuditReport& report, const std::string& format);

}  // namespace microseg::cli
