#include "verify/network_plan.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "model/interface_name.hpp"
#include "verify/emulation.hpp"
#include "verify/lab.hpp"

namespace microseg::verify {

namespace {

constexpr std::size_t kMaxHostsPerClass = 4;

std::vector<Cidr> v4_of(const DeviceClass& c) {
    std::vector<Cidr> out;
    for (const auto& s : c.subnets)
        if (s.network.family == IpFamily::v4) out.push_back(s);
    return out;
}

// Where a class's hosts can stand: the policy's access ports of that class that the file has,
// with the VLAN the file gives them.
struct PortSpot {
    std::size_t node = 0;
    std::string port;
    int line = 0;
    int vlan = 0;
};

class Planner {
public:
    Planner(const Policy& policy, const std::vector<ShippedFile>& files, NetworkPlan& plan)
        : policy_(policy), files_(files), plan_(plan) {}

    Result<bool> run() {
        make_nodes();
        join_trunks();
        for (const auto& c : policy_.classes())
            if (auto ok = place_class(c); !ok) return ok;
        route();
        return true;
    }

private:
    std::vector<std::string>& script(const std::string& netns) { return plan_.scripts[netns]; }

    // VLANs the node bridges: every VLAN its file names; a router's from the policy.
    std::set<int> vlans_of(const ShippedFile& f) const {
        std::set<int> out;
        const auto& b = f.config.as_built;
        if (f.config.router) return {};  // filled from the policy below
        for (const auto& v : b.vlans) out.insert(v.id);
        for (const auto& p : b.access_ports) out.insert(p.vlan);
        for (const auto& t : b.trunks) out.insert(t.vlans.begin(), t.vlans.end());
        for (const auto& s : b.svis) out.insert(s.vlan);
        return out;
    }

    void make_nodes() {
        for (std::size_t i = 0; i < files_.size(); ++i) {
            LabNode n;
            n.file = i;
            n.netns = fmt::format("{}-s{}", plan_.prefix, i);
            n.core_port = fmt::format("s{}", i);
            n.uplink_address = fmt::format("169.254.{}.{}", 64 + i / 64, (i % 64) * 4 + 2);
            auto vlans = vlans_of(files_[i]);
            if (files_[i].config.router) vlans = router_vlans(*files_[i].sw);
            n.vlans.assign(vlans.begin(), vlans.end());
            auto& s = script(n.netns);
            s.push_back("link set lo up");
            for (int v : n.vlans) add_bridge(n.netns, i, v);
            add_svis(files_[i], n);
            plan_.links.push_back({plan_.core_netns, n.core_port, n.netns, "uplink"});
            s.push_back(fmt::format("addr add {}/30 dev uplink", n.uplink_address));
            s.push_back("link set uplink up");
            auto& core = script(plan_.core_netns);
            core.push_back(fmt::format("addr add {}/30 dev {}", core_address(i), n.core_port));
            core.push_back(fmt::format("link set {} up", n.core_port));
            plan_.nodes.push_back(std::move(n));
        }
    }

    // A fixed MAC: a Linux bridge otherwise takes its lowest port's and changes it as ports
    // join, and a host that resolved the old one loses its next packets (seen: probes to a
    // switch address failing for a second after the build).
    void add_bridge(const std::string& netns, std::size_t node, int vlan) {
        auto& s = script(netns);
        s.push_back(fmt::format("link add {} address 02:4d:{:02x}:{:02x}:{:02x}:01 type bridge", bridge_name(vlan),
                                node & 0xff, (vlan >> 8) & 0xff, vlan & 0xff));
        s.push_back(fmt::format("link set {} up", bridge_name(vlan)));
    }

    std::string core_address(std::size_t i) const {
        return fmt::format("169.254.{}.{}", 64 + i / 64, (i % 64) * 4 + 1);
    }

    std::set<int> router_vlans(const Switch& sw) const {
        std::set<int> out;
        for (const auto& t : sw.trunks) out.insert(t.vlans.begin(), t.vlans.end());
        if (sw.management_vlan) out.insert(*sw.management_vlan);
        for (const auto& name : sw.gateway_for)
            if (const auto* c = policy_.find_class(name); c && c->vlan) out.insert(*c->vlan);
        return out;
    }

