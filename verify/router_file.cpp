// The proof of one router's shipped file: the nftables file `compile` writes for a switch, loaded
// unchanged into the lab router, probed on every class pair that router decides. The lab's
// topology does not matter to it: the file matches classes by address only.
#include <algorithm>
#include <set>

#include "emitters/emitter.hpp"
#include "model/acl.hpp"
#include "verify/verify.hpp"

namespace microseg::verify {

bool router_decides(const Policy& policy, const Switch& sw, const DeviceClass& from, const DeviceClass& to) {
    bool from_local = policy.is_local(sw, from), to_local = policy.is_local(sw, to);
    if (!from_local && !to_local) return false;
    // Same-VLAN traffic is bridged, not routed: the router's bridge table judges it only for
    // classes the router itself carries.
    if (same_l2_domain(from, to)) return from_local && to_local;
    return true;
}

std::vector<std::string> classes_crossing(const Policy& policy, const Switch& sw) {
    std::set<std::string> crossing;
    for (const auto& c : policy.classes())
        if (policy.is_local(sw, c)) crossing.insert(c.name);
    for (std::size_t i = 0; i < policy.flows().size(); ++i) {
        const auto& ends = policy.flow_ends(i);
        const DeviceClass& from = policy.classes()[ends.from];
        const DeviceClass& to = policy.classes()[ends.to];
        if (policy.is_local(sw, from) || policy.is_local(sw, to)) crossing.insert({from.name, to.name});
    }
    std::vector<std::string> out;
    for (const auto& name : lab_classes(policy))
        if (crossing.count(name)) out.push_back(name);
    return out;
}

Result<VerifyResult> verify_router_file(const Policy& policy, const Switch& sw, const std::string& ruleset,
                                        const VerifyOptions& options) {
    auto classes = classes_crossing(policy, sw);
    auto matrix = expected_matrix(policy, classes, sample_ports(policy));
    std::erase_if(matrix, [&](const Expectation& e) {
        return !router_decides(policy, sw, *policy.find_class(e.from), *policy.find_class(e.to));
    });
    return verify_matrix(policy, classes, ruleset, matrix, options);
}

Result<VerifyResult> verify_shipped_router(const Policy& policy, const Switch& sw, const VerifyOptions& options) {
    auto emitted = emitter_for(sw.platform).emit(policy, sw);
    if (!emitted) return emitted.error();
    std::string text = options.edit_ruleset ? options.edit_ruleset(emitted->text) : emitted->text;
    return verify_router_file(policy, sw, text, options);
}

}  // namespace microseg::verify
