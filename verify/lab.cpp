#include "verify/lab.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "verify/process.hpp"

namespace microseg::verify {

namespace {

std::vector<Cidr> v4_subnets(const DeviceClass& c) {
    std::vector<Cidr> out;
    for (const auto& s : c.subnets)
        if (s.network.family == IpFamily::v4) out.push_back(s);
    return out;
}

IpAddress plus(const IpAddress& a, std::uint32_t k) {
    return IpAddress::v4(static_cast<std::uint32_t>(a.value) + k);
}


// Not a source a router forwards: 0/8, 127/8, 169.254/16, 224/3.
bool routable(const IpAddress& a) {
    auto v = static_cast<std::uint32_t>(a.value);
    auto top = v >> 24;
    return top != 0 && top != 127 && top < 224 && (v >> 16) != 0xa9fe;
}


std::vector<Cidr> vlan_subnets(const Policy& policy, int vlan) {
    std::vector<Cidr> out;
    for (const auto& c : policy.classes())
        if (!c.external && c.vlan == vlan)
            for (const auto& s : v4_subnets(c)) out.push_back(s);
    return out;
}

LabHost make_host(const LabPlan& plan, const std::string& class_name, int index) {
    LabHost h;
    h.class_name = class_name;
    h.index = index;
    auto n = plan.hosts.size();
    h.netns = fmt::format("{}-h{}", plan.prefix, n);
    h.router_port = fmt::format("v{}", n);
    return h;
}

Result<bool> plan_internal(const Policy& policy, const DeviceClass& c, LabPlan& plan,
                           std::map<int, LabBridge>& bridges) {
    auto subnets = v4_subnets(c);
    auto addresses = internal_addresses(c, subnets.front(), 2);
    if (!addresses) return addresses.error();
    LabBridge& br = bridges[*c.vlan];
    br.vlan = *c.vlan;
    br.name = fmt::format("br{}", *c.vlan);
    for (const auto& s : subnets) br.addresses.push_back(fmt::format("{}/{}", gateway_in(c, s), s.prefix_len));
    for (int i = 0; i < 2; ++i) {
        LabHost h = make_host(plan, c.name, i);
        h.bridge = br.name;
        h.subnet = subnets.front();
        h.address = addresses.value()[static_cast<std::size_t>(i)];
        h.gateway = gateway_in(c, h.subnet);
        for (const auto& s : vlan_subnets(policy, *c.vlan))
            if (s != h.subnet) h.on_link.push_back(s);
        plan.hosts.push_back(std::move(h));
    }
    return true;
}

Result<bool> plan_external(const Policy& policy, const DeviceClass& c, LabPlan& plan) {
    auto address = external_address(policy, c);
    if (!address) return address.error();
    LabHost h = make_host(plan, c.name, 0);
    h.address = *address;
    h.subnet = Cidr{*address, 32};
    h.gateway = *IpAddress::parse(kExternalGateway);
    plan.hosts.push_back(std::move(h));
    return true;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

std::string router_script(const LabPlan& plan) {
    std::vector<std::string> s = {"link set lo up"};
    for (const auto& br : plan.bridges) {
        s.push_back(fmt::format("link add {} type bridge", br.name));
        for (const auto& a : br.addresses) s.push_back(fmt::format("addr add {} dev {}", a, br.name));
        s.push_back(fmt::format("link set {} up", br.name));
    }
    for (const auto& h : plan.hosts) {
        s.push_back(fmt::format("link add {} type veth peer name eth0 netns {}", h.router_port, h.netns));
        if (!h.bridge.empty()) {
            s.push_back(fmt::format("link set {} master {}", h.router_port, h.bridge));
            s.push_back(fmt::format("link set {} up", h.router_port));
            continue;
        }
        s.push_back(fmt::format("addr add {}/32 dev {}", kExternalGateway, h.router_port));
        s.push_back(fmt::format("link set {} up", h.router_port));
        s.push_back(fmt::format("route add {}/32 dev {}", h.address, h.router_port));
    }
    return join_lines(s);
}

std::string host_script(const LabHost& h) {
    std::vector<std::string> s = {"link set lo up", "link set eth0 up",
                                  fmt::format("addr add {}/{} dev eth0", h.address, h.subnet.prefix_len)};
    for (const auto& c : h.on_link) s.push_back(fmt::format("route add {} dev eth0", c));
    s.push_back(h.bridge.empty() ? fmt::format("route add default via {} dev eth0 onlink", h.gateway)
                                 : fmt::format("route add default via {}", h.gateway));
    return join_lines(s);
}

Result<bool> checked(const ProcessResult& r, std::string_view what) {
    if (r.ok()) return true;
    return make_error(fmt::format("{} failed (exit {}): {}", what, r.exit_code, r.output), {}, "verify-lab");
}

}  // namespace

IpAddress gateway_in(const DeviceClass& c, const Cidr& s) {
    if (c.gateway_address && s.contains(*c.gateway_address)) return *c.gateway_address;
    return s.first_host();
}

Result<std::vector<IpAddress>> internal_addresses(const DeviceClass& c, const Cidr& s, std::size_t n,
                                                  const std::set<IpAddress>& taken) {
    std::set<IpAddress> gateways = taken;
    for (const auto& sub : v4_subnets(c)) gateways.insert(gateway_in(c, sub));
    std::vector<IpAddress> out;
    for (std::uint32_t k = 0; k < 64 + n && out.size() < n; ++k) {
        IpAddress a = plus(s.first_host(), k);
        if (!s.contains(a) || a == s.last() || a == s.network) break;
        if (!gateways.count(a)) out.push_back(a);
    }
    if (out.size() < n)
        return make_error(fmt::format("class {}: subnet {} has no room for {} lab hosts", c.name, s, n),
                          c.location, "verify-subnet-too-small");
    return out;
}

Result<IpAddress> external_address(const Policy& policy, const DeviceClass& c) {
    for (const auto& s : v4_subnets(c)) {
        std::vector<IpAddress> candidates;
        if (s.prefix_len <= 8)  // documentation ranges first, for "internet"-like classes
            for (const char* t : {"203.0.113.10", "198.51.100.10", "192.0.2.10"})
                candidates.push_back(*IpAddress::parse(t));
        for (std::uint32_t k : {9u, 1u, 0u}) candidates.push_back(plus(s.first_host(), k));
        for (const auto& a : candidates)
            if (s.contains(a) && routable(a) && policy.class_of(a) == &c) return a;
    }
    return make_error(fmt::format("external class {}: no address of its own for a lab host", c.name),
                      c.location, "verify-no-external-address");
}

const LabHost* LabPlan::host(const std::string& class_name, int index) const {
    for (const auto& h : hosts)
        if (h.class_name == class_name && h.index == index) return &h;
    return nullptr;
}

std::vector<std::string> LabPlan::namespaces() const {
    std::vector<std::string> out = {router_netns};
    for (const auto& h : hosts) out.push_back(h.netns);
    return out;
}

std::string make_lab_prefix() {
    static std::atomic<int> counter{0};
    for (int attempt = 0; attempt < 26 * 4; ++attempt) {
        int n = counter++ % 26;
        std::string prefix = fmt::format("ms{}{}", ::getpid() % 10000, static_cast<char>('a' + n));
        std::error_code ec;
        bool taken = false;
        for (const auto& e : std::filesystem::directory_iterator("/run/netns", ec))
            if (e.path().filename().string().rfind(prefix + "-", 0) == 0) taken = true;
        if (!taken) return prefix;
    }
    return fmt::format("ms{}z", ::getpid() % 10000);
}

std::vector<std::string> lab_classes(const Policy& policy, const std::string& switch_name) {
    std::vector<std::string> internal, external;
    for (const auto& c : policy.classes()) {
        if (v4_subnets(c).empty()) continue;
        if (c.external) {
            external.push_back(c.name);
            continue;
        }
        if (!c.vlan) continue;
        const Switch* gw = policy.gateway_of(c.name);
        if (switch_name.empty() || (gw && gw->name == switch_name)) internal.push_back(c.name);
    }
    internal.insert(internal.end(), external.begin(), external.end());
    return internal;
}

Result<LabPlan> plan_lab(const Policy& policy, const std::vector<std::string>& classes,
                         const std::string& prefix) {
    LabPlan plan;
    plan.prefix = prefix;
    plan.router_netns = prefix + "-r";
    std::map<int, LabBridge> bridges;
    for (const auto& name : classes) {
        const DeviceClass* c = policy.find_class(name);
        if (!c || v4_subnets(*c).empty()) return make_error(fmt::format("class {}: no IPv4 subnet", name));
        auto ok = c->external ? plan_external(policy, *c, plan) : plan_internal(policy, *c, plan, bridges);
        if (!ok) return ok.error();
        plan.classes.push_back(name);
    }
    for (auto& [id, br] : bridges) plan.bridges.push_back(std::move(br));
    return plan;
}

// ---- Lab ----------------------------------------------------------------------------------

Lab::~Lab() { teardown(); }

Result<bool> Lab::build() {
    install_cleanup_handlers();
    if (auto ok = add_namespaces(plan_.namespaces(), created_); !ok) return ok;
    if (auto ok = configure_router(); !ok) return ok;
    return configure_hosts();
}

Result<bool> Lab::configure_router() {
    // Forward between VLANs; keep bridged (same-VLAN) traffic out of the IP hooks, so the L2
    // domain is filtered only by the bridge-family table, as on a switch.
    auto r = run_process({"sysctl", "-q", "-e", "-w", "net.ipv4.ip_forward=1",
                          "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-ip6tables=0",
                          "net.bridge.bridge-nf-call-arptables=0"},
                         plan_.router_netns);
    if (auto ok = checked(r, "sysctl in the router namespace"); !ok) return ok;
    return checked(run_process({"ip", "-batch", "-"}, plan_.router_netns, router_script(plan_)),
                   "configuring the router namespace");
}

Result<bool> Lab::configure_hosts() {
    for (const auto& h : plan_.hosts) {
        auto r = run_process({"ip", "-batch", "-"}, h.netns, host_script(h));
        if (auto ok = checked(r, "configuring " + h.netns); !ok) return ok;
    }
    return true;
}

Result<bool> Lab::load_ruleset(const std::string& ruleset) {
    return checked(run_process({"nft", "-f", "-"}, plan_.router_netns, ruleset), "loading the nftables ruleset");
}

void Lab::teardown() { delete_namespaces(created_, keep_); }

std::string Lab::how_to_enter() const {
    std::string out = fmt::format("lab kept: router namespace {} (nft list ruleset; bridge link)\n",
                                  plan_.router_netns);
    for (const auto& h : plan_.hosts)
        out += fmt::format("  {:<12} {}#{} {}\n", h.netns, h.class_name, h.index, h.address);
    out += fmt::format("enter:  ip netns exec {} bash\n", plan_.router_netns);
    out += fmt::format("remove: for ns in {}; do ip netns del $ns; done\n", fmt::join(plan_.namespaces(), " "));
    return out;
}

std::string dataplane_unavailable_reason() {
    if (::geteuid() != 0) return "verify needs root (network namespaces, bridges, nftables)";
    for (const char* tool : {"ip", "nft", "sysctl"})
        if (find_program(tool).empty()) return fmt::format("verify needs `{}`, which is not installed", tool);
    std::string ns = make_lab_prefix() + "-check";
    register_for_cleanup(ns);
    auto r = run_process({"ip", "netns", "add", ns});
    if (r.ok()) run_process({"ip", "netns", "del", ns});
    unregister_for_cleanup(ns);
    return r.ok() ? std::string() : "cannot create a network namespace: " + r.output;
}

}  // namespace microseg::verify