    // The file's SVI addresses (a router's: its gateway classes'), and the switch's own address
    // as a /32 on the bridge of the VLAN whose subnet holds it.
    void add_svis(const ShippedFile& f, LabNode& n) {
        auto& s = script(n.netns);
        std::set<std::string> mine;
        auto add = [&](int vlan, const IpAddress& a, int len) {
            if (!std::count(n.vlans.begin(), n.vlans.end(), vlan) || !mine.insert(fmt::format("{}", a)).second) return;
            if (len < 32) connected_[n.file].insert(*Cidr::parse_interface(fmt::format("{}/{}", a, len)));
            s.push_back(fmt::format("addr add {}/{} dev {}", a, len, bridge_name(vlan)));
        };
        if (f.config.router) {
            for (const auto& name : f.sw->gateway_for)
                if (const auto* c = policy_.find_class(name); c && c->vlan)
                    for (const auto& sub : v4_of(*c)) add(*c->vlan, gateway_in(*c, sub), sub.prefix_len);
        } else {
            for (const auto& svi : f.config.as_built.svis)
                for (const auto& a : svi.addresses)
                    if (a.address.family == IpFamily::v4) add(svi.vlan, a.address, a.subnet.prefix_len);
        }
        auto own = IpAddress::parse(f.sw->address);
        if (!own || own->family != IpFamily::v4) return;
        const DeviceClass* c = policy_.class_of(*own);
        if (c && c->vlan && std::count(n.vlans.begin(), n.vlans.end(), *c->vlan)) {
            add(*c->vlan, *own, 32);
            n.own_address = *own;
        } else {
            plan_.notes.push_back(fmt::format("switch {}: its address {} is on no VLAN it carries (reached out of "
                                              "band or routed): management access to it is not probed",
                                              f.sw->name, *own));
        }
    }

    // Trunks name no peer: every node whose file's trunks carry a VLAN joins the first such
    // node (a star per VLAN: one L2 domain, no loop).
    void join_trunks() {
        std::map<int, std::vector<std::size_t>> carriers;
        for (std::size_t i = 0; i < files_.size(); ++i) {
            std::set<int> carried;
            if (files_[i].config.router) {
                for (const auto& t : files_[i].sw->trunks) carried.insert(t.vlans.begin(), t.vlans.end());
                if (files_[i].sw->management_vlan && !carried.empty()) carried.insert(*files_[i].sw->management_vlan);
            } else {
                for (const auto& t : files_[i].config.as_built.trunks) carried.insert(t.vlans.begin(), t.vlans.end());
            }
            for (int v : carried) carriers[v].push_back(i);
        }
        for (const auto& [vlan, nodes] : carriers)
            for (std::size_t k = 1; k < nodes.size(); ++k) {
                const LabNode& hub = plan_.nodes[nodes[0]];
                const LabNode& spoke = plan_.nodes[nodes[k]];
                std::string a = fmt::format("t{}n{}", vlan, nodes[k]), b = fmt::format("t{}n{}", vlan, nodes[0]);
                plan_.links.push_back({hub.netns, a, spoke.netns, b});
                attach(hub.netns, a, vlan);
                attach(spoke.netns, b, vlan);
            }
    }

    void attach(const std::string& netns, const std::string& dev, int vlan) {
        auto& s = script(netns);
        s.push_back(fmt::format("link set {} master {}", dev, bridge_name(vlan)));
        s.push_back(fmt::format("link set {} up", dev));
    }

    std::vector<PortSpot> spots_of(const DeviceClass& c) const {
        std::vector<PortSpot> out;
        for (std::size_t i = 0; i < files_.size(); ++i) {
            const auto& f = files_[i];
            std::map<std::string, std::size_t> live;
            const auto& ports = f.config.as_built.access_ports;
            for (std::size_t k = 0; k < ports.size(); ++k)
                live.emplace(canonical_interface(f.sw->platform, ports[k].interface), k);
            for (const auto& p : f.sw->ports) {
                if (p.device_class != c.name) continue;
                auto it = live.find(canonical_interface(f.sw->platform, p.interface));
                if (it == live.end()) continue;
                const auto& lines = f.config.interface_lines.access_ports;
                int line = it->second < lines.size() ? lines[it->second] : 0;
                out.push_back({i, ports[it->second].interface, line, ports[it->second].vlan});
            }
        }
        return out;
    }

