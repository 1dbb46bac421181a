// Cisco IOS-XE (Catalyst 9200/9300 access switches): the IOS-style renderer with IOS's own
// notation. Only what is IOS-specific lives here.
#include "emitters/ios_style.hpp"
#include "model/isolation_acl.hpp"

namespace microseg {
namespace {

// "interface range GigabitEthernet1/0/1 - 36": IOS wants the spaces around the dash.
std::string ios_range_header(const InterfaceRun& run) {
    return fmt::format("interface range {}{} - {}", run.prefix, run.first, run.last);
}

// Port isolation (model/isolation_acl.hpp): the isolation ACL as an input port ACL on the
// switchport, which Catalyst 9200/9300 accept in the inbound direction only ("ip access-group
// NAME in" on a Layer 2 interface; it filters IP only, and PACLs ignore the `log` keyword).
// `switchport protected` stays as an extra: it stops non-IP and ARP between the protected
// ports of this one switch, but protected ports still reach every other switch's ports, so
// nothing relies on it.
std::vector<std::string> ios_isolation(const AccessPortIntent& port) {
    return {"switchport protected", fmt::format("ip access-group {} in", ios_acl_name(isolation_acl_name(port.device_class)))};
}

const IosDialect kIos{" ", false, false, "ip access-list extended", ios_range_header, ios_isolation};

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
