// Junos change writer: one candidate, one `commit confirmed`, one confirming `commit`.
//
// Both configs are read as set statements (the running text in either form Junos prints) and
// compared per owned unit: a filter `ms-*` (whole), an interface-range `ms-*` (whole), the
// segmentation keys of a VLAN the target or the policy names (vlan-id, l3-interface,
// no-local-switching; its description is not ours), the switching keys of an owned port
// (interface-mode/port-mode, vlan, filter), the address and filter of an owned irb (ELS) or
// vlan (non-ELS) unit, and another interface-range that holds an owned port. A unit that
// differs is deleted and set again from the target: never a bare `set` into a changed filter,
// because `set`/`load set` merge a term into the old one of the same name and widen it
// (PITFALLS.md; Juniper CLI User Guide, "Load Configuration from a File or the Terminal":
// merge combines the loaded statements with the candidate). An owned port the target puts in
// an `ms-` interface-range loses its own vlan and mode statements, or Junos merges both.
//
// Sources: Juniper, "commit confirmed" (CLI User Guide, "Commit the Configuration": without a
// confirming commit within N minutes, the device rolls back to the previous configuration),
// "configure exclusive" (no other user's changes enter the commit), "Configuring VLANs for EX
// Series Switches with ELS Support", "Configuring Routed VLAN Interfaces on EX Series Switches"
// (non-ELS `interfaces vlan unit N`).
//
// The texts of the request are `set` lines: the target's as compile writes them, the running
// config as the simulated device prints it (plan/ hands the writer the device's own print of
// any text, brace form included), so the writer reads one grammar without the audit's reader.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emitters/change_form.hpp"
#include "emitters/junos_names.hpp"
#include "model/interface_name.hpp"
#include "model/interface_range.hpp"

namespace microseg {
namespace {

using Words = std::vector<std::string>;
using Statements = std::vector<Words>;

Statements flatten(std::string_view text) {
    Statements out;
    for (std::size_t pos = 0; pos < text.size();) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        if (auto words = junos_set_words(text.substr(pos, end - pos)); !words.empty()) out.push_back(std::move(words));
        pos = end + 1;
    }
    return out;
}

bool starts_with(const Words& s, const Words& prefix) {
    return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin());
}

// The statements sorted by their words, so those under a prefix are one range found in O(log n)
// (a gateway's config has tens of thousands; a scan per unit was most of planning L). What
// select returns keeps the config's order.
class StatementIndex {
public:
    explicit StatementIndex(const Statements& all) : all_(&all), order_(all.size()) {
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return all[a] < all[b]; });
    }
    Statements select(const Words& prefix) const {
        auto it = std::lower_bound(order_.begin(), order_.end(), prefix,
                                   [&](std::size_t i, const Words& p) { return (*all_)[i] < p; });
        std::vector<std::size_t> hits;
        for (; it != order_.end() && starts_with((*all_)[*it], prefix); ++it) hits.push_back(*it);
        std::sort(hits.begin(), hits.end());
        Statements out;
        for (std::size_t i : hits) out.push_back((*all_)[i]);
        return out;
    }

private:
    const Statements* all_;
    std::vector<std::size_t> order_;
};

bool owned_name(std::string_view name) { return name.starts_with(kJunosOwnedPrefix); }

// A unit of comparison: what the current config holds under `prefix`, and what it must hold.
struct Unit {
    Words prefix;         // as the current config spells it: what `delete` names
    Statements desired;   // the target's statements for it, in the target's order
};

// The interfaces an interface-range's member and member-range statements name.
std::vector<std::string> range_members(const Statements& range, std::size_t at) {
    std::vector<std::string> out;
    for (const auto& s : range) {
        if (s.size() == at + 2 && s[at] == "member") out.push_back(s[at + 1]);
        if (s.size() == at + 4 && s[at] == "member-range" && s[at + 2] == "to") {
            auto names = junos_member_range(s[at + 1], s[at + 3]);
            out.insert(out.end(), names.begin(), names.end());
        }
    }
    return out;
}