    // Two spots on the first node that has the class, then one on each further node.
    static std::vector<PortSpot> choose(const std::vector<PortSpot>& spots) {
        std::vector<PortSpot> out;
        std::map<std::size_t, int> per_node;
        for (const auto& s : spots) {
            int limit = out.empty() || s.node == out.front().node ? 2 : 1;
            if (per_node[s.node] >= limit || out.size() >= kMaxHostsPerClass) continue;
            ++per_node[s.node];
            out.push_back(s);
        }
        return out;
    }

    Result<bool> place_class(const DeviceClass& c) {
        if (v4_of(c).empty()) return true;
        if (c.external) return place_external(c);
        if (!c.vlan) return true;
        auto spots = choose(spots_of(c));
        if (spots.empty()) spots = gateway_spots(c);
        if (spots.empty()) {
            plan_.notes.push_back(fmt::format("class {}: no access port and no gateway in the lab: not probed", c.name));
            return true;
        }
        auto subnet = v4_of(c).front();
        auto switch_addresses = std::set<IpAddress>();
        for (const auto& f : files_)
            if (auto a = IpAddress::parse(f.sw->address)) switch_addresses.insert(*a);
        auto addresses = internal_addresses(c, subnet, spots.size(), switch_addresses);
        if (!addresses) return addresses.error();
        for (std::size_t k = 0; k < spots.size(); ++k) add_host(c, spots[k], (*addresses)[k], subnet);
        return true;
    }

    std::vector<PortSpot> gateway_spots(const DeviceClass& c) const {
        const Switch* gw = policy_.gateway_of(c.name);
        for (std::size_t i = 0; gw && i < files_.size(); ++i)
            if (files_[i].sw == gw) return {{i, "", 0, *c.vlan}, {i, "", 0, *c.vlan}};
        return {};
    }

    NetworkHost new_host(const std::string& class_name, std::size_t node) {
        NetworkHost h;
        h.class_name = class_name;
        h.index = static_cast<int>(plan_.hosts_of(class_name).size());
        h.netns = fmt::format("{}-h{}", plan_.prefix, plan_.hosts.size());
        h.node = node;
        h.netdev = fmt::format("p{}", plan_.hosts.size());
        return h;
    }

    void add_host(const DeviceClass& c, const PortSpot& spot, const IpAddress& address, const Cidr& subnet) {
        NetworkHost h = new_host(c.name, spot.node);
        h.port = spot.port;
        h.port_line = spot.line;
        h.vlan = spot.vlan;
        h.address = address;
        h.prefix_len = subnet.prefix_len;
        h.gateway = gateway_in(c, subnet);
        for (const auto& other : policy_.classes())
            if (!other.external && other.vlan == spot.vlan)
                for (const auto& s : v4_of(other))
                    if (s != subnet) h.on_link.push_back(s);
        LabNode& node = plan_.nodes[spot.node];
        plan_.links.push_back({node.netns, h.netdev, h.netns, "eth0"});
        if (!std::count(node.vlans.begin(), node.vlans.end(), h.vlan)) {  // a VLAN the file has nowhere else
            node.vlans.push_back(h.vlan);
            add_bridge(node.netns, spot.node, h.vlan);
        }
        attach(node.netns, h.netdev, h.vlan);
        if (!h.port.empty()) node.port_netdev[h.port] = h.netdev;
        if (!h.port.empty() && files_[spot.node].config.protected_ports.count(h.port)) {
            node.protected_netdevs.push_back(h.netdev);
            script(node.netns).push_back(fmt::format("link set dev {} type bridge_slave isolated on", h.netdev));
        }
        auto& s = script(h.netns);
        s = {"link set lo up", "link set eth0 up", fmt::format("addr add {}/{} dev eth0", h.address, h.prefix_len)};
        for (const auto& c2 : h.on_link) s.push_back(fmt::format("route add {} dev eth0", c2));
        s.push_back(fmt::format("route add default via {}", h.gateway));
        plan_.hosts.push_back(std::move(h));
    }

