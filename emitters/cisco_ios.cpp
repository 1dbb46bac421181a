// Cisco IOS-XE (Catalyst 9200/9300 access switches): the IOS-style renderer with IOS's own
// notation. Only what is IOS-specific lives here.
#include "emitters/ios_style.hpp"

namespace microseg {
namespace {

// "interface range GigabitEthernet1/0/1 - 36": IOS wants the spaces around the dash.
std::string ios_range_header(const InterfaceRun& run) {
    return fmt::format("interface range {}{} - {}", run.prefix, run.first, run.last);
}

// Port isolation on an access switch: protected ports do not forward unicast, multicast or
// broadcast to other protected ports of the same switch; traffic still reaches the uplink and
// the SVI. (Cisco: "Configuring Protected Ports", `switchport protected` in interface mode.)
// Private VLANs would need a second VLAN id per class, which the policy does not have.
std::vector<std::string> ios_isolation(const AccessPortIntent&) { return {"switchport protected"}; }

const IosDialect kIos{" ", false, false, "ip access-list extended", ios_range_header, ios_isolation,
                      nullptr};

class CiscoIosEmitter final : public Emitter {
public:
    Result<EmittedConfig> emit(const Policy& policy, const Switch& sw) const override {
        return render_ios_style(policy, sw, kIos);
    }
};

}  // namespace

const Emitter& cisco_ios_emitter() {
    static const CiscoIosEmitter e;
    return e;
}

}  // namespace microseg
