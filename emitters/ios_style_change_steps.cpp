// The IOS-style change writer's order (DESIGN "plan states"): VLANs before any port uses them;
// each new ACL defined before it is bound (IOS permits everything through an ACL that is bound
// but not defined); bindings swapped one interface at a time; trunk VLANs added before ports
// move and removed after (never the management VLAN); what is no longer used removed last.
#include <algorithm>
#include <set>

#include "emitters/ios_style_change.hpp"
#include "model/interface_name.hpp"
#include "model/interface_range.hpp"
#include "model/naming.hpp"

namespace microseg::ios_change {
namespace {

bool owned_acl(std::string_view name) { return name.starts_with("MS_"); }

std::string description_of(const IosTextBlock* block) {
    if (!block) return {};
    for (std::size_t i = 1; i < block->lines.size(); ++i) {
        auto text = std::string_view(block->lines[i]);
        auto at = text.find_first_not_of(" \t");
        if (at != std::string_view::npos && text.substr(at).starts_with("description ")) return std::string(text.substr(at + 12));
    }
    return {};
}

std::vector<int> minus(const VlanIdSet& a, const VlanIdSet& b) {
    std::vector<int> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// The live SVI has the intended addresses; a shared virtual gateway (HSRP, VARP) may stand for
// the switch's own address, as drift accepts it (audit/drift/drift.cpp same_gateway).
bool same_gateway(const std::vector<SviAddress>& want, const SviIntent& have, const ParsedSvi* parsed) {
    if (want.size() != have.addresses.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i] == have.addresses[i]) continue;
        bool own = parsed && std::find(parsed->own_addresses.begin(), parsed->own_addresses.end(), want[i]) !=
                                 parsed->own_addresses.end();
        if (!own || want[i].subnet != have.addresses[i].subnet) return false;
    }
    return true;
}

std::string names_text(std::vector<std::string> names) {
    std::string out;
    for (const auto& run : fold_interface_runs(std::move(names))) {
        if (!out.empty()) out += ", ";
        out += run.is_single() || !run.numbered ? run.name(run.first) : fmt::format("{}{}-{}", run.prefix, run.first, run.last);
    }
    return out;
}

}  // namespace

void Writer::plan_unbinds() {
    for (const auto& s : r_.target.svis) {
        auto site = canonical(fmt::format("Vlan{}", s.vlan));
        if (s.acl.name.empty() && owned_acl(inbound_acl(site))) rebind_[site] = "";
    }
    for (const auto& p : r_.target.access_ports) {
        auto site = canonical(p.interface);
        if (!p.isolated && inbound_acl(site).starts_with("MS_ISO_")) rebind_[site] = "";
    }
}

void Writer::vlan_step() {
    std::map<int, const VlanIntent*> live;
    for (const auto& v : r_.current.as_built.vlans) live[v.id] = &v;
    ChangeStep step{"create or rename VLANs", {}};
    std::vector<int> ids;
    for (const auto& v : r_.target.vlans) {
        auto it = live.find(v.id);
        bool missing = it == live.end();
        if (!missing && (v.name.empty() || it->second->name == v.name)) continue;
        step.commands.push_back(fmt::format("vlan {}", v.id));
        if (!v.name.empty()) step.commands.push_back(fmt::format("{}name {}", d_.syntax.indent, v.name));
        step.commands.push_back("exit");
        ids.push_back(v.id);
    }
    if (!ids.empty()) step.title = fmt::format("create or rename VLANs {}", vlan_list(ids));
    steps_.push_back(std::move(step));
}

void Writer::definition_steps() {
    for (const auto& def : definitions_) {
        ChangeStep step{fmt::format("define {} ({} lines)", def.name, def.commands.size() - 2), {}};
        if (def.exists) step.commands.push_back(fmt::format("no {} {}", d_.syntax.acl_command, def.name));
        step.commands.insert(step.commands.end(), def.commands.begin(), def.commands.end());
        steps_.push_back(std::move(step));
    }
}

std::string Writer::address_line(const SviAddress& a, bool secondary) const {
    auto addr = d_.syntax.prefix_notation ? fmt::format("{}/{}", a.address.str(), a.subnet.prefix_len)
                                          : fmt::format("{} {}", a.address.str(), a.subnet.mask().str());
    return fmt::format("{}ip address {}{}", d_.syntax.indent, addr, secondary ? " secondary" : "");
}

