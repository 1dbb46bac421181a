#include "emitters/emitter.hpp"

#include <algorithm>
#include <stdexcept>

#include "emitters/safe_names.hpp"

namespace microseg {

// Each defined in its emitters/<platform>.cpp.
const Emitter& cisco_ios_emitter();
const Emitter& arista_eos_emitter();
const Emitter& junos_emitter();
const Emitter& nftables_emitter();

namespace {

struct Registration {
    PlatformId platform;
    const Emitter& (*get)();
};

// The one registry: a platform added to model/platform.cpp needs a line here (the test
// "every platform has an emitter" fails until it has one).
const Registration kRegistry[] = {
    {PlatformId::cisco_ios, cisco_ios_emitter},
    {PlatformId::arista_eos, arista_eos_emitter},
    {PlatformId::junos, junos_emitter},
    {PlatformId::nftables, nftables_emitter},
};

}  // namespace

const Emitter& emitter_for(PlatformId platform) {
    for (const auto& r : kRegistry)
        if (r.platform == platform) return r.get();
    throw std::logic_error("platform without an emitter");
}

std::string header_line(const Policy& policy, const Switch& sw) {
    return fmt::format("{} microseg policy {} version {} switch {}",
                       sw.platform_info().comment_prefix, safe_comment(policy.name(), 64),
                       safe_comment(policy.version_hash(), 80), safe_comment(sw.name, 64));
}

bool is_microseg_header(std::string_view first_line) {
    return first_line.starts_with("! microseg ") || first_line.starts_with("# microseg ");
}

std::string config_file_name(const Switch& sw) {
    // A switch name reaches the file system: no '/', no leading dot, nothing unprintable.
    static const NameRules file_rules{"", 80, "_-", false, false, {}};
    return fmt::format("{}.{}", safe_identifier(sw.name, file_rules), sw.platform_info().extension);
}

Result<SwitchIntent> checked_intent(const Policy& policy, const Switch& sw, bool ipv4_only) {
    auto intent = switch_intent(policy, sw);
    if (!intent) return intent.error();
    auto fail = [&](std::string what) {
        return make_error(fmt::format("switch '{}': {}", safe_comment(sw.name, 64), what), sw.location, "emit");
    };
    if (auto v6 = intent->first_ipv6(); v6 && ipv4_only)
        return fail(fmt::format("{} is IPv6; the {} emitter writes IPv4 filters only", v6->str(),
                                sw.platform_info().name));
    for (const auto& p : intent->access_ports)
        if (!is_safe_interface_name(p.interface))
            return fail(fmt::format("unsafe interface name '{}'", safe_comment(p.interface, 64)));
    for (const auto& t : intent->trunks)
        if (!is_safe_interface_name(t.interface))
            return fail(fmt::format("unsafe interface name '{}'", safe_comment(t.interface, 64)));
    return intent;
}

Result<EmittedConfig> within_budget(const Switch& sw, EmittedConfig config) {
    auto budget = static_cast<std::size_t>(std::max(sw.ace_budget(), 0));
    if (config.ace_count > budget) {
        return make_error(fmt::format("switch '{}' needs {} ACL entries, over its budget of {} "
                                      "({}; raise tcam_budget only if the hardware holds more)",
                                      safe_comment(sw.name, 64), config.ace_count, budget,
                                      sw.tcam_budget ? "tcam_budget" : "platform default"),
                          sw.location, "over-budget");
    }
    return config;
}

}  // namespace microseg
