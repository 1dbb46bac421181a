#include "verify/network_verify.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "verify/dhcp_probe.hpp"
#include "verify/emulation.hpp"
#include "verify/lab.hpp"
#include "verify/network_lab.hpp"
#include "verify/process.hpp"

namespace microseg::verify {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

Result<std::vector<ShippedFile>> files_to_prove(const Policy& policy, const std::string& dir,
                                                const NetworkVerifyOptions& options) {
    auto files = read_files(policy, dir);
    if (!files || !options.edit_file) return files;
    for (auto& f : *files) {
        f.text = options.edit_file(*f.sw, f.text);
        f.config = parser_for(f.sw->platform)(f.text);
    }
    return files;
}

// The switches a probe concerns: where its hosts hang and every filter on its path.
std::set<std::string> devices_of(const Policy& policy, const std::vector<ShippedFile>& files, const NetworkPlan& plan,
                                 const NetworkProbe& p) {
    std::set<std::string> out = {files[plan.nodes[p.from->node].file].sw->name};
    if (p.to) out.insert(files[plan.nodes[p.to->node].file].sw->name);
    else out.insert(p.to_switch);
    for (const auto& d : path_decisions(policy, files, plan, p)) out.insert(d.device);
    return out;
}

// Probes in an order that spreads each burst over all hosts (port by port), so that no host's
// neighbour queue overflows while ARP resolves; then those that should have passed and did
// not are tried once more, so one lost packet is not reported as a blocked flow. A probe the
// model allows passes on its round trip; one it denies passes when it arrives at all.
Result<std::vector<bool>> send(const std::vector<NetworkProbe>& probes, const ProbeOptions& options) {
    std::vector<std::size_t> order(probes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return probes[a].port < probes[b].port; });
    std::erase_if(order, [&](std::size_t i) {  // send_dhcp's and send_l2's
        return probes[i].kind == ProbeKind::dhcp_relay || probes[i].kind == ProbeKind::l2_protected;
    });
    std::vector<Probe> packets;
    for (auto i : order) {
        const auto& p = probes[i];
        packets.push_back({p.from->netns, p.destination_netns, p.destination, p.port, p.source_port});
    }
    auto results = run_probes_detailed(packets, options);
    if (!results) return results.error();
    std::vector<bool> passed(probes.size());
    std::vector<std::size_t> again;
    std::vector<Probe> retry;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto& v = (*results)[k];
        bool allow = probes[order[k]].expected.allow;
        passed[order[k]] = allow ? v.round_trip : v.round_trip || v.delivered;
        if (allow && !v.round_trip) {
            again.push_back(order[k]);
            retry.push_back(packets[k]);
        }
    }
    if (retry.empty()) return passed;
    auto second = run_probes(retry, options);
    if (!second) return second.error();
    for (std::size_t k = 0; k < again.size(); ++k) passed[again[k]] = (*second)[k];
    return passed;
}

// The DHCP probes, one at a time (each relay listens on port 67 of one bridge), after the
// others; their entries of `passed`.
Result<bool> send_dhcp(const std::vector<ShippedFile>& files, const NetworkPlan& plan,
                       const std::vector<NetworkProbe>& probes, std::vector<bool>& passed) {
    for (std::size_t i = 0; i < probes.size(); ++i) {
        const auto& p = probes[i];
        if (p.kind != ProbeKind::dhcp_relay) continue;
        const LabNode* relay = plan.node_of(p.to_switch, files);
        bool bridged = std::count(relay->vlans.begin(), relay->vlans.end(), p.relay_vlan) > 0;
        bool reached = false;
        for (int attempt = 0; bridged && attempt < 2 && !reached; ++attempt) {  // one lost packet is no verdict
            auto r = dhcp_discover_reaches({p.from->netns, relay->netns, bridge_name(p.relay_vlan)},
                                           std::chrono::milliseconds(300));
            if (!r) return r.error();
            reached = *r;
        }
        passed[i] = reached;
    }
    return true;
}

