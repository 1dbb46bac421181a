#pragma once
// What the drift audit of every switch of one policy shares, computed once per policy: each
// class's representative address (the probes of live_flows.hpp) and, for routers, each class's
// source space (drift_router.hpp). `microseg diff --dir` audits thousands of switches against
// one policy; computing these per switch cost a third of its time on the L network. Each part
// is built on first use, under a once_flag (a diff that audits nothing pays nothing), and only
// read after that, so audits on several threads share one PolicyProbes.

#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "model/policy.hpp"

namespace microseg {

// Each class's representative address (live_flows.hpp), and the same sorted by address, to
// find the classes an entry's destination holds.
struct Representatives {
    std::vector<std::optional<IpAddress>> of_class;
    std::vector<std::pair<IpAddress, std::size_t>> by_address;
};

// The addresses a router judges as one class: its prefixes, minus the more specific prefixes
// of other classes inside them (those go to their own class first).
struct SourceSpace {
    std::vector<Cidr> prefixes;
    std::vector<Cidr> carved_out;
};

class PolicyProbes {
public:
    explicit PolicyProbes(const Policy& policy);
    PolicyProbes(const PolicyProbes&) = delete;
    PolicyProbes& operator=(const PolicyProbes&) = delete;

    const Policy& policy() const { return policy_; }
    const Representatives& representatives() const;
    // Indexed like policy().classes().
    const std::vector<SourceSpace>& source_spaces() const;

private:
    const Policy& policy_;
    mutable std::once_flag reps_once_;
    mutable Representatives reps_;
    mutable std::once_flag spaces_once_;
    mutable std::vector<SourceSpace> spaces_;
};

// The straightforward computations, one class at a time (PolicyProbes holds them for all).
std::optional<IpAddress> representative(const Policy& policy, const DeviceClass& cls);
SourceSpace source_space(const Policy& policy, const DeviceClass& cls);

}  // namespace microseg