class JunosChange {
public:
    explicit JunosChange(const ChangeRequest& r)
        : request_(r), current_(flatten(r.current_text)), target_(flatten(r.target_text)) {}
    ChangeForm write();

private:
    std::string canonical(std::string_view port) const { return canonical_interface(PlatformId::junos, port); }
    std::map<std::string, int> vlan_ids(const Statements& all) const;
    void find_owned_ports();
    void adopt_management_vlan_name();
    void filter_units();
    void vlan_units();
    void range_units();
    Statements without_owned_members(const Statements& range, const std::string& name) const;
    void port_units();
    void keep_management_vlan(Unit& unit) const;
    void irb_units();
    bool covered(const Words& s) const;
    void renamed_references(std::vector<std::string>& deletes, std::vector<std::string>& sets) const;
    Words renamed(Words s) const;

    const ChangeRequest& request_;
    Statements current_, target_;
    StatementIndex current_index_{current_}, target_index_{target_};
    std::vector<Unit> units_;
    std::set<std::string> owned_ports_;         // canonical names
    std::map<std::string, std::string> rename_; // VLAN name in current -> its name in target
    std::set<std::string> owned_vlans_;         // names, in either config
    std::vector<std::string> notes_;
};

// VLAN name -> id, of `vlans X vlan-id N`.
std::map<std::string, int> JunosChange::vlan_ids(const Statements& all) const {
    std::map<std::string, int> out;
    for (const auto& s : all)
        if (s.size() == 4 && s[0] == "vlans" && s[2] == "vlan-id") out[s[1]] = std::atoi(s[3].c_str());
    return out;
}

// The ports the policy names on this switch and the ports the target configures.
void JunosChange::find_owned_ports() {
    for (const auto& p : request_.sw.ports) owned_ports_.insert(canonical(p.interface));
    for (const auto& t : request_.sw.trunks) owned_ports_.insert(canonical(t.interface));
    for (const auto& p : request_.target.access_ports) owned_ports_.insert(canonical(p.interface));
    for (const auto& t : request_.target.trunks) owned_ports_.insert(canonical(t.interface));
    for (const auto& s : target_) {
        if (s.size() >= 6 && s[0] == "interfaces" && s[2] == "unit" && s[5] == "ethernet-switching")
            owned_ports_.insert(canonical(s[1]));
    }
    std::set<std::string> ranges;
    for (const auto& s : target_)
        if (s.size() >= 3 && s[0] == "interfaces" && s[1] == "interface-range") ranges.insert(s[2]);
    for (const auto& r : ranges)
        for (const auto& m : range_members(target_index_.select({"interfaces", "interface-range", r}), 3))
            owned_ports_.insert(canonical(m));
}

// The management VLAN keeps the name it has: a rename deletes and re-creates it (and its
// l3-interface) in the commit, under the operator's session. The target's statements about it
// are dropped and its `vlan members` take the running name.
void JunosChange::adopt_management_vlan_name() {
    auto management = request_.sw.management_vlan;
    if (!management) return;
    std::string current_name, target_name;
    for (const auto& [name, id] : vlan_ids(current_))
        if (id == *management) current_name = name;
    for (const auto& [name, id] : vlan_ids(target_))
        if (id == *management) target_name = name;
    if (current_name.empty() || target_name.empty() || current_name == target_name) return;
    Statements adopted;
    for (auto s : target_) {
        if (s.size() >= 2 && s[0] == "vlans" && s[1] == target_name) continue;
        auto n = s.size();
        if (n >= 3 && s[n - 3] == "vlan" && s[n - 2] == "members" && s[n - 1] == target_name) s[n - 1] = current_name;
        adopted.push_back(std::move(s));
    }
    target_ = std::move(adopted);
    target_index_ = StatementIndex(target_);
    notes_.push_back(fmt::format("the management VLAN {} keeps its name {} (the intent names it {}): a rename would "
                                 "re-create it under the operator's session", *management, current_name, target_name));
}

// Whether a current statement outside the units names filter `name`.
bool references_filter(const Statements& outside, const std::string& name) {
    for (const auto& s : outside) {
        auto n = s.size();
        if (n >= 3 && s[n - 1] == name && s[n - 3] == "filter" && (s[n - 2] == "input" || s[n - 2] == "output")) return true;
    }
    return false;
}