// IOS refuses an address overlapping another SVI's subnet: a subnet moving to this SVI must
// leave its old one first, and is unreachable between the two steps.
void Writer::free_subnets(const SviIntent& svi) {
    std::set<int> in_target;
    for (const auto& t : r_.target.svis) in_target.insert(t.vlan);
    for (const auto& live : r_.current.as_built.svis) {
        if (live.vlan == svi.vlan || removed_svis_.count(live.vlan)) continue;
        const ParsedSvi* parsed = r_.current.svis.count(live.vlan) ? &r_.current.svis.at(live.vlan) : nullptr;
        std::vector<SviAddress> held = live.addresses;
        if (parsed) held.insert(held.end(), parsed->own_addresses.begin(), parsed->own_addresses.end());
        auto overlap = std::find_if(held.begin(), held.end(), [&](const SviAddress& h) {
            return std::any_of(svi.addresses.begin(), svi.addresses.end(),
                               [&](const SviAddress& a) { return a.subnet.overlaps(h.subnet); });
        });
        if (overlap == held.end()) continue;
        auto old_svi = canonical(fmt::format("Vlan{}", live.vlan));
        ChangeStep step{fmt::format("take subnet {} off {} for Vlan{}: the subnet is unreachable until the next step",
                                    overlap->subnet.str(), old_svi, svi.vlan), {}};
        if (in_target.count(live.vlan)) {
            step.commands = {"interface " + old_svi, fmt::format("{}no ip address", d_.syntax.indent), "exit"};
        } else {
            step.commands = {"no interface " + old_svi};
            removed_svis_.insert(live.vlan);
        }
        notes_.push_back(fmt::format("Subnet {} moves from {} to Vlan{}: its hosts have no usable gateway from the "
                                     "step that frees it until they and it are both in Vlan{} (the proof names the "
                                     "steps): its classes are at risk.", overlap->subnet.str(), old_svi, svi.vlan, svi.vlan));
        steps_.push_back(std::move(step));
    }
}

void Writer::svi_update(const SviIntent& svi, const SviIntent* live) {
    auto site = canonical(fmt::format("Vlan{}", svi.vlan));
    const ParsedSvi* parsed = r_.current.svis.count(svi.vlan) ? &r_.current.svis.at(svi.vlan) : nullptr;
    bool readdress = !live || !same_gateway(svi.addresses, *live, parsed);
    if (readdress) free_subnets(svi);
    const auto& in = d_.syntax.indent;
    if (!live) {
        ChangeStep step{fmt::format("create {}", site), {"interface " + site}};
        std::string classes;
        for (const auto& c : svi.classes) classes += (classes.empty() ? "" : "+") + c;
        if (!classes.empty()) step.commands.push_back(fmt::format("{}description microseg gateway {}", in, safe_comment(classes, 60)));
        for (std::size_t i = 0; i < svi.addresses.size(); ++i) step.commands.push_back(address_line(svi.addresses[i], i > 0));
        if (auto acl = bound_after(site); !acl.empty()) step.commands.push_back(fmt::format("{}ip access-group {} in", in, acl));
        step.commands.push_back(fmt::format("{}no shutdown", in));
        step.commands.push_back("exit");
        steps_.push_back(std::move(step));
        return;
    }
    if (readdress) {
        ChangeStep step{fmt::format("readdress {}", site), {"interface " + site}};
        for (std::size_t i = 1; i < live->addresses.size(); ++i)
            if (std::find(svi.addresses.begin(), svi.addresses.end(), live->addresses[i]) == svi.addresses.end())
                step.commands.push_back(fmt::format("{}no {}", in, address_line(live->addresses[i], true).substr(in.size())));
        for (std::size_t i = 0; i < svi.addresses.size(); ++i) step.commands.push_back(address_line(svi.addresses[i], i > 0));
        step.commands.push_back("exit");
        steps_.push_back(std::move(step));
    }
    if (auto it = rebind_.find(site); it != rebind_.end()) {
        auto old = inbound_acl(site);
        ChangeStep step{it->second.empty() ? fmt::format("unbind {} from {}", old, site)
                                           : fmt::format("bind {} on {}", it->second, site),
                        {"interface " + site}};
        step.commands.push_back(it->second.empty() ? fmt::format("{}no ip access-group {} in", in, old)
                                                   : fmt::format("{}ip access-group {} in", in, it->second));
        step.commands.push_back("exit");
        steps_.push_back(std::move(step));
    }
}

