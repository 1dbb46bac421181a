// The switches section: platform, management, gateways, access ports and trunks.
#include <algorithm>
#include <set>

#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "compiler/scalars.hpp"
#include "model/interface_range.hpp"

namespace microseg::compiler {
namespace {

const std::vector<std::string_view> kSwitchKeys = {"name", "platform", "address", "ssh_port", "user",
                                                   "site", "gateway", "ports", "trunks", "tcam_budget",
                                                   "management_vlan", "junos_style"};
constexpr std::int64_t kMaxTcamBudget = 10'000'000;

// What one switch has handed out so far, to find an interface given twice.
struct InterfaceOwner {
    std::string owner;  // a class name, or "" for a trunk
    SourceLocation where;
};

struct SwitchState {
    std::unordered_map<std::string, SourceLocation> gateways;  // class -> where, all switches
    std::unordered_map<std::string, SourceLocation> names;     // switch name -> where
    std::unordered_set<int> class_vlans;
    std::size_t interfaces = 0;   // expanded port and trunk names, all switches
    std::size_t trunk_vlans = 0;  // (trunk, VLAN) pairs, all switches
    bool too_large = false;       // a limit below was reported
};

// Each range is at most kMaxInterfacesPerRange, but a policy of many ranges (or of trunk ranges
// carrying 1-4094) would still expand to gigabytes; the L benchmark has 250k ports.
constexpr std::size_t kMaxPolicyInterfaces = 1'000'000;
constexpr std::size_t kMaxPolicyTrunkVlans = 16'000'000;

class SwitchReader {
public:
    SwitchReader(const Reader& r, Build& b, SwitchState& state) : r_(r), b_(b), state_(state) {}

    void read(const Node& body) {
        if (!r_.is_map(body, "a switch")) return;
        r_.check_keys(body, kSwitchKeys, "a switch");
        sw_.location = r_.at(body);
        if (!read_identity(body)) return;
        for (std::size_t i = 0; i < r_.tree().map_size(body); ++i)
            read_field(r_.tree().key(body, i).text, r_.tree().value(body, i));
        std::sort(sw_.ports.begin(), sw_.ports.end(),
                  [](const AccessPort& a, const AccessPort& b) { return interface_less(a.interface, b.interface); });
        std::sort(sw_.trunks.begin(), sw_.trunks.end(),
                  [](const Trunk& a, const Trunk& b) { return interface_less(a.interface, b.interface); });
        add_management_vlan();
        b_.policy.switches.push_back(std::move(sw_));
    }

private:
    std::string what(std::string_view key) const { return fmt::format("{} of switch '{}'", key, sw_.name); }

    void add_management_vlan() {
        if (!sw_.management_vlan) return;
        for (auto& t : sw_.trunks) {
            auto at = std::lower_bound(t.vlans.begin(), t.vlans.end(), *sw_.management_vlan);
            if (at == t.vlans.end() || *at != *sw_.management_vlan) t.vlans.insert(at, *sw_.management_vlan);
        }
    }

    bool read_identity(const Node& body) {
        const Node* name = r_.require(body, "name", "a switch");
        const Node* platform = r_.require(body, "platform", "a switch");
        if (!name || !platform) return false;
        auto n = r_.name(*name, "switch name");
        if (!n) return false;
        sw_.name = *n;
        auto [it, fresh] = state_.names.emplace(sw_.name, r_.at(*name));
        if (!fresh) {
            r_.error(*name, kinds::duplicate_definition,
                     fmt::format("switch '{}' is defined twice: here and at {}", sw_.name, where(it->second)));
            return false;
        }
        auto p = r_.text(*platform, what("platform"));
        if (!p) return false;
        const Platform* info = find_platform(*p);
        if (!info) {
            std::vector<std::string_view> names;
            for (const auto& pl : platforms()) names.push_back(pl.name);
            r_.error(*platform, kinds::unknown_platform, fmt::format("unknown platform '{}'{} (platforms: {})", *p,
                                                                     did_you_mean(*p, names), platform_names()));
            return false;
        }
        sw_.platform = info->id;
        return true;
    }

    void read_field(const std::string& key, const Node& v) {
        if (key == "address") {
            if (auto t = safe_text(v, "address")) sw_.address = *t;
            check_address_owner(v);
        } else if (key == "management_vlan") {
            read_management_vlan(v);
        } else if (key == "junos_style") {
            read_junos_style(v);
        } else if (key == "user") {
            if (auto t = safe_text(v, "user")) sw_.user = *t;
        } else if (key == "site") {
            if (auto t = safe_text(v, "site")) sw_.site = *t;
        } else if (key == "ssh_port") {
            if (auto n = r_.integer(v, what("ssh_port"), 1, 65535)) sw_.ssh_port = static_cast<int>(*n);
        } else if (key == "tcam_budget") {
            if (auto n = r_.integer(v, what("tcam_budget"), 1, kMaxTcamBudget)) sw_.tcam_budget = static_cast<int>(*n);
        } else if (key == "gateway") {
            read_gateways(v);
        } else if (key == "ports") {
            read_ports(v);
        } else if (key == "trunks") {
            read_trunks(v);
        }
    }