void JunosChange::filter_units() {
    std::vector<Unit> filters;
    for (std::string family : {"inet", "ethernet-switching"}) {
        std::set<std::string> names;
        for (const auto* all : {&current_, &target_})
            for (const auto& s : *all)
                if (s.size() >= 5 && s[0] == "firewall" && s[1] == "family" && s[2] == family && s[3] == "filter" &&
                    owned_name(s[4]))
                    names.insert(s[4]);
        for (const auto& name : names) {
            Words prefix{"firewall", "family", family, "filter", name};
            filters.push_back({prefix, target_index_.select(prefix)});
        }
    }
    // Whatever is not in a unit stays as it is: a filter it still names stays too.
    Statements outside;
    for (const auto& s : current_)
        if (!covered(s)) outside.push_back(s);
    for (auto& f : filters) {
        if (f.desired.empty() && references_filter(outside, f.prefix[4])) {
            notes_.push_back(fmt::format("filter {} is kept: configuration microseg does not own still uses it",
                                         f.prefix[4]));
            continue;
        }
        units_.push_back(std::move(f));
    }
}

// VLANs of the ids the target or the policy names: their segmentation keys, or the whole VLAN
// when the target has no VLAN of that name (renamed or gone).
void JunosChange::vlan_units() {
    auto current = vlan_ids(current_);
    auto target = vlan_ids(target_);
    std::set<int> ids;
    for (const auto& [name, id] : target) ids.insert(id);
    for (const auto& c : request_.policy.classes())
        if (c.vlan) ids.insert(*c.vlan);
    std::map<int, std::string> target_name;
    for (const auto& [name, id] : target) target_name[id] = name;
    std::set<std::string> names;
    for (const auto& [name, id] : target) names.insert(name);
    for (const auto& [name, id] : current) {
        if (!ids.count(id)) continue;
        names.insert(name);
        if (target_name.count(id) && target_name[id] != name) rename_[name] = target_name[id];
    }
    owned_vlans_ = names;
    auto management = request_.sw.management_vlan;
    for (const auto& name : names) {
        if (target_index_.select({"vlans", name}).empty()) {
            if (management && current.count(name) && current[name] == *management) continue;
            units_.push_back({{"vlans", name}, {}});
            continue;
        }
        for (std::string key : {"vlan-id", "vlan-id-list", "l3-interface", "no-local-switching"}) {
            Words prefix{"vlans", name, key};
            units_.push_back({prefix, target_index_.select(prefix)});
        }
    }
}

// `range` (the current statements of interface-range `name`) without its owned member ports,
// their VLAN names as the target spells them; empty when no member is left.
Statements JunosChange::without_owned_members(const Statements& range, const std::string& name) const {
    std::vector<std::string> kept;
    for (const auto& m : range_members(range, 3))
        if (!owned_ports_.count(canonical(m))) kept.push_back(m);
    if (kept.empty()) return {};
    Statements out;
    Words base{"interfaces", "interface-range", name};
    for (const auto& run : fold_interface_runs(kept)) {
        if (run.numbered && !run.is_single())
            out.push_back({base[0], base[1], name, "member-range", run.name(run.first), "to", run.name(run.last)});
        else
            out.push_back({base[0], base[1], name, "member", run.name(run.first)});
    }
    for (const auto& s : range)
        if (s.size() > 3 && s[3] != "member" && s[3] != "member-range") out.push_back(renamed(s));
    return out;
}

void JunosChange::range_units() {
    std::set<std::string> names;
    for (const auto* all : {&current_, &target_})
        for (const auto& s : *all)
            if (s.size() >= 3 && s[0] == "interfaces" && s[1] == "interface-range") names.insert(s[2]);
    for (const auto& name : names) {
        Words prefix{"interfaces", "interface-range", name};
        auto target = target_index_.select(prefix);
        if (owned_name(name) || !target.empty()) {
            units_.push_back({prefix, std::move(target)});
            continue;
        }
        // Another's range: it loses the ports the target configures, and only if it holds any.
        auto current = current_index_.select(prefix);
        auto members = range_members(current, 3);
        bool holds_owned = std::any_of(members.begin(), members.end(),
                                       [&](const std::string& m) { return owned_ports_.count(canonical(m)) > 0; });
        if (!holds_owned) continue;
        notes_.push_back(fmt::format("interface-range {} gives up the ports microseg configures", name));
        units_.push_back({prefix, without_owned_members(current, name)});
    }
}