void Writer::svi_steps() {
    std::map<int, const SviIntent*> live;
    for (const auto& s : r_.current.as_built.svis) live[s.vlan] = &s;
    // Creations first, then the changes to SVIs that exist (ACL swaps, addresses).
    for (const auto& s : r_.target.svis)
        if (!live.count(s.vlan)) svi_update(s, nullptr);
    for (const auto& s : r_.target.svis)
        if (live.count(s.vlan)) svi_update(s, live.at(s.vlan));
}

void Writer::trunk_steps(bool adding) {
    std::map<std::string, const TrunkIntent*> live;
    for (const auto& t : r_.current.as_built.trunks) live[canonical(t.interface)] = &t;
    ChangeStep step{adding ? "trunks: add VLANs" : "trunks: remove VLANs", {}};
    const auto& in = d_.syntax.indent;
    for (const auto& t : r_.target.trunks) {
        auto name = canonical(t.interface);
        auto it = live.find(name);
        const auto* block = block_of(name);
        // A channel member without switchport lines of its own carries its port-channel's VLANs.
        if (it != live.end() && block && !child_line(block, {"switchport"}) && child_line(block, {"channel-group"})) continue;
        std::vector<std::string> cmds;
        if (it == live.end()) {
            // The list before the mode: a port never trunks all VLANs on the way.
            if (adding)
                cmds = {fmt::format("{}switchport trunk allowed vlan {}", in, t.vlans.empty() ? "none" : vlan_list(t.vlans)),
                        fmt::format("{}switchport mode trunk", in)};
        } else if (adding) {
            if (auto add = minus(t.vlans, it->second->vlans); !add.empty())
                cmds = {fmt::format("{}switchport trunk allowed vlan add {}", in, vlan_list(add))};
        } else {
            auto remove = minus(it->second->vlans, t.vlans);
            std::erase_if(remove, [&](int v) { return r_.sw.management_vlan && v == *r_.sw.management_vlan; });
            if (!remove.empty()) cmds = {fmt::format("{}switchport trunk allowed vlan remove {}", in, vlan_list(remove))};
        }
        if (cmds.empty()) continue;
        step.commands.push_back("interface " + name);
        step.commands.insert(step.commands.end(), cmds.begin(), cmds.end());
        step.commands.push_back("exit");
    }
    steps_.push_back(std::move(step));
}

std::vector<std::string> Writer::port_commands(const AccessPortIntent& port) {
    auto name = canonical(port.interface);
    const auto* block = block_of(name);
    auto found = live_ports_.find(name);
    const AccessPortIntent* live = found == live_ports_.end() ? nullptr : found->second;
    const auto& in = d_.syntax.indent;
    std::vector<std::string> cmds;
    if (!live || live->vlan != port.vlan) {
        // EOS `switchport mode trunk phone`: the device's VLAN is the native one (EOS manual,
        // "Phone VLAN"), which `switchport access vlan` would not change.
        bool phone = live && child_line(block, {"switchport", "mode", "trunk", "phone"});
        cmds.push_back(fmt::format("{}switchport {} vlan {}", in, phone ? "trunk native" : "access", port.vlan));
        if (!live) cmds.push_back(fmt::format("{}switchport mode access", in));
        auto want = !port.device_class.empty() ? "microseg " + safe_comment(port.device_class, 60)
                                               : description_of(original_block(name));
        auto have = description_of(block);
        if (!want.empty() && want != have) cmds.push_back(fmt::format("{}description {}", in, want));
        if (want.empty() && r_.rollback && !have.empty()) cmds.push_back(fmt::format("{}no description", in));
    }
    if (auto it = rebind_.find(name); it != rebind_.end())
        cmds.push_back(it->second.empty() ? fmt::format("{}no ip access-group {} in", in, inbound_acl(name))
                                          : fmt::format("{}ip access-group {} in", in, it->second));
    if (d_.protected_ports) {
        bool want = r_.rollback ? child_line(original_block(name), {"switchport", "protected"}).has_value() : port.isolated;
        bool have = child_line(block, {"switchport", "protected"}).has_value();
        if (want != have) cmds.push_back(fmt::format("{}{}switchport protected", in, want ? "" : "no "));
    }
    return cmds;
}

