#pragma once
// verify/: proves the nftables output with real packets. It owns the lab (a policy built as
// network namespaces, bridges and veths: lab.hpp), the probes (listeners and TCP/UDP probes
// inside those namespaces: probe.hpp), the model's expected reachability matrix
// (expectation.hpp), the comparison of the two (this file) and a vendor switch's filters as
// nftables (emulation.hpp). Depends on model/, emitters/ (for the nftables ruleset it loads)
// and audit/parse/ (the vendor configs it emulates); everything it creates lives in namespaces
// named with one unique prefix and is removed again, also on error and on Ctrl-C.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"
#include "verify/expectation.hpp"
#include "verify/lab.hpp"
#include "verify/probe.hpp"

namespace microseg::verify {

struct VerifyOptions {
    std::string switch_name;     // restrict the lab to the classes whose gateway is this switch
    bool keep = false;           // leave the lab up; VerifyResult::kept_lab says how to enter it
    ProbeOptions probe;
    // Applied to the emitted ruleset before it is loaded (tests break a rule with it).
    std::function<std::string(const std::string&)> edit_ruleset;
};

struct ProbeOutcome {
    Expectation expected;
    bool passed = false;
    bool mismatch() const { return passed != expected.allow; }
};

struct VerifyResult {
    std::string lab_prefix;
    std::size_t classes = 0;
    std::size_t hosts = 0;
    std::vector<ProbeOutcome> outcomes;    // every probe, in matrix order
    std::vector<ProbeOutcome> mismatches;  // the outcomes that disagree with the model
    std::size_t passed = 0;                // probes that came through
    std::chrono::milliseconds build_time{0};
    std::chrono::milliseconds probe_time{0};
    std::chrono::milliseconds total_time{0};
    std::string kept_lab;                  // with --keep: how to enter and remove the lab
    bool clean() const { return mismatches.empty(); }
};

// The switch the lab router plays: `switch_name` (or "microseg-lab") as an nftables gateway for every
// internal class in `classes`.
Switch lab_switch(const Policy& policy, const std::vector<std::string>& classes, const std::string& switch_name);

// The nftables emitter's ruleset for the lab router.
Result<std::string> lab_ruleset(const Policy& policy, const std::vector<std::string>& classes,
                                const std::string& switch_name);

// Builds the lab for `classes`, loads `ruleset`, probes the expected matrix and compares.
Result<VerifyResult> verify_with_ruleset(const Policy& policy, const std::vector<std::string>& classes,
                                         const std::string& ruleset, const VerifyOptions& options);

// Builds the lab for `classes`, loads `ruleset` and probes exactly `matrix` (a subset of the
// expected matrix of those classes).
Result<VerifyResult> verify_matrix(const Policy& policy, const std::vector<std::string>& classes,
                                   const std::string& ruleset, const std::vector<Expectation>& matrix,
                                   const VerifyOptions& options);

// One router's shipped file (router_file.cpp). A router `sw` decides the pairs it filters
// (DESIGN "Topology"): a pair with an end local to it (a gateway class, or an external class
// entering `via` it), except a same-VLAN pair of a class it does not bridge.
bool router_decides(const Policy& policy, const Switch& sw, const DeviceClass& from, const DeviceClass& to);
// The lab classes whose traffic crosses `sw`: its local classes and every class with a flow
// to or from one of them.
std::vector<std::string> classes_crossing(const Policy& policy, const Switch& sw);
// Loads `ruleset` (the file compile writes for `sw`, unchanged) into a lab of classes_crossing
// and probes every pair sw decides against the model.
Result<VerifyResult> verify_router_file(const Policy& policy, const Switch& sw, const std::string& ruleset,
                                        const VerifyOptions& options);

// verify_router_file on the file `compile` writes for nftables switch `sw` (through edit_ruleset).
Result<VerifyResult> verify_shipped_router(const Policy& policy, const Switch& sw, const VerifyOptions& options);

// The whole command. `switch_name` naming an nftables switch: verify_shipped_router. Otherwise
// lab classes, the lab router's own emitted ruleset (through edit_ruleset), verify_with_ruleset.
Result<VerifyResult> verify_policy(const Policy& policy, const VerifyOptions& options);

// "expected allow, blocked: workstation -> pacs tcp/443 (flow at file:line:col)".
std::string describe_mismatch(const ProbeOutcome& outcome);

}  // namespace microseg::verify