// A trunk keeps the management VLAN it carries (DESIGN: plan never removes it).
void JunosChange::keep_management_vlan(Unit& unit) const {
    auto management = request_.sw.management_vlan;
    if (!management) return;
    auto current_ids = vlan_ids(current_);
    auto is_management = [&](const std::string& member) {
        auto it = current_ids.find(member);
        return (it != current_ids.end() && it->second == *management) || member == std::to_string(*management);
    };
    auto target_ids = vlan_ids(target_);
    auto carried = [&](const Words& s) {
        auto it = target_ids.find(s.back());
        return (it != target_ids.end() && it->second == *management) || s.back() == std::to_string(*management);
    };
    if (std::any_of(unit.desired.begin(), unit.desired.end(), carried)) return;
    for (const auto& s : current_index_.select(unit.prefix)) {
        if (s.size() != unit.prefix.size() + 2 || s[unit.prefix.size()] != "members" || !is_management(s.back())) continue;
        if (unit.desired.empty()) return;  // no longer a trunk of ours: nothing is removed from it
        Words keep = unit.desired.front();
        keep.resize(unit.prefix.size());
        keep.push_back("members");
        keep.push_back(renamed(s).back());
        unit.desired.push_back(keep);
    }
}

void JunosChange::port_units() {
    // Each owned port as the current and the target spell it.
    std::map<std::string, std::pair<std::string, std::string>> spelling;
    for (const auto& canon : owned_ports_) spelling[canon] = {canon, canon};
    for (const auto& s : current_)
        if (s.size() >= 2 && s[0] == "interfaces" && spelling.count(canonical(s[1]))) spelling[canonical(s[1])].first = s[1];
    for (const auto& s : target_)
        if (s.size() >= 2 && s[0] == "interfaces" && spelling.count(canonical(s[1]))) spelling[canonical(s[1])].second = s[1];
    for (const auto& [canon, names] : spelling) {
        for (std::string key : {"interface-mode", "port-mode", "vlan", "filter"}) {
            Words prefix{"interfaces", names.first, "unit", "0", "family", "ethernet-switching", key};
            Words target_prefix = prefix;
            target_prefix[1] = names.second;
            Unit unit{prefix, target_index_.select(target_prefix)};
            if (key == "vlan") keep_management_vlan(unit);
            units_.push_back(std::move(unit));
        }
    }
}

// The routed VLAN interfaces of owned VLANs: never the management one.
void JunosChange::irb_units() {
    std::set<int> ids;
    for (const auto& c : request_.policy.classes())
        if (c.vlan) ids.insert(*c.vlan);
    for (const auto& [name, id] : vlan_ids(target_)) ids.insert(id);
    for (const auto& s : target_)
        if (s.size() >= 4 && s[0] == "interfaces" && (s[1] == "irb" || s[1] == "vlan") && s[2] == "unit")
            ids.insert(std::atoi(s[3].c_str()));
    // The unit an owned VLAN routed through before: a VLAN that moved leaves it behind.
    for (const auto& [name, id] : vlan_ids(current_))
        if (owned_vlans_.count(name)) ids.insert(id);
    for (const auto& s : current_) {
        if (s.size() != 4 || s[0] != "vlans" || s[2] != "l3-interface" || !owned_vlans_.count(s[1])) continue;
        if (auto dot = s[3].find('.'); dot != std::string::npos) ids.insert(std::atoi(s[3].c_str() + dot + 1));
    }
    const auto& address = request_.sw.address;
    for (std::string device : {"irb", "vlan"}) {
        for (int id : ids) {
            Words unit{"interfaces", device, "unit", std::to_string(id), "family", "inet"};
            bool in_target = !target_index_.select(unit).empty();
            bool management = request_.sw.management_vlan == id;
            for (const auto& s : current_index_.select(unit))
                if (s.size() == 8 && s[6] == "address" && s[7].substr(0, s[7].find('/')) == address) management = true;
            if (management && !in_target) continue;
            for (std::string key : {"address", "filter"}) {
                Words prefix = unit;
                prefix.push_back(key);
                units_.push_back({prefix, target_index_.select(prefix)});
            }
        }
    }
}