// ARP between protected ports: the source forgets its neighbours, sends one datagram (the port
// ACL may drop it; ARP it cannot), and the probe passes when it learnt the destination's MAC.
Result<bool> send_l2(const std::vector<NetworkProbe>& probes, const ProbeOptions& options, std::vector<bool>& passed) {
    for (std::size_t i = 0; i < probes.size(); ++i) {
        const auto& p = probes[i];
        if (p.kind != ProbeKind::l2_protected) continue;
        auto address = fmt::format("{}", p.destination);
        run_process({"ip", "-4", "neigh", "flush", "to", address, "dev", "eth0"}, p.from->netns);
        auto sent = run_probes({{p.from->netns, p.destination_netns, p.destination, p.port, 0}}, options);
        if (!sent) return sent.error();
        auto neighbour = run_process({"ip", "-4", "neigh", "show", "to", address, "dev", "eth0"}, p.from->netns);
        passed[i] = neighbour.output.find("lladdr") != std::string::npos;
    }
    return true;
}

// The directory compile_to_temp_dir made: removed when verify ends, on error too, unless kept.
struct CompiledDir {
    std::string path;
    bool keep = false;
    CompiledDir() = default;
    CompiledDir(const CompiledDir&) = delete;
    CompiledDir& operator=(const CompiledDir&) = delete;
    ~CompiledDir() {
        std::error_code ec;
        if (!keep && !path.empty()) std::filesystem::remove_all(path, ec);
    }
};

bool wanted(const std::vector<std::string>& switches, const std::set<std::string>& devices) {
    return switches.empty() ||
           std::any_of(switches.begin(), switches.end(), [&](const std::string& s) { return devices.count(s); });
}

}  // namespace

bool NetworkVerifyResult::clean() const {
    return mismatches.empty() && std::all_of(static_findings.begin(), static_findings.end(),
                                             [](const StaticFinding& f) { return f.impact == "unknown"; });
}

std::size_t NetworkVerifyResult::unknown() const {
    return static_cast<std::size_t>(std::count_if(static_findings.begin(), static_findings.end(),
                                                  [](const StaticFinding& f) { return f.impact == "unknown"; }));
}

Result<NetworkVerifyResult> verify_network(const Policy& policy, const NetworkVerifyOptions& options) {
    auto start = Clock::now();
    for (const auto& name : options.switches)
        if (!policy.find_switch(name)) return make_error(fmt::format("no switch named {}", name), {}, "verify-usage");
    NetworkVerifyResult result;
    result.files_dir = options.configs_dir;
    CompiledDir compiled;
    if (result.files_dir.empty()) {
        auto dir = compile_to_temp_dir(policy);
        if (!dir) return dir.error();
        result.files_dir = compiled.path = *dir;
    }
    auto files = files_to_prove(policy, result.files_dir, options);
    if (!files) return files.error();
    for (auto& f : static_check(policy, *files))
        if (wanted(options.switches, {f.switch_name})) result.static_findings.push_back(std::move(f));
    auto plan = plan_network(policy, *files, make_lab_prefix());
    if (!plan) return plan.error();
    result.lab_prefix = plan->prefix;
    result.switches = plan->nodes.size();
    result.hosts = plan->hosts.size();
    result.notes = plan->notes;

    std::vector<NetworkProbe> probes, all = network_probes(policy, *files, *plan);
    for (auto* more : {dhcp_probes, l2_probes}) {
        auto extra = more(policy, *files, *plan);
        all.insert(all.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
    }
    for (auto& p : all) {
        auto devices = devices_of(policy, *files, *plan, p);
        if (!wanted(options.switches, devices)) continue;
        for (const auto& d : devices) ++result.probes_per_device[d];
        probes.push_back(std::move(p));
    }
    NetworkLab lab(std::move(plan.value()));
    if (auto ok = lab.build(*files); !ok) return ok.error();
    result.build_time = since(start);

    auto probing = Clock::now();
    auto passed = send(probes, options.probe);
    if (!passed) return passed.error();
    if (auto ok = send_dhcp(*files, lab.plan(), probes, *passed); !ok) return ok.error();
    if (auto ok = send_l2(probes, options.probe, *passed); !ok) return ok.error();
    result.probe_time = since(probing);
    result.probes = probes.size();
    for (std::size_t i = 0; i < probes.size(); ++i) {
        if ((*passed)[i]) ++result.passed;
        if ((*passed)[i] != probes[i].expected.allow)
            result.mismatches.push_back(explain(policy, *files, lab.plan(), probes[i], (*passed)[i]));
    }
    if (options.keep) {
        lab.keep();
        result.kept_lab = lab.how_to_enter(*files);
    }
    lab.teardown();
    result.files_dir_kept = !options.configs_dir.empty() || options.keep || !result.clean();
    compiled.keep = result.files_dir_kept;
    result.total_time = since(start);
    return result;
}

}  // namespace microseg::verify