    // DESIGN: the management class owns the switches' addresses; one elsewhere is reached by
    // the operators all the same, but through another class's VLAN.
    void check_address_owner(const Node& v) {
        auto address = IpAddress::parse(sw_.address);
        auto mgmt = std::find_if(b_.policy.classes.begin(), b_.policy.classes.end(),
                                 [](const DeviceClass& c) { return c.management; });
        if (!address || mgmt == b_.policy.classes.end() || mgmt->addresses.contains(*address)) return;
        r_.diags().warning(r_.at(v), kinds::address_outside_management,
                           fmt::format("address {} of switch '{}' is outside the subnets of management class '{}'",
                                       sw_.address, sw_.name, mgmt->name));
    }

    // Carried by every trunk of the switch: added here, so that everything after sees it.
    void read_management_vlan(const Node& v) {
        auto t = r_.text(v, what("management_vlan"));
        if (!t) return;
        auto id = parse_decimal(*t, 1, 4094);
        if (!id) {
            r_.error(v, kinds::bad_vlan, fmt::format("management_vlan of switch '{}' must be a VLAN id from 1 to 4094, "
                                                     "not '{}'", sw_.name, *t));
            return;
        }
        sw_.management_vlan = static_cast<int>(*id);
    }

    // An error, not a warning, on another platform: the key does nothing there, and a switch
    // whose platform was changed from junos by mistake should not compile quietly.
    void read_junos_style(const Node& v) {
        auto t = r_.text(v, what("junos_style"));
        if (!t) return;
        if (sw_.platform != PlatformId::junos) {
            r_.error(v, kinds::bad_junos_style, fmt::format("junos_style is for junos switches only; switch '{}' is {}",
                                                            sw_.name, sw_.platform_info().name));
        } else if (*t == "els") {
            sw_.junos_style = JunosStyle::els;
        } else if (*t == "non-els") {
            sw_.junos_style = JunosStyle::non_els;
        } else {
            r_.error(v, kinds::bad_junos_style, fmt::format("junos_style of switch '{}' must be els or non-els, not '{}'",
                                                            sw_.name, *t));
        }
    }

    // Free text that reaches the auditor and reports: no quotes or control characters.
    std::optional<std::string> safe_text(const Node& v, std::string_view key) {
        auto t = r_.text(v, what(key));
        if (!t) return std::nullopt;
        bool bad = t->empty() || std::any_of(t->begin(), t->end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\'' || c == '\\' || c == 0x7F;
        });
        if (!bad) return t;
        r_.error(v, kinds::bad_name, fmt::format("{} must be non-empty text without quotes, backslashes or "
                                                 "control characters", what(key)));
        return std::nullopt;
    }

    // An internal class by name, or nullptr after reporting why not.
    const DeviceClass* internal_class(const Node& n, std::string_view role) {
        auto name = r_.text(n, what(role));
        if (!name) return nullptr;
        const DeviceClass* c = b_.find_class(*name);
        if (!c) {
            r_.error(n, kinds::unknown_class, fmt::format("unknown class '{}'{}", *name, did_you_mean(*name, b_.class_names)));
            return nullptr;
        }
        if (c->external) {
            r_.error(n, kinds::external_class, fmt::format("external class '{}' cannot have {}: it is outside the switched network", *name,
                                                           role == "gateway" ? "a gateway" : "a switch port"));
            return nullptr;
        }
        return c;
    }

    void read_gateways(const Node& v) {
        for (const Node* item : r_.one_or_list(v, what("gateway"))) {
            const DeviceClass* c = internal_class(*item, "gateway");
            if (!c) continue;
            auto [it, fresh] = state_.gateways.emplace(c->name, r_.at(*item));
            if (!fresh) {
                r_.error(*item, kinds::duplicate_gateway,
                         fmt::format("class '{}' already has its gateway at {}; a class is filtered on one switch",
                                     c->name, where(it->second)));
                continue;
            }
            sw_.gateway_for.push_back(c->name);
        }
    }

    // False (reported once per policy) when `count` more of `total` would pass `limit`.
    bool within(std::size_t& total, std::size_t count, std::size_t limit, const Node& key, std::string_view what) {
        total += count;
        if (total <= limit) return true;
        if (!state_.too_large)
            r_.error(key, kinds::too_large, fmt::format("policy too large: more than {} {} in all switches", limit, what));
        state_.too_large = true;
        return false;
    }