    Result<bool> place_external(const DeviceClass& c) {
        const Switch* via = c.via.empty() ? nullptr : policy_.find_switch(c.via.front());
        std::optional<std::size_t> node;
        for (std::size_t i = 0; via && i < files_.size(); ++i)
            if (files_[i].sw == via) node = i;
        if (!node) {
            plan_.notes.push_back(fmt::format("external class {}: no `via` switch in the lab: not probed", c.name));
            return true;
        }
        auto address = external_address(policy_, c);
        if (!address) return address.error();
        NetworkHost h = new_host(c.name, *node);
        h.address = *address;
        h.gateway = *IpAddress::parse(kExternalGateway);
        LabNode& n = plan_.nodes[*node];
        plan_.links.push_back({n.netns, h.netdev, h.netns, "eth0"});
        auto& s = script(n.netns);
        s.push_back(fmt::format("addr add {}/32 dev {}", kExternalGateway, h.netdev));
        s.push_back(fmt::format("link set {} up", h.netdev));
        bool everything = std::any_of(c.subnets.begin(), c.subnets.end(), [](const Cidr& x) { return x.prefix_len == 0; });
        s.push_back(everything ? fmt::format("route add default via {} dev {} onlink", h.address, h.netdev)
                               : fmt::format("route add {}/32 dev {}", h.address, h.netdev));
        script(h.netns) = {"link set lo up", "link set eth0 up", fmt::format("addr add {}/32 dev eth0", h.address),
                           fmt::format("route add default via {} dev eth0 onlink", h.gateway)};
        plan_.hosts.push_back(std::move(h));
        return true;
    }

    // The node that routes a class: the file holding an SVI in its subnet; else its filtering
    // switch (a router's gateway, an external's first `via`).
    std::optional<std::size_t> router_of(const DeviceClass& c) const {
        for (std::size_t i = 0; i < files_.size(); ++i)
            for (const auto& svi : files_[i].config.as_built.svis)
                for (const auto& a : svi.addresses)
                    for (const auto& s : c.subnets)
                        if (a.subnet == s) return i;
        auto filters = policy_.filters_of(c);
        for (std::size_t i = 0; !filters.empty() && i < files_.size(); ++i)
            if (files_[i].sw == filters.front()) return i;
        return std::nullopt;
    }

    void route() {
        auto& core = script(plan_.core_netns);
        std::vector<std::pair<Cidr, std::size_t>> routed;
        for (const auto& c : policy_.classes())
            if (auto node = router_of(c)) {
                plan_.routed_by[c.name] = *node;
                for (const auto& s : v4_of(c)) routed.emplace_back(s, *node);
            }
        for (const auto& [subnet, node] : routed) {
            std::string to = subnet.prefix_len == 0 ? "default" : fmt::format("{}", subnet);
            core.push_back(fmt::format("route add {} via {}", to, plan_.nodes[node].uplink_address));
        }
        for (std::size_t i = 0; i < plan_.nodes.size(); ++i) {
            auto& s = script(plan_.nodes[i].netns);
            bool has_default = std::any_of(s.begin(), s.end(), [](const std::string& l) { return l.rfind("route add default", 0) == 0; });
            if (!has_default) s.push_back(fmt::format("route add default via {}", core_address(i)));
            for (const auto& [subnet, node] : routed)
                if (node != i && subnet.prefix_len != 0 && !connected_[i].count(subnet))
                    s.push_back(fmt::format("route add {} via {}", subnet, core_address(i)));
        }
    }

    const Policy& policy_;
    const std::vector<ShippedFile>& files_;
    NetworkPlan& plan_;
    std::map<std::size_t, std::set<Cidr>> connected_;  // node -> subnets of its SVIs
};

}  // namespace

std::vector<std::string> NetworkPlan::namespaces() const {
    std::vector<std::string> out = {core_netns};
    for (const auto& n : nodes) out.push_back(n.netns);
    for (const auto& h : hosts) out.push_back(h.netns);
    return out;
}

std::vector<const NetworkHost*> NetworkPlan::hosts_of(const std::string& class_name) const {
    std::vector<const NetworkHost*> out;
    for (const auto& h : hosts)
        if (h.class_name == class_name) out.push_back(&h);
    return out;
}

const LabNode* NetworkPlan::node_of(const std::string& switch_name, const std::vector<ShippedFile>& files) const {
    for (const auto& n : nodes)
        if (files[n.file].sw->name == switch_name) return &n;
    return nullptr;
}

Result<NetworkPlan> plan_network(const Policy& policy, const std::vector<ShippedFile>& files, const std::string& prefix) {
    NetworkPlan plan;
    plan.prefix = prefix;
    plan.core_netns = prefix + "-c";
    plan.scripts[plan.core_netns] = {"link set lo up"};
    Planner planner(policy, files, plan);
    if (auto ok = planner.run(); !ok) return ok.error();
    return plan;
}

}  // namespace microseg::verify
