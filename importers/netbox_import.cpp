// Placing NetBox's objects in a policy: devices become classes (through the map's tags and
// roles) or switches (switch roles, mapped platform); prefixes and VLANs give each class its
// VLAN and subnets; switch interfaces give access ports and trunks. Whatever finds no place
// is listed with its NetBox id, because a skeleton that silently drops a device is worse than
// one that asks.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "importers/netbox_records.hpp"
#include "model/naming.hpp"
#include "model/platform.hpp"

namespace microseg::importers {
namespace {

struct ClassBuild {
    ImportedClass cls;
    std::vector<const NbDevice*> members;
};

struct SwitchBuild {
    ImportedSwitch sw;
    const NbDevice* device = nullptr;
    std::set<std::string> interfaces;  // names already placed
};

// The microseg platform of a NetBox platform slug; "" when none. The map wins; then the slugs
// NetBox users commonly give these platforms, and microseg's own names.
std::string platform_for(const NetboxMap& map, const std::string& slug) {
    if (auto it = map.platforms.find(slug); it != map.platforms.end()) return it->second;
    static const std::map<std::string, std::string> common = {
        {"ios", "cisco-ios"},   {"ios-xe", "cisco-ios"}, {"iosxe", "cisco-ios"}, {"cisco-ios-xe", "cisco-ios"},
        {"eos", "arista-eos"},  {"junos", "junos"},      {"juniper-junos", "junos"}};
    if (auto it = common.find(slug); it != common.end()) return it->second;
    return find_platform(slug) ? slug : std::string();
}

// The digits a virtual interface's name ends with ("Vlan110", "vlan.110", "irb.110"), or 0.
int svi_vid(const NbInterface& n) {
    if (n.type != "virtual") return 0;
    std::size_t i = n.name.size();
    while (i > 0 && n.name[i - 1] >= '0' && n.name[i - 1] <= '9') --i;
    if (i == n.name.size() || n.name.size() - i > 4) return 0;
    return std::stoi(n.name.substr(i));
}

class Placer {
public:
    Placer(const NetboxRecords& r, const NetboxMap& m) : r_(r), map_(m) {}

    NetboxImport run() {
        place_devices();
        place_vlans();
        place_interfaces();
        choose_gateways();
        return finish();
    }

private:
    void unplaced(std::string object, long long id, std::string name, std::string reason) {
        out_.unplaced.push_back({std::move(object), id, std::move(name), std::move(reason)});
    }

    bool is_switch(const NbDevice& d) const {
        return map_.has_switch_roles ? map_.switch_roles.count(d.role) > 0 : d.role.find("switch") != std::string::npos;
    }

    // The class a device's tags or role name; "" when the map names none.
    std::string class_of_device(const NbDevice& d) const {
        for (const auto& tag : d.tags)
            if (auto it = map_.tags.find(tag); it != map_.tags.end()) return sanitise_name(it->second);
        if (auto it = map_.roles.find(d.role); it != map_.roles.end()) return sanitise_name(it->second);
        return map_.has_roles ? std::string() : sanitise_name(d.role);
    }

    // The existing class a prefix's or VLAN's role and tags name, or "".
    std::string class_of_slugs(const std::string& role, const std::vector<std::string>& tags) const {
        auto known = [this](const std::string& name) { return classes_.count(name) ? name : std::string(); };
        for (const auto& tag : tags) {
            auto it = map_.tags.find(tag);
            if (auto c = known(it != map_.tags.end() ? sanitise_name(it->second) : sanitise_name(tag)); !c.empty()) return c;
        }
        if (role.empty()) return {};
        auto it = map_.roles.find(role);
        return known(it != map_.roles.end() ? sanitise_name(it->second) : sanitise_name(role));
    }

    void place_devices() {
        for (const auto& d : r_.devices) {
            if (is_switch(d)) {
                add_switch(d);
                continue;
            }
            std::string cls = class_of_device(d);
            if (cls.empty()) {
                unplaced("device", d.id, d.name,
                         fmt::format("role {} and tags are not in the map (roles:, tags:)", d.role));
                continue;
            }
            auto& build = classes_[cls];
            build.cls.name = cls;
            build.members.push_back(&d);
        }
    }

