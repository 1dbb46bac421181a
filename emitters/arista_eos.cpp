// Arista EOS: the IOS-style renderer with EOS's notation (prefix lengths, numbered ACL lines,
// "interface Ethernet1-24" ranges, three-space indent as `show running-config` prints it).
// Only what differs from IOS lives here, as in Aerleon's Arista generator.
#include "emitters/ios_style.hpp"
#include "model/isolation_acl.hpp"

namespace microseg {
namespace {

std::string eos_range_header(const InterfaceRun& run) {
    return fmt::format("interface {}{}-{}", run.prefix, run.first, run.last);
}

// Port isolation: EOS's private VLANs ("private-vlan isolated primary vlan N" under a second
// VLAN) need a secondary VLAN id the policy does not have, and EOS has no IOS-style protected
// ports. The mechanism is the one of every platform (model/isolation_acl.hpp): an ingress IPv4
// ACL on the switchport ("ip access-group NAME in" on Ethernet interfaces, EOS manual, Access
// Control Lists).
std::vector<std::string> eos_isolation(const AccessPortIntent& port) {
    return {fmt::format("ip access-group {} in", ios_acl_name(isolation_acl_name(port.device_class)))};
}

const IosDialect kEos{"   ", true, true, "ip access-list", eos_range_header, eos_isolation};

class AristaEosEmitter final : public Emitter {
public:
    Result<EmittedConfig> emit(const Policy& policy, const Switch& sw) const override {
        return render_ios_style(policy, sw, kEos);
    }
};

}  // namespace

const Emitter& arista_eos_emitter() {
    static const AristaEosEmitter e;
    return e;
}

}  // namespace microseg