    std::vector<std::string> interfaces(const Node& key) {
        auto expanded = expand_interface_range(key.text);
        if (expanded && !within(state_.interfaces, expanded->size(), kMaxPolicyInterfaces, key, "interfaces"))
            return {};
        if (expanded) return std::move(expanded.value());
        if (expanded.error().kind.empty()) r_.error(key, kinds::bad_interface, expanded.error().message);
        else r_.error(key, expanded.error());
        return {};
    }

    // Records `iface` for `owner`; false (after reporting) when it already belongs to another.
    bool claim(const std::string& iface, const std::string& owner, const Node& key) {
        auto [it, fresh] = owners_.emplace(iface, InterfaceOwner{owner, r_.at(key)});
        if (fresh) return true;
        if (it->second.owner == owner && !owner.empty()) return false;  // same class twice: harmless
        auto describe = [](const std::string& o) { return o.empty() ? std::string("a trunk") : "class '" + o + "'"; };
        r_.error(key, kinds::interface_conflict,
                 fmt::format("interface {} of switch '{}' is given to {} at {} and to {}", iface, sw_.name,
                             describe(it->second.owner), where(it->second.where), describe(owner)));
        return false;
    }

    void read_ports(const Node& v) {
        if (v.kind == NodeKind::null || !r_.is_map(v, what("ports"))) return;
        for (std::size_t i = 0; i < r_.tree().map_size(v); ++i) {
            const Node& key = r_.tree().key(v, i);
            const DeviceClass* c = internal_class(r_.tree().value(v, i), "port");
            auto names = interfaces(key);
            if (!c) continue;
            b_.classes_with_ports.insert(c->name);
            for (auto& iface : names)
                if (claim(iface, c->name, key)) sw_.ports.push_back({std::move(iface), c->name, r_.at(key)});
        }
    }

    void read_trunks(const Node& v) {
        if (v.kind == NodeKind::null || !r_.is_map(v, what("trunks"))) return;
        for (std::size_t i = 0; i < r_.tree().map_size(v); ++i) {
            const Node& key = r_.tree().key(v, i);
            auto vlans = trunk_vlans(r_.tree().value(v, i), key.text);
            auto names = interfaces(key);
            if (!within(state_.trunk_vlans, names.size() * vlans.size(), kMaxPolicyTrunkVlans, key, "trunk VLANs"))
                continue;
            for (auto& iface : names)
                if (claim(iface, "", key)) sw_.trunks.push_back({std::move(iface), vlans, r_.at(key)});
        }
    }

    std::vector<int> trunk_vlans(const Node& v, const std::string& iface) {
        std::set<int> ids;
        for (const Node* item : r_.one_or_list(v, fmt::format("the VLANs of trunk {}", iface))) {
            auto range = vlan_item(*item);
            if (!range) continue;
            std::vector<int> unused;
            for (int id = range->first; id <= range->second; ++id) {
                ids.insert(id);
                if (!state_.class_vlans.count(id)) unused.push_back(id);
            }
            if (!unused.empty() && range->first == range->second)
                r_.diags().warning(r_.at(*item), kinds::unused_trunk_vlan,
                                   fmt::format("trunk {} carries VLAN {}, which no class uses", iface, unused[0]));
        }
        return {ids.begin(), ids.end()};
    }

    // "110" or "100-199".
    std::optional<std::pair<int, int>> vlan_item(const Node& n) {
        auto t = r_.text(n, "a trunk VLAN");
        if (!t) return std::nullopt;
        auto dash = t->find('-');
        auto first = parse_decimal(t->substr(0, dash), 1, 4094);
        auto last = dash == std::string::npos ? first : parse_decimal(t->substr(dash + 1), 1, 4094);
        if (first && last && *first <= *last) return std::pair{static_cast<int>(*first), static_cast<int>(*last)};
        r_.error(n, kinds::bad_vlan, fmt::format("trunk VLAN '{}' must be an id from 1 to 4094 or a range N-M", *t));
        return std::nullopt;
    }

    const Reader& r_;
    Build& b_;
    SwitchState& state_;
    Switch sw_;
    std::unordered_map<std::string, InterfaceOwner> owners_;
};

}  // namespace

void build_switches(const Sections& sections, Build& build, Diagnostics& diags) {
    SwitchState state;
    for (const auto& c : build.policy.classes)
        if (c.vlan && !c.external) state.class_vlans.insert(*c.vlan);
    build.policy.switches.reserve(sections.switches.size());
    for (const auto& e : sections.switches) {
        Reader r(*e.tree, diags);
        SwitchReader(r, build, state).read(*e.value);
    }
}

}  // namespace microseg::compiler