    void add_switch(const NbDevice& d) {
        std::string platform = platform_for(map_, d.platform);
        std::string name = sanitise_name(d.name);
        if (platform.empty()) {
            unplaced("device", d.id, d.name,
                     fmt::format("switch with platform {} that maps to no microseg platform (platforms:)", d.platform));
        } else if (name.empty() || std::any_of(switches_.begin(), switches_.end(), [&](const auto& s) { return s.sw.name == name; })) {
            unplaced("device", d.id, d.name, "switch whose name is empty or the same as another once sanitised");
        } else {
            switches_.push_back({ImportedSwitch{name, platform, {}, {}, {}}, &d, {}});
        }
    }

    // A class's VLAN from a prefix that names it, else from a VLAN that names it (role, tags or
    // name); then every prefix joins the class its role/tags or its VLAN name.
    void place_vlans() {
        for (const auto& p : r_.prefixes) {
            std::string cls = class_of_slugs(p.role, p.tags);
            if (!cls.empty() && p.vlan && classes_[cls].cls.vlan == 0) classes_[cls].cls.vlan = p.vlan->vid;
        }
        for (auto& [name, build] : classes_) {
            for (const auto& v : r_.vlans) {
                if (build.cls.vlan != 0) break;
                if (class_of_slugs(v.role, v.tags) == name || sanitise_name(v.name) == name) build.cls.vlan = v.vid;
            }
        }
        drop_classes_without_vlan();
        for (const auto& [name, build] : classes_) vlan_classes_[build.cls.vlan].push_back(name);
        for (const auto& p : r_.prefixes) place_prefix(p);
        for (const auto& v : r_.vlans)
            if (!vlan_classes_.count(v.vid))
                unplaced("vlan", v.id, v.name, fmt::format("VLAN {}: its name, role and prefixes name no class", v.vid));
    }

    void drop_classes_without_vlan() {
        for (auto it = classes_.begin(); it != classes_.end();) {
            if (it->second.cls.vlan != 0) {
                ++it;
                continue;
            }
            for (const NbDevice* d : it->second.members)
                unplaced("device", d->id, d->name,
                         fmt::format("class {} has no VLAN: no prefix with a VLAN and no VLAN names it", it->first));
            it = classes_.erase(it);
        }
    }

    void place_prefix(const NbPrefix& p) {
        std::string cls = class_of_slugs(p.role, p.tags);
        std::string why = p.vlan ? fmt::format("its VLAN {} and its role and tags name no class", p.vlan->vid)
                                 : std::string("no VLAN, and its role and tags name no class");
        if (cls.empty() && p.vlan) cls = class_of_vlan(p.vlan->vid, why);
        if (cls.empty()) return unplaced("prefix", p.id, p.prefix, why);
        auto& c = classes_[cls].cls;
        if (p.vlan && p.vlan->vid != c.vlan) {
            unplaced("prefix", p.id, p.prefix,
                     fmt::format("names class {} (VLAN {}) but is in VLAN {}", cls, c.vlan, p.vlan->vid));
            return;
        }
        c.subnets.push_back(p.prefix);
    }

    // The one class in VLAN `vid`; "" and `why` when there is none, or several to choose from.
    std::string class_of_vlan(int vid, std::string& why) const {
        auto it = vlan_classes_.find(vid);
        if (it == vlan_classes_.end()) return {};
        if (it->second.size() == 1) return it->second.front();
        why = fmt::format("VLAN {} is shared by {}: give it a role or tag that names one", vid, fmt::join(it->second, ", "));
        return {};
    }

    SwitchBuild* switch_of(long long device_id) {
        for (auto& s : switches_)
            if (s.device->id == device_id) return &s;
        return nullptr;
    }

    void place_interfaces() {
        for (const auto& n : r_.interfaces) {
            SwitchBuild* s = switch_of(n.device_id);
            if (!s) continue;  // an end device's NIC, or a switch already listed as unplaced
            std::string label = fmt::format("{} {}", n.device_name, n.name);
            if (int vid = svi_vid(n); vid != 0) svis_.emplace(vid, s->sw.name);
            if (n.mode.empty()) continue;
            if (!is_safe_interface_name(n.name) || s->interfaces.count(n.name)) {
                unplaced("interface", n.id, label, "a name the policy cannot hold, or given twice");
            } else if (n.mode == "access") {
                place_access_port(*s, n, label);
            } else if (n.mode == "tagged" || n.mode == "tagged-all") {
                place_trunk(*s, n, label);
            } else {
                unplaced("interface", n.id, label, fmt::format("mode {} is neither access nor tagged", n.mode));
            }
        }
    }

