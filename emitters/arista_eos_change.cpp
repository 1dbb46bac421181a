// Arista EOS changes: the IOS-style writer (emitters/ios_style_change.hpp) with EOS notation,
// inside one `configure session` committed with `commit timer` (two states, old and new, and a
// window in which the switch rolls back by itself unless the session is confirmed). ACLs are
// replaced in place there: re-typing numbered entries over an existing ACL is refused.
#include "emitters/ios_style_change.hpp"

namespace microseg {
namespace {

class AristaEosChangeWriter final : public ChangeWriter {
public:
    SwitchIntent in_device_names(const SwitchIntent& intent, const Switch&) const override {
        return ios_style_device_names(intent);
    }
    ChangeForm write(const ChangeRequest& request) const override {
        static const IosChangeDialect dialect{{"   ", true, true, "ip access-list", nullptr, nullptr},
                                              /*eos=*/true, /*protected_ports=*/false};
        return write_ios_style_change(request, dialect);
    }
};

}  // namespace

const ChangeWriter& arista_eos_change_writer() {
    static const AristaEosChangeWriter w;
    return w;
}

}  // namespace microseg
