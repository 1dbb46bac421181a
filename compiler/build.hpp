#pragma once
// Syntax trees -> model::Policy. Each section has its own file (build_services.cpp,
// build_classes.cpp, build_flows.cpp, build_switches.cpp); checks.cpp and lint.cpp run over
// the result. Build keeps what the checks need beyond the model: where values were written.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/compiler.hpp"
#include "compiler/loader.hpp"
#include "compiler/reader.hpp"
#include "model/policy.hpp"

namespace microseg::compiler {

// A key: value pair of a section map, or an item of a section list, with its file.
struct SectionEntry {
    const Tree* tree;
    const Node* key;    // nullptr for list items
    const Node* value;
};

struct Sections {
    std::vector<SectionEntry> services, classes, flows, switches;
};

// Where a class's values were written, for errors found after the class was built.
struct ClassSites {
    SourceLocation vlan;
    std::vector<SourceLocation> subnets;  // parallel to DeviceClass::subnets
    SourceLocation management;            // of `management: true`, if written
    std::vector<SourceLocation> via;      // parallel to DeviceClass::via
};

struct Build {
    PolicyParts policy;  // not indexed: the compiler makes a Policy of it once it has no errors
    std::unordered_map<std::string, std::size_t> class_index;  // name -> policy.classes index
    std::vector<ClassSites> class_sites;                        // parallel to policy.classes
    std::unordered_set<std::string> service_names;
    std::unordered_set<std::string> classes_with_ports;
    std::vector<std::string_view> class_names;    // did-you-mean candidates
    std::vector<std::string_view> service_list;   // did-you-mean candidates

    const DeviceClass* find_class(const std::string& name) const {
        auto it = class_index.find(name);
        return it == class_index.end() ? nullptr : &policy.classes[it->second];
    }
    const Service* find_service(std::string_view name) const {  // policy.services is sorted by name
        auto it = std::lower_bound(policy.services.begin(), policy.services.end(), name,
                                   [](const Service& s, std::string_view n) { return s.name < n; });
        return it == policy.services.end() || it->name != name ? nullptr : &*it;
    }
};

// Top-level keys of every file; fills `sections`. Reports version, name and key errors.
void read_top_level(const LoadedFiles& files, Build& build, Sections& sections, Diagnostics& diags);
void build_services(const Sections& sections, Build& build, Diagnostics& diags);
void build_classes(const Sections& sections, Build& build, Diagnostics& diags);
void build_flows(const Sections& sections, Build& build, Diagnostics& diags);
void build_switches(const Sections& sections, Build& build, Diagnostics& diags);
// The top-level internal_space (build_management.cpp).
void read_internal_space(const Reader& r, const Node& value, Build& build);
// At most one management class (build_management.cpp).
void check_management_classes(const Build& build, Diagnostics& diags);

// `expires: D` holds through day D (UTC): a flow with D < today is removed, with one
// expired-flow warning per flow item.
void drop_expired_flows(Build& build, std::chrono::year_month_day today, Diagnostics& diags);
// "YYYY-MM-DD".
std::string format_day(std::chrono::year_month_day day);

// Whole-policy rules: VLAN conflicts, overlapping subnets, gateways.
void run_checks(const Build& build, Diagnostics& diags);
// Warnings that never fail a check.
// Runs after drop_expired_flows: an expired flow is not linted.
void run_lint(const Build& build, Diagnostics& diags);

// "file:line:col", for messages that point at a second place.
std::string where(const SourceLocation& loc);

}  // namespace microseg::compiler