    void place_access_port(SwitchBuild& s, const NbInterface& n, const std::string& label) {
        if (!n.untagged_vid) return unplaced("interface", n.id, label, "access port without an untagged VLAN");
        std::string why = fmt::format("access port in VLAN {}, which is of no class", *n.untagged_vid);
        std::string cls = class_of_vlan(*n.untagged_vid, why);
        if (cls.empty()) return unplaced("interface", n.id, label, why);
        s.sw.ports.emplace_back(n.name, cls);
        s.interfaces.insert(n.name);
        access_.emplace(*n.untagged_vid, s.sw.name);  // the first switch with a port in it
    }

    void place_trunk(SwitchBuild& s, const NbInterface& n, const std::string& label) {
        std::set<int> vids(n.tagged_vids.begin(), n.tagged_vids.end());
        if (n.mode == "tagged-all")
            for (const auto& [vid, names] : vlan_classes_) vids.insert(vid);
        std::erase_if(vids, [](int v) { return v < 1 || v > 4094; });
        if (vids.empty()) return unplaced("interface", n.id, label, "trunk with no tagged VLANs");
        s.sw.trunks.emplace_back(n.name, std::vector<int>(vids.begin(), vids.end()));
        s.interfaces.insert(n.name);
    }

    // Keep it simple: the switch the map names, else the one with the VLAN's SVI, else the
    // first with an access port in it. The note says which, for the person who reviews it.
    void choose_gateways() {
        for (auto& [name, build] : classes_) {
            std::string chosen = gateway_for(name, build.cls);
            for (auto& s : switches_)
                if (s.sw.name == chosen) s.sw.gateway.push_back(name);
        }
    }

    std::string gateway_for(const std::string& name, ImportedClass& c) {
        if (auto named = map_.gateways.find(name); named != map_.gateways.end()) {
            if (has_switch(sanitise_name(named->second))) {
                c.gateway_note = "gateway named by the map";
                return sanitise_name(named->second);
            }
            unplaced("gateway", 0, name,
                     fmt::format("the map names {} as its gateway, which is no switch of the import", named->second));
        }
        if (auto svi = svis_.find(c.vlan); svi != svis_.end()) {
            c.gateway_note = fmt::format("gateway: the switch with an SVI in VLAN {}; check it routes", c.vlan);
            return svi->second;
        }
        if (auto port = access_.find(c.vlan); port != access_.end()) {
            c.gateway_note = fmt::format("gateway: first switch with a port in VLAN {}; check it routes", c.vlan);
            return port->second;
        }
        return {};
    }

    long long vlan_id(int vid) const {
        for (const auto& v : r_.vlans)
            if (v.vid == vid) return v.id;
        return 0;
    }

    bool has_switch(const std::string& name) const {
        return std::any_of(switches_.begin(), switches_.end(), [&](const auto& s) { return s.sw.name == name; });
    }

    NetboxImport finish() {
        std::map<int, int> per_vlan;
        for (const auto& [name, build] : classes_) ++per_vlan[build.cls.vlan];
        for (auto& [name, build] : classes_) {
            build.cls.devices = static_cast<int>(build.members.size());
            build.cls.shared_vlan = per_vlan[build.cls.vlan] > 1;
            if (build.cls.subnets.empty())
                unplaced("vlan", vlan_id(build.cls.vlan), name, fmt::format("class {}: VLAN {} has no prefix, so the class has no subnets",
                                                      name, build.cls.vlan));
            out_.classes.push_back(std::move(build.cls));
        }
        for (auto& s : switches_) out_.switches.push_back(std::move(s.sw));
        out_.notes = r_.notes;
        return std::move(out_);
    }

    const NetboxRecords& r_;
    const NetboxMap& map_;
    std::map<std::string, ClassBuild> classes_;  // by name: the policy lists them sorted
    std::vector<SwitchBuild> switches_;          // in NetBox's order
    std::map<int, std::vector<std::string>> vlan_classes_;  // VLAN id -> its classes
    std::map<int, std::string> svis_;            // VLAN id -> first switch with an SVI in it
    std::map<int, std::string> access_;          // VLAN id -> first switch with an access port
    NetboxImport out_;
};

}  // namespace

Result<NetboxImport> import_netbox(const NetboxFiles& files, const NetboxMap& map) {
    auto records = read_netbox_records(files);
    if (!records) return records.error();
    return Placer(*records, map).run();
}

}  // namespace microseg::importers
