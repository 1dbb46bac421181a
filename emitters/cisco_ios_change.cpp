// Cisco IOS-XE changes: the IOS-style writer (emitters/ios_style_change.hpp) with IOS notation.
// Every command takes effect as it is typed, so the writer's order is the safety: a new ACL
// under a versioned name, one `ip access-group` swap per SVI, the old ACL deleted last.
#include "emitters/ios_style_change.hpp"

namespace microseg {
namespace {

class CiscoIosChangeWriter final : public ChangeWriter {
public:
    SwitchIntent in_device_names(const SwitchIntent& intent, const Switch&) const override {
        return ios_style_device_names(intent);
    }
    ChangeForm write(const ChangeRequest& request) const override {
        static const IosChangeDialect dialect{{" ", false, false, "ip access-list extended", nullptr, nullptr},
                                              /*eos=*/false, /*protected_ports=*/true};
        return write_ios_style_change(request, dialect);
    }
};

}  // namespace

const ChangeWriter& cisco_ios_change_writer() {
    static const CiscoIosChangeWriter w;
    return w;
}

}  // namespace microseg
