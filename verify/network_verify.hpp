#pragma once
// `microseg verify`: the proof of the files that ship, for the whole network. The files
// (shipped_files.hpp) are checked statically, built into a lab of every switch
// (network_plan.hpp, network_lab.hpp), and probed with real packets (network_probes.cpp):
// every ordered class pair on its allowed services and a sample of denied ports, from every
// host to one on the same switch and one on another, management access to every switch
// address, forged UDP "replies" from service ports, a DHCP DISCOVER from 0.0.0.0 to each
// class's relay (dhcp_probe.hpp), and ARP between protected ports of one IOS switch. Each probe's verdict is compared with the model;
// a mismatch names the probe, the expected verdict with the flow behind it, and the device
// and file line that decided (explain.cpp, reading the same files the lab runs).

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"
#include "verify/expectation.hpp"
#include "verify/network_plan.hpp"
#include "verify/probe.hpp"
#include "verify/shipped_files.hpp"

namespace microseg::verify {

// Why a probe exists; the text and JSON name it.
enum class ProbeKind : std::uint8_t { same_switch, cross_switch, management, udp_source_port, dhcp_relay, l2_protected };
std::string_view to_string(ProbeKind k);

// One filter's verdict on the probe's packet (or its reply), read from a shipped file.
struct Decision {
    std::string device;
    std::string path;
    int line = 0;
    bool permits = false;
    std::string what;  // "port ACL MS_ISO_PUMP on Gi1/0/1", "SVI ACL on VLAN 140", "forward chain"
};

struct NetworkProbe {
    ProbeKind kind = ProbeKind::same_switch;
    const NetworkHost* from = nullptr;
    const NetworkHost* to = nullptr;   // null when the destination is a switch's own address
    std::string to_switch;             // that switch (the relay's, for a DHCP probe)
    int relay_vlan = 0;                // DHCP: the VLAN whose SVI relays
    IpAddress destination;
    std::string destination_netns;
    ProbePort port;
    std::uint16_t source_port = 0;     // 0: ephemeral
    Expectation expected;
};

// A probe whose verdict disagrees with the model, self-contained (the lab is gone by then).
struct NetworkMismatch {
    ProbeKind kind = ProbeKind::same_switch;
    std::string from;               // "pump#0 (acc-icu-01 Gi1/0/1)"
    std::string to;                 // a host as above, or "switch acc-icu-01 10.0.0.11"
    ProbePort port;
    std::uint16_t source_port = 0;
    Expectation expected;
    bool passed = false;
    std::vector<Decision> decided;  // the deny that blocked it, or the permits that let it pass
    std::string note;               // when no filter decided: VLAN, trunk, routing
    std::string text;               // the whole account, one line (describe below)
};

struct NetworkVerifyOptions {
    std::vector<std::string> switches;  // restrict the probes to paths touching these; empty: all
    std::string configs_dir;            // empty: compile into a temporary directory first
    bool keep = false;
    ProbeOptions probe;
    // Applied to each switch's file text before it is parsed and loaded (tests edit files).
    std::function<std::string(const Switch&, const std::string&)> edit_file;
};

struct NetworkVerifyResult {
    std::string lab_prefix;
    std::size_t switches = 0, hosts = 0, probes = 0, passed = 0;
    std::vector<StaticFinding> static_findings;
    std::vector<NetworkMismatch> mismatches;
    std::map<std::string, std::size_t> probes_per_device;  // every switch a probe's path crosses
    std::vector<std::string> notes;                        // classes not placed, and why
    std::chrono::milliseconds build_time{0}, probe_time{0}, total_time{0};
    std::string kept_lab;
    // Where the proved files are (their lines are what findings cite): DIR of --configs, or the
    // temporary directory compile wrote, which is removed when verify is clean (kept with --keep).
    std::string files_dir;
    bool files_dir_kept = false;
    // Any static finding fails it too (the files differ from the intent), except "unknown"
    // ones (what microseg cannot read or emulate), which are reported only.
    bool clean() const;
    // Static findings of impact "unknown": parts of the files microseg could not read or
    // emulate, where the probes are no proof. Clean with some of them is exit 2, not 0.
    std::size_t unknown() const;
};

Result<NetworkVerifyResult> verify_network(const Policy& policy, const NetworkVerifyOptions& options);

// The probes for a planned lab, with the model's verdict on each (network_probes.cpp).
std::vector<NetworkProbe> network_probes(const Policy& policy, const std::vector<ShippedFile>& files,
                                         const NetworkPlan& plan);
// ARP between two hosts on protected ports of one IOS switch, where the intent makes both ports
// protected (its isolated ports): their L2 must not meet (network_probes.cpp).
std::vector<NetworkProbe> l2_probes(const Policy& policy, const std::vector<ShippedFile>& files,
                                    const NetworkPlan& plan);
// One DHCP relay probe per class with a host on a port, when the policy has a DHCP server:
// from its first such host to the switch routing its VLAN (network_probes.cpp).
std::vector<NetworkProbe> dhcp_probes(const Policy& policy, const std::vector<ShippedFile>& files,
                                      const NetworkPlan& plan);
// What the shipped files decide about a probe's packet and its reply, in path order (explain.cpp).
std::vector<Decision> path_decisions(const Policy& policy, const std::vector<ShippedFile>& files,
                                     const NetworkPlan& plan, const NetworkProbe& probe);
// The mismatch's account: the deciding denies (blocked) or permits (passed).
NetworkMismatch explain(const Policy& policy, const std::vector<ShippedFile>& files, const NetworkPlan& plan,
                        const NetworkProbe& probe, bool passed);

// "expected allow (flow at policy.yaml:12:5), blocked: clinical-workstation#0 (acc-icu-01 Gi1/0/37) ->
// pacs#0 (dist-dc-01 Ethernet7) tcp/443 [cross switch]; decided by dist-dc-01 compiled/dist-dc-01.eos:212
// (SVI ACL MS_IN_X in on VLAN 200: implicit deny: deny)".
std::string describe(const NetworkMismatch& m);

}  // namespace microseg::verify
