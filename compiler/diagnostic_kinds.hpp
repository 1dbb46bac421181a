#pragma once
// The registry of diagnostic kinds: every `kind` a microseg Diagnostic (model/diagnostic.hpp)
// carries, with its stable id (printed as "[id]", matched by tests and by users' scripts: never
// rename one) and what it means.
//
// Compiler code names its kinds through the constants below (`kinds::bad_cidr`), never through
// literals: a misspelt constant does not compile, and Reader::error takes a DiagnosticKind, not
// text (or relays a model parser's Diagnostic as it is).
// model/, emitters/, audit/, verify/ and report/ build Diagnostics too but cannot depend on
// compiler/ (see CMakeLists.txt), so they write the id as a literal; diagnostic_kinds_test.cpp
// reads every source file and requires each literal kind to be registered here for its folder,
// and each registered kind to be reported where it says.
//
// Not here: why a device was not audited (NotAuditedKind, audit/fetch/config_source.hpp) and what kind
// of drift a finding is (DriftKind, audit/drift/drift.hpp) are not Diagnostics but result values of
// the audit, each an enum with its own names.

#include <span>
#include <string>
#include <string_view>

namespace microseg {

struct DiagnosticKind {
    std::string_view id;           // e.g. "unknown-key": lowercase words joined by '-'
    std::string_view reported_in;  // the folders whose code reports it, e.g. "model compiler"
    std::string_view description;  // one line