bool JunosChange::covered(const Words& s) const {
    return std::any_of(units_.begin(), units_.end(), [&](const Unit& u) { return starts_with(s, u.prefix); });
}

Words JunosChange::renamed(Words s) const {
    auto n = s.size();
    if (n >= 3 && s[n - 3] == "vlan" && s[n - 2] == "members")
        if (auto it = rename_.find(s[n - 1]); it != rename_.end()) s[n - 1] = it->second;
    return s;
}

// `vlan members OLD` outside the units, where a VLAN was renamed: else the commit fails.
void JunosChange::renamed_references(std::vector<std::string>& deletes, std::vector<std::string>& sets) const {
    for (const auto& s : current_) {
        if (covered(s) || s.empty() || s[0] != "interfaces") continue;
        auto now = renamed(s);
        if (now == s) continue;
        deletes.push_back(junos_command("delete", s));
        sets.push_back(junos_command("set", now));
    }
}

ChangeForm JunosChange::write() {
    adopt_management_vlan_name();
    find_owned_ports();
    vlan_units();
    range_units();
    port_units();
    irb_units();
    filter_units();  // last: a filter is kept when something outside the other units uses it
    std::vector<std::string> deletes, sets, touched;
    for (const auto& u : units_) {
        auto current = current_index_.select(u.prefix);
        if (current == u.desired) continue;
        touched.push_back(fmt::format("{}", fmt::join(u.prefix, " ")));
        if (!current.empty()) deletes.push_back(junos_command("delete", u.prefix));
        for (const auto& s : u.desired) sets.push_back(junos_command("set", s));
    }
    std::size_t changed = deletes.size() + sets.size();
    renamed_references(deletes, sets);
    if (deletes.size() + sets.size() > changed)
        notes_.push_back("ports microseg does not own name a renamed VLAN: their `vlan members` follow the new name");
    ChangeForm form;
    if (deletes.empty() && sets.empty()) return form;
    // A title, not a listing: the commands say the rest.
    std::size_t named = std::min<std::size_t>(touched.size(), 4);
    auto title = fmt::format("candidate (nothing runs yet): {} part(s) replaced: {}{}", touched.size(),
                             fmt::join(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(named), "; "),
                             named < touched.size() ? "; ..." : "");
    ChangeStep candidate{title, {"configure exclusive"}};
    candidate.commands.insert(candidate.commands.end(), deletes.begin(), deletes.end());
    candidate.commands.insert(candidate.commands.end(), sets.begin(), sets.end());
    form.steps.push_back(std::move(candidate));
    form.steps.push_back({"commit confirmed 10: the new configuration runs, pending confirmation", {"commit confirmed 10"}});
    form.steps.push_back({"confirm", {"commit", "exit"}});
    bool grouped = std::any_of(current_.begin(), current_.end(), [](const Words& s) {
        return s[0] == "groups" && std::find(s.begin(), s.end(), "ethernet-switching") != s.end();
    });
    if (grouped)
        notes_.push_back("ports inherit switching statements from configuration groups, which the plan does not change: "
                         "Junos applies them where a port does not set the statement itself");
    form.notes = std::move(notes_);
    form.notes.insert(form.notes.begin(),
                      "without the confirming `commit` within 10 minutes, Junos rolls back to the configuration "
                      "before the plan by itself");
    return form;
}

class JunosChangeWriter final : public ChangeWriter {
public:
    SwitchIntent in_device_names(const SwitchIntent& intent, const Switch&) const override {
        SwitchIntent out = intent;
        for (auto& svi : out.svis) svi.acl.name = junos_filter_name(svi.acl);
        for (auto& acl : out.isolation_acls) acl.name = junos_isolation_filter_name(acl.name.substr(4));  // "iso-"
        return out;
    }
    ChangeForm write(const ChangeRequest& request) const override { return JunosChange(request).write(); }
};

}  // namespace

const ChangeWriter& junos_change_writer() {
    static const JunosChangeWriter writer;
    return writer;
}

}  // namespace microseg
