#include "tests/support/ssh_fleet.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"

namespace microseg::test {
namespace {

// fake_switch takes the policy's platform name (model/platform.cpp).
std::string_view fake_platform(PlatformId p) { return platform(p).name; }

// Interface names as each platform writes them: access ports 1..n, and one uplink.
std::string port_range(PlatformId p, int first, int last) {
    auto range = first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
    if (p == PlatformId::arista_eos) return "Ethernet" + range;
    if (p == PlatformId::junos) return "ge-0/0/" + (first == last ? fmt::format("{}", first - 1)
                                                                   : fmt::format("{}-{}", first - 1, last - 1));
    return "Gi1/0/" + range;
}

std::string uplink(PlatformId p) {
    if (p == PlatformId::arista_eos) return "Ethernet49";
    if (p == PlatformId::junos) return "xe-0/1/0";
    return "Te1/1/1";
}

// Four classes, one entry class and two protected ones; the gateway switch routes them all.
constexpr const char* kPolicyClasses = R"(version: 1
name: audit-cli-fleet
classes:
  infusion-pump: {vlan: 10, subnets: [10.60.10.0/24], devices: 40, criticality: life, isolate: true}
  ehr-server: {vlan: 30, subnets: [10.60.30.0/24], devices: 3, criticality: high, phi: true}
  workstation: {vlan: 40, subnets: [10.60.40.0/24], devices: 80, entry: true}
  printer: {vlan: 50, subnets: [10.60.50.0/24], devices: 6, criticality: low}
)";

constexpr const char* kPolicyFlows = R"(flows:
  - {from: infusion-pump, to: ehr-server, services: [https]}
  - {from: workstation, to: ehr-server, services: [https]}
  - {from: [workstation, ehr-server], to: printer, services: [ipp]}
)";

// A class is filtered on one switch only, so each nftables router routes a LAN of its own
// (the n-th router: VLAN 100+n, 10.61.n.0/24) that workstations may reach over https.
std::string router_lan_class(const FleetSwitch& s, int n) {
    return fmt::format("  {}-lan: {{vlan: {}, subnets: [10.61.{}.0/24], devices: 10}}\n", s.name, 100 + n, n);
}

std::string router_lan_flow(const FleetSwitch& s) {
    return fmt::format("  - {{from: workstation, to: {}-lan, services: [https]}}\n", s.name);
}

std::string router_yaml(const FleetSwitch& s, int port, int n) {
    return fmt::format("  - name: {}\n    platform: nftables\n    address: 127.0.0.1\n    ssh_port: {}\n"
                       "    gateway: [{}-lan]\n    trunks:\n      eth1: [{}]\n",
                       s.name, port, s.name, 100 + n);
}

std::string switch_yaml(const FleetSwitch& s, int port) {
    std::string y = fmt::format("  - name: {}\n    platform: {}\n    address: 127.0.0.1\n    ssh_port: {}\n", s.name,
                                platform(s.platform).name, port);
    if (s.gateway) y += "    gateway: [infusion-pump, ehr-server, workstation, printer]\n";
    y += "    ports:\n";
    y += fmt::format("      {}: workstation\n", port_range(s.platform, 1, 8));
    y += fmt::format("      {}: infusion-pump\n", port_range(s.platform, 9, 12));
    y += fmt::format("      {}: printer\n", port_range(s.platform, 13, 13));
    if (s.gateway) y += fmt::format("      {}: ehr-server\n", port_range(s.platform, 14, 15));
    y += fmt::format("    trunks:\n      {}: [10, 40, 50]\n", uplink(s.platform));
    return y;
}

}  // namespace

SshFleet::SshFleet(const std::vector<FleetSwitch>& switches) {
    dir_ = make_temp_dir("fleet");
    ::chmod(dir_.c_str(), 0755);
    std::string classes = kPolicyClasses, flows = kPolicyFlows, yaml = "switches:\n";
    int routers = 0;
    for (const auto& s : switches) {
        std::string base = dir_ + "/" + s.name;
        write_readable_file(base + ".args", "");
        write_readable_file(base + ".cfg", "");
        SshdConfig config;
        config.force_command = fmt::format("{} --platform {} --hostname {} --config {}.cfg $(cat {}.args)",
                                           reachable_fake_switch(), fake_platform(s.platform), s.name, base, base);
        auto h = SshdHarness::start(config, why_not_);
        if (!h) return;
        if (s.platform == PlatformId::nftables) {
            classes += router_lan_class(s, ++routers);
            flows += router_lan_flow(s);
            yaml += router_yaml(s, h->port(), routers);
        } else {
            yaml += switch_yaml(s, h->port());
        }
        devices_[s.name] = std::move(h);
    }
    yaml = classes + flows + yaml;
    // One client key for the whole fleet, as an operator has.
    std::string client_pub = read_file(devices_.begin()->second->client_key() + ".pub");
    for (const auto& [name, h] : devices_) write_file(h->dir() + "/authorized_keys", client_pub);
    policy_path_ = dir_ + "/policy.yaml";
    write_readable_file(policy_path_, yaml);
    auto compiled = compile_policy_file(policy_path_);
    if (!compiled.policy) throw std::runtime_error("the generated fleet policy does not compile");
    policy_ = std::move(*compiled.policy);
    for (const auto& s : switches) serve(s.name, emitted(s.name));
}

SshFleet::~SshFleet() {
    devices_.clear();  // stops every sshd first
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string SshFleet::emitted(const std::string& name) const {
    const Switch* sw = policy_.find_switch(name);
    if (!sw) throw std::runtime_error("no switch " + name);
    auto config = emitter_for(sw->platform).emit(policy_, *sw);
    if (!config) throw std::runtime_error("cannot emit " + name);
    return config->text;
}

void SshFleet::serve(const std::string& name, const std::string& config) const {
    write_readable_file(dir_ + "/" + name + ".cfg", config);
}

void SshFleet::set_behaviour(const std::string& name, const std::string& flags) const {
    write_readable_file(dir_ + "/" + name + ".args", flags);
}

std::string SshFleet::trust_all(const std::string& path) const {
    std::string lines;
    for (const auto& [name, h] : devices_) lines += h->known_hosts_line() + "\n";
    write_file(path, lines);
    return path;
}

std::vector<std::string> SshFleet::audit_args(const std::string& known_hosts) const {
    const auto& any = *devices_.begin()->second;
    return {"audit", policy_path_, "--user", any.user(), "--identity", any.client_key(), "--known-hosts", known_hosts};
}

}  // namespace microseg::test
