#include "model/policy.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace microseg {

std::string_view to_string(Criticality c) {
    switch (c) {
        case Criticality::low: return "low";
        case Criticality::medium: return "medium";
        case Criticality::high: return "high";
        case Criticality::life: return "life";
    }
    return "medium";
}

std::optional<Criticality> parse_criticality(std::string_view text) {
    if (text == "low") return Criticality::low;
    if (text == "medium") return Criticality::medium;
    if (text == "high") return Criticality::high;
    if (text == "life") return Criticality::life;
    return std::nullopt;
}

std::string Vlan::name() const {
    std::string out;
    for (const auto& c : classes) {
        if (!out.empty()) out += '+';
        out += c;
    }
    return out;
}

namespace {

template <class T>
void index_by_name(const std::vector<T>& items, std::unordered_map<std::string, std::size_t>& index) {
    index.clear();
    index.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) index.emplace(items[i].name, i);
}

template <class T>
const T* lookup(const std::vector<T>& items, const std::unordered_map<std::string, std::size_t>& index,
                std::string_view name) {
    auto it = index.find(std::string(name));
    return it == index.end() ? nullptr : &items[it->second];
}

// For each class, the subnets of the other classes strictly inside one of its subnets. All
// subnets sorted once: those inside a prefix follow it, so this is O(n log n + output) rather
// than classes x classes (10,000 classes of the XL benchmark).
std::vector<AddressSet> nested_subnets(const std::vector<DeviceClass>& classes) {
    struct Owned {
        Cidr subnet;
        std::size_t owner;
        auto operator<=>(const Owned&) const = default;
    };
    std::vector<Owned> all;
    for (std::size_t i = 0; i < classes.size(); ++i)
        for (const auto& s : classes[i].subnets) all.push_back({s, i});
    std::sort(all.begin(), all.end());
    std::vector<AddressSet> out(classes.size());
    for (std::size_t i = 0; i < classes.size(); ++i) {
        std::vector<Cidr> inside;
        for (const auto& mine : classes[i].subnets) {
            if (mine.prefix_len == mine.network.bits()) continue;
            auto it = std::lower_bound(all.begin(), all.end(), Owned{{mine.network, mine.prefix_len + 1}, 0});
            for (; it != all.end() && mine.contains(it->subnet.network); ++it)
                if (it->owner != i && it->subnet.prefix_len > mine.prefix_len) inside.push_back(it->subnet);
        }
        out[i] = AddressSet(inside);
    }
    return out;
}

// "internet" means outside: the parts of internal_space strictly inside an external class's
// subnet are taken out of it like the subnets of a more specific class (issue 19: guest Wi-Fi
// reached the switches' unowned management addresses through a 0.0.0.0/0 entry).
void add_internal_space(const std::vector<DeviceClass>& classes, const std::vector<Cidr>& space,
                        std::vector<AddressSet>& nested) {
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (!classes[i].external) continue;
        for (const auto& mine : classes[i].subnets)
            for (const auto& inner : space)
                if (mine.network.family == inner.network.family && mine.prefix_len < inner.prefix_len &&
                    mine.contains(inner.network))
                    nested[i].add(inner);
    }
}

// The most specific subnet wins (DESIGN: externals such as 0.0.0.0/0 may overlap internal
// ranges); for the same subnet, the first internal class that lists it, else the first class.
template <class Group>
std::vector<Group> subnet_owners(const std::vector<DeviceClass>& classes) {
    std::map<std::pair<int, int>, std::map<Uint128, std::size_t>, std::greater<>> by_length;
    for (std::size_t i = 0; i < classes.size(); ++i)
        for (const auto& s : classes[i].subnets) {
            auto [it, added] = by_length[{s.prefix_len, static_cast<int>(s.network.family)}].try_emplace(
                s.network.value, i);
            if (!added && classes[it->second].external && !classes[i].external) it->second = i;
        }
    std::vector<Group> out;
    for (const auto& [key, owners] : by_length)
        out.push_back({static_cast<IpFamily>(key.second), key.first, {owners.begin(), owners.end()}});
    return out;
}

}  // namespace

Policy::Policy(PolicyParts parts) : parts_(std::move(parts)) { build_index(); }

PolicyParts Policy::release() && {
    PolicyParts out = std::move(parts_);
    *this = Policy();  // what is left is an empty policy, indexed as such
    return out;
}

void Policy::build_index() {
    const auto& classes = parts_.classes;
    const auto& flows = parts_.flows;
    index_by_name(classes, class_index_);
    index_by_name(parts_.services, service_index_);
    index_by_name(parts_.switches, switch_index_);
    flows_from_.assign(classes.size(), {});
    flows_to_.assign(classes.size(), {});
    flow_ends_.assign(flows.size(), {});
    for (std::size_t i = 0; i < flows.size(); ++i) {
        auto from = class_index(flows[i].from);
        auto to = class_index(flows[i].to);
        if (!from || !to) continue;  // a dangling name: an error the checks report
        flow_ends_[i] = {*from, *to};
        flows_from_[*from].push_back(i);
        flows_to_[*to].push_back(i);
    }
    nested_subnets_ = nested_subnets(classes);
    add_internal_space(classes, parts_.internal_space, nested_subnets_);
    subnet_owners_ = subnet_owners<SubnetOwners>(classes);
    vlan_classes_.clear();
    for (std::size_t i = 0; i < classes.size(); ++i)
        if (classes[i].vlan && !classes[i].external) vlan_classes_[*classes[i].vlan].push_back(i);
    for (auto& [id, members] : vlan_classes_)
        std::sort(members.begin(), members.end(),
                  [&](std::size_t a, std::size_t b) { return classes[a].name < classes[b].name; });
}