    // Diagnostics and make_error take the id as text.
    operator std::string() const { return std::string(id); }
};

// X(constant, "id", "folders", "description"): one line per kind, sorted by id; the constant is
// the id with '-' written '_' (checked at compile time in diagnostic_kinds.cpp).
// clang-format off
#define MICROSEG_DIAGNOSTIC_KINDS(X) \
    X(address_outside_management, "address-outside-management", "compiler", "a switch address outside the subnets of the management class") \
    X(anchor_alias, "anchor-alias", "compiler", "a YAML anchor (&a) or alias (*a): a policy writes every value out") \
    X(bad_address, "bad-address", "compiler", "a gateway_address that is not an IP address") \
    X(bad_audit_json, "bad-audit-json", "report", "a report --audit file that is not what `diff --format json` writes") \
    X(bad_boolean, "bad-boolean", "compiler", "a value that must be exactly true or false") \
    X(bad_cidr, "bad-cidr", "compiler", "a class subnet or internal_space entry that is not a CIDR, or one with host bits set") \
    X(bad_criticality, "bad-criticality", "compiler", "a criticality other than life, high, medium or low") \
    X(bad_date, "bad-date", "compiler", "an expires value that is not a real date YYYY-MM-DD") \
    X(bad_flow_line, "bad-flow-line", "traffic", "a flow file line that cannot be read (field count, address, port, number), skipped") \
    X(bad_gateway_address, "bad-gateway-address", "compiler", "a gateway_address outside its class's subnets") \
    X(bad_include, "bad-include", "compiler", "an include that is not a file name, or a file that cannot be read") \
    X(bad_interface, "bad-interface", "model compiler", "an interface name or range that cannot be expanded") \
    X(bad_junos_style, "bad-junos-style", "compiler", "a junos_style other than els or non-els, or one on a switch that is not junos") \
    X(bad_key, "bad-key", "compiler", "a YAML map key that is a list or a map instead of a name") \
    X(bad_name, "bad-name", "compiler", "a name or text that is not safe to write into a device config") \
    X(bad_number, "bad-number", "compiler", "a value that must be a decimal number within a range") \
    X(bad_port, "bad-port", "model compiler", "a service port or range that does not parse, or no ports at all") \
    X(bad_type, "bad-type", "compiler importers", "a map, list or single value where another shape is expected") \
    X(bad_version, "bad-version", "compiler", "a version other than 1") \
    X(bad_via, "bad-via", "compiler", "a via on an internal class, or naming a switch that is not nftables") \
    X(bad_vlan, "bad-vlan", "compiler", "a trunk VLAN or management_vlan that is not an id from 1 to 4094 (trunks: or a range N-M)") \
    X(binary_input, "binary-input", "compiler", "a NUL byte, a control character or invalid UTF-8 in policy text") \
    X(classes_share_vlans, "classes-share-vlans", "compiler", "more internal classes than VLANs: some share one, unfiltered") \
    X(clear_text, "clear-text", "compiler", "a flow allows a clear-text service whose encrypted twin exists") \
    X(duplicate_definition, "duplicate-definition", "compiler", "a class, service or switch defined twice") \
    X(duplicate_gateway, "duplicate-gateway", "compiler", "a class listed under gateway on two switches") \
    X(duplicate_key, "duplicate-key", "compiler", "a key given twice in one YAML map") \
    X(duplicate_management, "duplicate-management", "compiler", "a second class marked management: true") \
    X(emit, "emit", "model emitters", "a switch its emitter cannot render (IPv6 for IPv4 only, unsafe names)") \
    X(empty_policy, "empty-policy", "compiler", "a policy file with nothing in it") \
    X(entry_to_protected, "entry-to-protected", "compiler", "a flow from an internal entry class to a phi or life class") \
    X(expired_flow, "expired-flow", "compiler", "a flow past its expires date, left out of the policy") \
    X(external_class, "external-class", "compiler", "an external class on a switch port or as a gateway") \
    X(external_to_protected, "external-to-protected", "compiler", "a flow from an external class to a phi or life class") \
    X(external_vlan, "external-vlan", "compiler", "an external class with a vlan") \
    X(external_without_expires, "external-without-expires", "compiler", "a flow from an external class other than the internet with no expires") \
    X(include_cycle, "include-cycle", "compiler", "includes that form a cycle") \
    X(interface_conflict, "interface-conflict", "compiler", "a switch interface given to two classes, or a class and a trunk") \
    X(inventory, "inventory", "audit", "an inventory CSV line that cannot be used (bad MAC, IP or class)") \
    X(inventory_subnet, "inventory-subnet", "audit", "an inventory IP address inside another class's subnet") \
    X(io, "io", "model compiler audit importers traffic", "a file that cannot be read or written, or input over its size limit") \
    X(json_syntax, "json-syntax", "importers", "malformed JSON (MUD, NetBox), at its line and column") \
    X(life_not_isolated, "life-not-isolated", "compiler", "a life-critical class without isolate: true") \
    X(missing_key, "missing-key", "compiler importers", "a required key that is missing") \
    X(missing_version, "missing-version", "compiler", "a policy without 'version: 1'") \
    X(missing_via, "missing-via", "compiler", "an external class used by a flow without via, in a policy with switches") \
    X(missing_vlan, "missing-vlan", "compiler", "an internal class without a vlan") \
    X(mixed_vlan, "mixed-vlan", "compiler", "a VLAN holding a life or high criticality class and an entry class") \
    X(mud_placeholder, "mud-placeholder", "importers", "a MUD peer the map does not name: a placeholder class") \
    X(mud_placeholder_addressing, "mud-placeholder-addressing", "importers", "an imported MUD device class given a placeholder VLAN and subnet") \
    X(mud_structure, "mud-structure", "importers", "a MUD file field missing or of the wrong type, at its JSON path") \
    X(mud_unsupported, "mud-unsupported", "importers", "a MUD access-control entry microseg cannot express, left out") \
    X(multiple_documents, "multiple-documents", "compiler", "a second YAML document (---) in a policy file") \
    X(needs_conntrack, "needs-conntrack", "compiler", "a flow of tftp or active ftp through a gateway without conntrack") \
    X(nesting_too_deep, "nesting-too-deep", "compiler", "YAML nested deeper than the limit") \
    X(no_gateway, "no-gateway", "compiler", "an internal class that no switch filters") \
    X(no_ports, "no-ports", "compiler", "an internal class without a switch port") \
    X(no_services, "no-services", "compiler", "a flow with an empty list of services") \
    X(no_subnets, "no-subnets", "compiler", "a flow from or to a class that has no subnets") \
    X(over_budget, "over-budget", "emitters", "a switch whose ACL needs more entries than its TCAM budget") \
    X(overlapping_subnets, "overlapping-subnets", "compiler", "subnets of two internal classes that overlap") \
    X(redaction_key, "redaction-key", "audit", "a redaction key (MICROSEG_REDACT_KEY, key file) that is unusable") \
    X(shadows_builtin, "shadows-builtin", "compiler", "a policy service named like a built-in service") \
    X(too_large, "too-large", "compiler", "more ports, trunks or interfaces in all switches than the limit") \
    X(too_many_files, "too-many-files", "compiler", "more policy files than the limit") \
    X(too_many_nodes, "too-many-nodes", "compiler", "more YAML nodes in the policy than the limit") \
    X(unknown_class, "unknown-class", "compiler importers", "a class name that no class has") \
    X(unknown_flow_format, "unknown-flow-format", "traffic", "a flow file that is none of Zeek conn.log (TSV, JSON), nfdump CSV, plain CSV") \
    X(unknown_key, "unknown-key", "compiler importers", "a key not allowed where it is written") \
    X(unknown_platform, "unknown-platform", "compiler", "a platform microseg does not know") \
    X(unknown_service, "unknown-service", "compiler", "a service name that is neither defined nor built in") \
    X(unknown_switch, "unknown-switch", "compiler", "a via naming a switch that the policy does not have") \
    X(unused_trunk_vlan, "unused-trunk-vlan", "compiler", "a single trunk VLAN that no class uses") \
    X(verify_lab, "verify-lab", "verify", "a step building the verify lab failed") \
    X(verify_missing_file, "verify-missing-file", "verify", "verify --configs: a switch's file missing or unreadable") \
    X(verify_no_external_address, "verify-no-external-address", "verify", "an external class without an address for its lab host") \
    X(verify_probe, "verify-probe", "verify", "a verify probe or listener that could not be set up") \
    X(verify_subnet_too_small, "verify-subnet-too-small", "verify", "a class subnet without room for two lab hosts") \
    X(verify_usage, "verify-usage", "verify", "verify --switch naming no switch of the policy") \
    X(vlan_conflict, "vlan-conflict", "compiler", "a VLAN claimed by two classes not both shared_vlan: true") \
    X(yaml_syntax, "yaml-syntax", "compiler importers", "a YAML syntax error")
// clang-format on

namespace kinds {
#define MICROSEG_DIAGNOSTIC_KIND_CONSTANT(name, id, in, text) inline constexpr DiagnosticKind name{id, in, text};
MICROSEG_DIAGNOSTIC_KINDS(MICROSEG_DIAGNOSTIC_KIND_CONSTANT)
#undef MICROSEG_DIAGNOSTIC_KIND_CONSTANT
}  // namespace kinds

// Every kind, sorted by id.
std::span<const DiagnosticKind> diagnostic_kinds();

// The kind with this id, or nullptr.
const DiagnosticKind* find_diagnostic_kind(std::string_view id);

}  // namespace microseg
