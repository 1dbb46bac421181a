#include "verify/network_lab.hpp"

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "verify/emulation.hpp"
#include "verify/lab.hpp"
#include "verify/process.hpp"

namespace microseg::verify {

namespace {

Result<bool> checked(const ProcessResult& r, std::string_view what) {
    if (r.ok()) return true;
    return make_error(fmt::format("{} failed (exit {}): {}", what, r.exit_code, r.output), {}, "verify-lab");
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

// Switches and the core route; bridged frames stay out of the IP hooks (br_netfilter off), so
// a bridge-family table sees L2 and an ip/inet one routed traffic, as on a switch.
Result<bool> forwarding(const std::string& netns) {
    return checked(run_process({"sysctl", "-q", "-e", "-w", "net.ipv4.ip_forward=1",
                                "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-ip6tables=0",
                                "net.bridge.bridge-nf-call-arptables=0", "net.ipv4.conf.all.rp_filter=0",
                                "net.ipv4.conf.default.rp_filter=0"},
                               netns),
                   "sysctl in " + netns);
}

}  // namespace

NetworkLab::~NetworkLab() { teardown(); }

Result<bool> NetworkLab::build(const std::vector<ShippedFile>& files) {
    if (auto ok = add_namespaces(plan_.namespaces(), created_); !ok) return ok;
    std::vector<std::string> links;
    for (const auto& l : plan_.links)
        links.push_back(fmt::format("link add {} netns {} type veth peer name {} netns {}", l.name_a, l.netns_a,
                                    l.name_b, l.netns_b));
    if (auto ok = checked(run_process({"ip", "-batch", "-"}, {}, joined(links)), "creating the lab's links"); !ok)
        return ok;
    for (const auto& ns : std::vector<std::string>{plan_.core_netns})
        if (auto ok = forwarding(ns); !ok) return ok;
    for (const auto& n : plan_.nodes)
        if (auto ok = forwarding(n.netns); !ok) return ok;
    for (const auto& [ns, lines] : plan_.scripts)
        if (auto ok = checked(run_process({"ip", "-batch", "-"}, ns, joined(lines)), "configuring " + ns); !ok)
            return ok;
    for (const auto& n : plan_.nodes)
        if (auto ok = load_filter(n, files[n.file]); !ok) return ok;
    return wait_for_carrier();
}

// The kernel reports a veth's carrier through linkwatch, up to a second late, and a bridge
// forwards through a port only from then: probes sent earlier are lost (seen as a flow
// "blocked" at random). Wait until no link of the lab lacks its carrier.
Result<bool> NetworkLab::wait_for_carrier() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::vector<std::string> waiting = plan_.namespaces();
    while (!waiting.empty()) {
        std::erase_if(waiting, [](const std::string& ns) {
            auto r = run_process({"ip", "-o", "link", "show"}, ns);
            return r.ok() && r.output.find("NO-CARRIER") == std::string::npos &&
                   r.output.find("LOWERLAYERDOWN") == std::string::npos;
        });
        if (waiting.empty()) break;
        if (std::chrono::steady_clock::now() > deadline)
            return make_error(fmt::format("links in {} never came up", waiting.front()), {}, "verify-lab");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

Result<bool> NetworkLab::load_filter(const LabNode& node, const ShippedFile& file) {
    std::string ruleset = file.config.router ? file.text : emulation_ruleset(file.config, node.port_netdev);
    if (ruleset.empty()) return true;
    return checked(run_process({"nft", "-f", "-"}, node.netns, ruleset),
                   fmt::format("loading {} ({}) into {}", file.sw->name, file.path, node.netns));
}

void NetworkLab::teardown() { delete_namespaces(created_, keep_); }

std::string NetworkLab::how_to_enter(const std::vector<ShippedFile>& files) const {
    std::string out = fmt::format("lab kept: core {}\n", plan_.core_netns);
    for (const auto& n : plan_.nodes)
        out += fmt::format("  {:<12} switch {} ({})\n", n.netns, files[n.file].sw->name, files[n.file].path);
    for (const auto& h : plan_.hosts)
        out += fmt::format("  {:<12} {}#{} {} on {} {}\n", h.netns, h.class_name, h.index, h.address,
                           files[plan_.nodes[h.node].file].sw->name, h.port.empty() ? h.netdev : h.port);
    out += fmt::format("enter:  ip netns exec <namespace> bash   (nft list ruleset; bridge link)\n");
    out += fmt::format("remove: for ns in {}; do ip netns del $ns; done\n", fmt::join(plan_.namespaces(), " "));
    return out;
}

}  // namespace microseg::verify
