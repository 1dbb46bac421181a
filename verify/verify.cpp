#include "verify/verify.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace microseg::verify {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// The probe for an expectation: from the source class's first host to the destination
// class's first host, or to its second host when a class probes itself.
Probe probe_for(const LabPlan& plan, const Expectation& e) {
    const LabHost* src = plan.host(e.from, 0);
    const LabHost* dst = plan.host(e.to, e.from == e.to ? 1 : 0);
    return {src->netns, dst->netns, dst->address, e.port};
}

// Probes in an order that spreads every burst over all hosts (port by port, not class by
// class), so no single host's neighbour queue overflows while ARP resolves; results come
// back in matrix order.
Result<std::vector<bool>> probe_interleaved(const std::vector<Probe>& probes, const ProbeOptions& options) {
    std::vector<std::size_t> order(probes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return probes[a].port < probes[b].port; });
    std::vector<Probe> sorted;
    sorted.reserve(probes.size());
    for (auto i : order) sorted.push_back(probes[i]);
    auto results = run_probes(sorted, options);
    if (!results) return results.error();
    std::vector<bool> out(probes.size());
    for (std::size_t k = 0; k < order.size(); ++k) out[order[k]] = (*results)[k];
    return out;
}

std::vector<ProbeOutcome> compare(const std::vector<Expectation>& matrix, const std::vector<bool>& passed) {
    std::vector<ProbeOutcome> out;
    out.reserve(matrix.size());
    for (std::size_t i = 0; i < matrix.size(); ++i) out.push_back({matrix[i], passed[i]});
    return out;
}

// Probes that should have passed but did not are tried once more, so that one lost packet
// is not reported as a blocked flow. A packet that passed is never retried.
Result<bool> confirm_blocked(const std::vector<Probe>& probes, std::vector<ProbeOutcome>& outcomes,
                             const ProbeOptions& options) {
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        if (outcomes[i].expected.allow && !outcomes[i].passed) again.push_back(i);
    if (again.empty()) return true;
    std::vector<Probe> retry;
    for (auto i : again) retry.push_back(probes[i]);
    auto results = run_probes(retry, options);
    if (!results) return results.error();
    for (std::size_t k = 0; k < again.size(); ++k) outcomes[again[k]].passed = (*results)[k];
    return true;
}

void summarise(VerifyResult& result) {
    for (const auto& o : result.outcomes) {
        if (o.passed) ++result.passed;
        if (o.mismatch()) result.mismatches.push_back(o);
    }
}

}  // namespace

Result<VerifyResult> verify_with_ruleset(const Policy& policy, const std::vector<std::string>& classes,
                                         const std::string& ruleset, const VerifyOptions& options) {
    return verify_matrix(policy, classes, ruleset, expected_matrix(policy, classes, sample_ports(policy)), options);
}

Result<VerifyResult> verify_matrix(const Policy& policy, const std::vector<std::string>& classes,
                                   const std::string& ruleset, const std::vector<Expectation>& matrix,
                                   const VerifyOptions& options) {
    auto start = Clock::now();
    auto plan = plan_lab(policy, classes, make_lab_prefix());
    if (!plan) return plan.error();
    VerifyResult result;
    result.lab_prefix = plan->prefix;
    result.classes = plan->classes.size();
    result.hosts = plan->hosts.size();
    Lab lab(std::move(plan.value()));
    if (auto ok = lab.build(); !ok) return ok.error();
    if (auto ok = lab.load_ruleset(ruleset); !ok) return ok.error();
    result.build_time = since(start);

    auto probing = Clock::now();
    std::vector<Probe> probes;
    probes.reserve(matrix.size());
    for (const auto& e : matrix) probes.push_back(probe_for(lab.plan(), e));
    auto passed = probe_interleaved(probes, options.probe);
    if (!passed) return passed.error();
    result.outcomes = compare(matrix, *passed);
    if (auto ok = confirm_blocked(probes, result.outcomes, options.probe); !ok) return ok.error();
    result.probe_time = since(probing);

    summarise(result);
    if (options.keep) {
        lab.keep();
        result.kept_lab = lab.how_to_enter();
    }
    lab.teardown();
    result.total_time = since(start);
    return result;
}

std::string describe_mismatch(const ProbeOutcome& o) {
    const Expectation& e = o.expected;
    std::string why;
    if (e.because == Because::flow) why = fmt::format(" (flow at {})", e.flow);
    else if (e.because != Because::nothing) why = fmt::format(" ({})", to_string(e.because));
    return fmt::format("expected {}, {}: {} -> {} {}{}", e.allow ? "allow" : "deny",
                       o.passed ? "passed" : "blocked", e.from, e.to, e.port, why);
}

}  // namespace microseg::verify