void Writer::access_port_steps() {
    // Ports with the same commands are one step: they change the same way.
    std::map<std::vector<std::string>, std::vector<std::string>> groups;
    for (const auto& p : r_.target.access_ports)
        if (auto cmds = port_commands(p); !cmds.empty()) groups[cmds].push_back(canonical(p.interface));
    for (const auto& [cmds, ports] : groups) {
        std::string what;
        for (const auto& c : cmds) what += (what.empty() ? "" : "; ") + c.substr(c.find_first_not_of(' '));
        ChangeStep step{fmt::format("access ports {}: {}", names_text(ports), what), {}};
        for (const auto& p : ports) {
            step.commands.push_back("interface " + p);
            step.commands.insert(step.commands.end(), cmds.begin(), cmds.end());
            step.commands.push_back("exit");
        }
        steps_.push_back(std::move(step));
    }
}

// An SVI microseg made: its ACL is microseg's, or its description says so. On a rollback every
// SVI the previous config did not have was made by the plan.
bool Writer::owned_svi(const SviIntent& svi) const {
    if (r_.rollback) return true;
    auto name = canonical(fmt::format("Vlan{}", svi.vlan));
    return owned_acl(inbound_acl(name)) || description_of(block_of(name)).starts_with("microseg");
}

void Writer::svi_removal_steps() {
    std::set<int> in_target;
    for (const auto& t : r_.target.svis) in_target.insert(t.vlan);
    for (const auto& live : r_.current.as_built.svis) {
        if (live.vlan == 1 || in_target.count(live.vlan) || removed_svis_.count(live.vlan) || !owned_svi(live)) continue;
        auto name = canonical(fmt::format("Vlan{}", live.vlan));
        steps_.push_back({fmt::format("remove {}, which the target no longer has", name), {"no interface " + name}});
        removed_svis_.insert(live.vlan);
    }
}

void Writer::acl_deletion_step() {
    std::set<std::string> bound;
    for (const auto& [site, acl] : rebind_) bound.insert(acl);
    ChangeStep step{"delete microseg's ACLs that nothing binds any more", {}};
    for (const auto& [name, parsed] : r_.current.acls) {
        if (!owned_acl(name) || bound.count(name) || planned_names_.count(name)) continue;
        std::string head;
        bool still_used = false;
        for (const auto& ref : references(name)) {
            auto w = ios_words(blocks_[ref.block].head());
            bool managed = false;
            if (!w.empty() && w[0] == "interface")
                for (const auto& site : interface_names_of(platform_, w)) {
                    bool svi_gone = site.starts_with("Vlan") && removed_svis_.count(std::atoi(site.c_str() + 4));
                    managed = rebind_.count(site) > 0 || svi_gone;
                    if (!managed) break;
                }
            if (!managed) still_used = true;
        }
        for (const auto& b : blocks_) {
            auto w = ios_words(b.head());
            if (starts_with_word(w, {"ip", "access-list"}) && w.back() == name) head = b.head();
        }
        if (!still_used && !head.empty()) step.commands.push_back("no " + head);
    }
    steps_.push_back(std::move(step));
}

void Writer::vlan_removal_step() {
    std::set<int> in_target, used;
    for (const auto& v : r_.target.vlans) in_target.insert(v.id);
    for (const auto& p : r_.target.access_ports) used.insert(p.vlan);
    std::set<std::string> target_ports;
    for (const auto& p : r_.target.access_ports) target_ports.insert(canonical(p.interface));
    std::set<int> microseg_ports;  // VLANs of ports whose description says microseg put them there
    for (const auto& p : r_.current.as_built.access_ports) {
        if (!target_ports.count(canonical(p.interface))) used.insert(p.vlan);
        if (description_of(block_of(canonical(p.interface))).starts_with("microseg")) microseg_ports.insert(p.vlan);
    }
    for (const auto& s : r_.current.as_built.svis)
        if (!removed_svis_.count(s.vlan)) used.insert(s.vlan);
    ChangeStep step{"remove microseg's VLANs that nothing uses", {}};
    for (const auto& v : r_.current.as_built.vlans) {
        bool mgmt = r_.sw.management_vlan && v.id == *r_.sw.management_vlan;
        if (v.id == 1 || mgmt || in_target.count(v.id) || used.count(v.id)) continue;
        bool owned = r_.rollback || removed_svis_.count(v.id) || microseg_ports.count(v.id);
        if (owned) step.commands.push_back(fmt::format("no vlan {}", v.id));
    }
    steps_.push_back(std::move(step));
}

}  // namespace microseg::ios_change
