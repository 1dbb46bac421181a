// The keys that keep the network manageable (issue 19): internal_space and the management
// class. management_vlan and the switch address check live with the switch that names them.
#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"

namespace microseg::compiler {

void read_internal_space(const Reader& r, const Node& value, Build& build) {
    std::vector<Cidr> space;
    bool bad = false;
    for (const Node* item : r.one_or_list(value, "internal_space")) {
        auto text = r.text(*item, "internal_space");
        if (!text) {
            bad = true;
            continue;
        }
        std::string why;
        auto cidr = Cidr::parse(*text, &why);
        if (!cidr) {
            r.error(*item, kinds::bad_cidr, fmt::format("bad internal_space entry '{}': {}", *text, why));
            bad = true;
            continue;
        }
        space.push_back(*cidr);
    }
    if (!bad) build.policy.internal_space = std::move(space);
}

void check_management_classes(const Build& build, Diagnostics& diags) {
    const DeviceClass* first = nullptr;
    std::size_t first_index = 0;
    for (std::size_t i = 0; i < build.policy.classes.size(); ++i) {
        const auto& c = build.policy.classes[i];
        if (!c.management) continue;
        if (!first) {
            first = &c;
            first_index = i;
            continue;
        }
        diags.error(build.class_sites[i].management, kinds::duplicate_management,
                    fmt::format("class '{}' is marked management, but class '{}' already is at {}; a policy has "
                                "one management class",
                                c.name, first->name, where(build.class_sites[first_index].management)));
    }
}

}  // namespace microseg::compiler
