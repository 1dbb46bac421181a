#pragma once
// verify/: proves the files that ship with real packets. `microseg verify` is the whole
// network (network_verify.hpp: shipped_files -> network_plan -> network_lab, probes from
// network_probes and dhcp_probe, mismatches explained by explain.cpp, vendor filters emulated
// by emulation.hpp). This file is the older single-router lab (lab.hpp), kept for proving one
// nftables router's file on every pair it decides (router_file.cpp), with the expected
// matrix (expectation.hpp) and the probes (probe.hpp) both labs share. Depends on model/,
// emitters/ (the files it proves), audit/parse/ (reading them back) and audit/drift/ (the
// static check); everything it creates lives in namespaces named with one unique prefix and
// is removed again, also on error and on Ctrl-C.

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

// "expected allow, blocked: workstation -> pacs tcp/443 (flow at file:line:col)".
std::string describe_mismatch(const ProbeOutcome& outcome);

}  // namespace microseg::verify
