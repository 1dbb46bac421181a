// The one place verify/ calls the nftables emitter: the lab router's ruleset.
#include <algorithm>

#include <fmt/format.h>

#include "emitters/emitter.hpp"
#include "verify/verify.hpp"

namespace microseg::verify {

Switch lab_switch(const Policy& policy, const std::vector<std::string>& classes, const std::string& switch_name) {
    Switch sw;
    if (const Switch* real = policy.find_switch(switch_name)) sw = *real;
    sw.name = switch_name.empty() ? "microseg-lab" : switch_name;
    sw.platform = PlatformId::nftables;
    sw.gateway_for.clear();
    for (const auto& name : classes) {
        const DeviceClass* c = policy.find_class(name);
        if (c && !c->external && c->vlan) sw.gateway_for.push_back(name);
    }
    return sw;
}

Result<std::string> lab_ruleset(const Policy& policy, const std::vector<std::string>& classes,
                                const std::string& switch_name) {
    // The lab router is the only gateway: every other switch stops filtering these classes.
    PolicyParts lab_policy = policy.parts();
    for (auto& sw : lab_policy.switches) sw.gateway_for.clear();
    Switch router = lab_switch(policy, classes, switch_name);
    auto same_name = [&](const Switch& sw) { return sw.name == router.name; };
    auto it = std::find_if(lab_policy.switches.begin(), lab_policy.switches.end(), same_name);
    if (it != lab_policy.switches.end()) *it = router;
    else lab_policy.switches.push_back(router);
    auto emitted = emitter_for(PlatformId::nftables).emit(Policy(std::move(lab_policy)), router);
    if (!emitted) return emitted.error();
    return emitted->text;
}

Result<VerifyResult> verify_policy(const Policy& policy, const VerifyOptions& options) {
    const Switch* named = options.switch_name.empty() ? nullptr : policy.find_switch(options.switch_name);
    if (!options.switch_name.empty() && !named)
        return make_error(fmt::format("no switch named {}", options.switch_name), {}, "verify-usage");
    // A real router: prove the file that ships for it, transit and all.
    if (named && named->platform == PlatformId::nftables) return verify_shipped_router(policy, *named, options);
    auto classes = lab_classes(policy, options.switch_name);
    auto ruleset = lab_ruleset(policy, classes, options.switch_name);
    if (!ruleset) return ruleset.error();
    std::string text = options.edit_ruleset ? options.edit_ruleset(*ruleset) : *ruleset;
    return verify_with_ruleset(policy, classes, text, options);
}

}  // namespace microseg::verify