std::size_t Policy::index_of(const DeviceClass& cls) const {
    if (&cls >= classes().data() && &cls < classes().data() + classes().size())
        return static_cast<std::size_t>(&cls - classes().data());
    if (auto i = class_index(cls.name)) return *i;
    throw std::logic_error(fmt::format("index_of: '{}' is not a class of this policy", cls.name));
}

const DeviceClass* Policy::find_class(std::string_view n) const { return lookup(classes(), class_index_, n); }
const Service* Policy::find_service(std::string_view n) const { return lookup(services(), service_index_, n); }
const Switch* Policy::find_switch(std::string_view n) const { return lookup(switches(), switch_index_, n); }

std::optional<std::size_t> Policy::class_index(std::string_view name) const {
    auto it = class_index_.find(std::string(name));
    if (it == class_index_.end()) return std::nullopt;
    return it->second;
}

const Switch* Policy::gateway_of(std::string_view class_name) const {
    for (const auto& sw : switches())
        if (std::find(sw.gateway_for.begin(), sw.gateway_for.end(), class_name) != sw.gateway_for.end())
            return &sw;
    return nullptr;
}

std::vector<const Switch*> Policy::filters_of(const DeviceClass& cls) const {
    std::vector<const Switch*> out;
    if (!cls.external) {
        if (const Switch* gw = gateway_of(cls.name)) out.push_back(gw);
        return out;
    }
    for (const auto& name : cls.via)
        if (const Switch* sw = find_switch(name)) out.push_back(sw);
    return out;
}

bool Policy::is_local(const Switch& sw, const DeviceClass& cls) const {
    if (cls.external) return std::find(cls.via.begin(), cls.via.end(), sw.name) != cls.via.end();
    return std::find(sw.gateway_for.begin(), sw.gateway_for.end(), cls.name) != sw.gateway_for.end();
}

std::vector<Vlan> Policy::vlans() const {
    std::map<int, std::set<std::string>> by_id;
    for (const auto& c : classes())
        if (c.vlan && !c.external) by_id[*c.vlan].insert(c.name);
    std::vector<Vlan> out;
    for (auto& [id, names] : by_id) out.push_back({id, {names.begin(), names.end()}});
    return out;
}

std::optional<Vlan> Policy::vlan(int id) const {
    auto it = vlan_classes_.find(id);
    if (it == vlan_classes_.end()) return std::nullopt;
    Vlan v{id, {}};
    for (std::size_t i : it->second) v.classes.push_back(classes()[i].name);
    v.classes.erase(std::unique(v.classes.begin(), v.classes.end()), v.classes.end());
    return v;
}

const DeviceClass* Policy::class_of(const IpAddress& address) const {
    for (const auto& group : subnet_owners_) {
        if (group.family != address.family) continue;
        const int host_bits = address.bits() - group.prefix_len;
        const Uint128 network = host_bits >= 128 ? 0 : address.value >> host_bits << host_bits;
        auto it = std::lower_bound(group.owner_by_network.begin(), group.owner_by_network.end(),
                                   std::pair<Uint128, std::size_t>{network, 0});
        if (it == group.owner_by_network.end() || it->first != network) continue;
        const DeviceClass& owner = classes()[it->second];
        if (!owner.external) return &owner;
        bool broader_than_inside = std::any_of(internal_space().begin(), internal_space().end(), [&](const Cidr& in) {
            return in.contains(address) && in.prefix_len > group.prefix_len;
        });
        return broader_than_inside ? nullptr : &owner;
    }
    return nullptr;
}

const DeviceClass* Policy::management_class() const {
    for (const auto& c : classes())
        if (c.management) return &c;
    return nullptr;
}

std::vector<Cidr> default_internal_space() {
    std::vector<Cidr> out;
    for (const char* text : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"})
        out.push_back(*Cidr::parse(text));
    return out;
}

std::int64_t Policy::total_devices() const {
    std::int64_t n = 0;
    for (const auto& c : classes()) n += c.devices;
    return n;
}

std::vector<int> vlans_on_switch(const Policy& policy, const Switch& sw) {
    std::set<int> ids;
    auto add_class = [&](std::string_view name) {
        if (const auto* c = policy.find_class(name); c && c->vlan && !c->external) ids.insert(*c->vlan);
    };
    for (const auto& p : sw.ports) add_class(p.device_class);
    for (const auto& g : sw.gateway_for) add_class(g);
    for (const auto& t : sw.trunks) ids.insert(t.vlans.begin(), t.vlans.end());
    if (sw.management_vlan && !sw.trunks.empty()) ids.insert(*sw.management_vlan);
    return {ids.begin(), ids.end()};
}

}  // namespace microseg
