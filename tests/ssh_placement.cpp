// The placement audit live over SSH: a real OpenSSH sshd on 127.0.0.1 whose ForceCommand is
// tests/fake_switch.cpp serving a MAC table. Fetch level (SshSource with FetchContent::mac_table
// for IOS with a pager, Junos, nftables over exec) and end to end through `microseg placement`.
// When sshd cannot start, the tests skip with a message, and fail when CI=true.
// (Not named *_test.cpp: it is its own binary, ssh_placement_tests, label "ssh".)

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "audit/fetch/ssh_source.hpp"
#include "audit/parse/mac/mac_table.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/ssh_client_options.hpp"
#include "tests/support/ssh_fleet.hpp"
#include "tests/support/sshd_harness.hpp"
#include "tests/support/sshd_unavailable.hpp"

using namespace microseg;
using namespace microseg::test;
using namespace std::chrono_literals;
using microseg::testing::run_microseg;

namespace {

// 45 lines, so a 20-line pager stops it twice: 40 devices on Gi1/0/1-40, VLAN 110.
std::string canned_ios_table() {
    std::string t = "          Mac Address Table\n-------------------------------------------\n\n"
                    "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n";
    for (int i = 1; i <= 40; ++i) t += fmt::format(" 110    0200.5e00.{:04x}    DYNAMIC     Gi1/0/{}\n", i, i);
    return t + "Total Mac Addresses for this criterion: 40\n";
}

std::string canned_junos_table() {
    return "Ethernet switching table : 2 entries, 2 learned\nRouting instance : default-switch\n"
           "   Vlan                MAC                 MAC         Age    Logical                NH        RTR\n"
           "   name                address             flags              interface              Index     ID\n"
           "   infusion-pump       02:00:5e:01:00:01   D             -   ge-0/0/0.0             0         0\n"
           "   infusion-pump       02:00:5e:01:00:02   D             -   xe-0/2/0.0             0         0\n";
}

std::string canned_fdb() {
    return "33:33:00:00:00:01 dev br0 self permanent\n02:00:5e:02:00:01 dev eth2 vlan 110 master br0\n";
}

FetchTarget mac_target(const SshdHarness& h, PlatformId p) {
    return FetchTarget{"sw", "127.0.0.1", h.port(), "", p, FetchContent::mac_table};
}

}  // namespace

TEST_CASE("MAC tables over SSH: IOS with a pager, Junos, nftables bridge fdb over exec") {
    TempDir dir("placement");
    std::string config = dir.file("c.ios", "hostname sw\nend\n");
    auto ios = start_fake_switch("--platform ios --pager --ignore-length --config " + config + " --mac-table " +
                                 dir.file("ios.txt", canned_ios_table()));
    auto junos = start_fake_switch("--platform junos --banner --config " + config + " --mac-table " +
                                   dir.file("junos.txt", canned_junos_table()));
    auto nft = start_fake_switch("--platform nftables --config " + config + " --mac-table " + dir.file("fdb.txt", canned_fdb()));
    if (!ios || !junos || !nft) return;

    auto r1 = SshSource(trusting_options(dir, *ios)).fetch(mac_target(*ios, PlatformId::cisco_ios));
    REQUIRE_MESSAGE(r1.ok(), r1.not_audited().reason);
    CHECK(r1.config().text == canned_ios_table());
    CHECK(r1.config().notes.size() == 1);  // answered the pager
    auto t1 = parse_ios_mac_table(r1.config().text);
    CHECK(t1.entries.size() == 40);
    CHECK(t1.warnings.empty());

    auto r2 = SshSource(trusting_options(dir, *junos)).fetch(mac_target(*junos, PlatformId::junos));
    REQUIRE_MESSAGE(r2.ok(), r2.not_audited().reason);
    CHECK(parse_junos_mac_table(r2.config().text).entries.size() == 2);

    auto r3 = SshSource(trusting_options(dir, *nft)).fetch(mac_target(*nft, PlatformId::nftables));
    REQUIRE_MESSAGE(r3.ok(), r3.not_audited().reason);
    CHECK(r3.config().text == canned_fdb());

    // The config fetch of the same device is unchanged by the new mode.
    FetchTarget config_target = mac_target(*ios, PlatformId::cisco_ios);
    config_target.content = FetchContent::config;
    auto r4 = SshSource(trusting_options(dir, *ios)).fetch(config_target);
    REQUIRE_MESSAGE(r4.ok(), r4.not_audited().reason);
    CHECK(r4.config().text == "hostname sw\nend\n");
}

namespace {

// An IOS and a Junos access switch, each behind its own fake device on 127.0.0.1.
std::string live_policy(int ios_port, int junos_port) {
    return fmt::format(R"(version: 1
name: live-placement
classes:
  infusion-pump: {{vlan: 110, subnets: [10.110.0.0/22]}}
  workstation: {{vlan: 200, subnets: [10.200.0.0/21]}}
switches:
  - name: acc-ios
    platform: cisco-ios
    address: 127.0.0.1
    ssh_port: {}
    ports:
      Gi1/0/1-36: infusion-pump
      Gi1/0/37-40: workstation
    trunks:
      Te1/1/1: [110, 200]
  - name: acc-junos
    platform: junos
    address: 127.0.0.1
    ssh_port: {}
    ports:
      ge-0/0/0-11: infusion-pump
    trunks:
      xe-0/2/0: [110, 200]
)", ios_port, junos_port);
}

// Gi1/0/3 holds a workstation; the MACs on Gi1/0/37-40 are not in the inventory: unknown.
std::string live_inventory() {
    std::string inventory = "mac,ip,class,name\n";
    for (int i = 1; i <= 36; ++i)
        inventory += fmt::format("02:00:5e:00:00:{:02x},,{},dev-{}\n", i, i == 3 ? "workstation" : "infusion-pump", i);
    return inventory + "02:00:5e:01:00:01,,infusion-pump,pump-j\n";
}

}  // namespace

TEST_CASE("microseg placement live: misplaced devices found over SSH, a dead switch is not read") {
    TempDir dir("placement");
    std::string config = dir.file("c.ios", "hostname sw\nend\n");
    auto ios = start_fake_switch("--platform ios --config " + config + " --mac-table " + dir.file("ios.txt", canned_ios_table()));
    auto junos = start_fake_switch("--platform junos --config " + config + " --mac-table " + dir.file("junos.txt", canned_junos_table()));
    if (!ios || !junos) return;
    std::string policy = dir.file("policy.yaml", live_policy(ios->port(), junos->port()));
    std::string inv = dir.file("inventory.csv", live_inventory());
    std::string kh = dir.file("known_hosts", ios->known_hosts_line() + "\n" + junos->known_hosts_line() + "\n");
    std::vector<std::string> args = {"placement", policy, "--inventory", inv, "--user", ios->user(), "--identity",
                                     ios->client_key(), "--known-hosts", kh, "--jobs", "2", "--timeout", "10"};
    // Each harness authorises only its own client key: one --identity reaches one of them.
    auto ios_only = args;
    ios_only.insert(ios_only.end(), {"--switch", "acc-ios"});
    auto r = run_microseg(ios_only, {"MICROSEG_SSH_PASSWORD="});
    CHECK_MESSAGE(r.exit_code == 1, r.err);
    CHECK(r.out.find("acc-ios: 40 device entries from ssh 127.0.0.1:") != std::string::npos);
    CHECK(r.out.find("misplaced: 02:00:5e:00:00:03 dev-3 (workstation) on acc-ios Gi1/0/3: a port for infusion-pump") !=
          std::string::npos);
    CHECK(r.out.find("VLAN 110 infusion-pump: 40 device(s), 88% where the policy says; 12% not infusion-pump "
                     "(1 misplaced, 4 unknown)") != std::string::npos);

    // The Junos switch refuses the IOS harness's key: not read, exit 2, the other still reported.
    auto both = run_microseg(args, {"MICROSEG_SSH_PASSWORD="});
    CHECK_MESSAGE(both.exit_code == 2, both.err);
    CHECK(both.out.find("acc-junos: not read: authentication failed") != std::string::npos);
    CHECK(both.out.find("misplaced: 02:00:5e:00:00:03") != std::string::npos);

    auto junos_only = run_microseg({"placement", "--at", microseg::testing::kPolicyDay, policy, "--inventory", inv, "--switch", "acc-junos", "--user",
                                    junos->user(), "--identity", junos->client_key(), "--known-hosts", kh, "--format", "json"},
                                   {"MICROSEG_SSH_PASSWORD="});
    CHECK_MESSAGE(junos_only.exit_code == 0, junos_only.err);
    CHECK(junos_only.out.find("\"trunk_entries_ignored\": 1") != std::string::npos);
    CHECK(junos_only.out.find("\"placed\": 1") != std::string::npos);
}

namespace {

// Two workstations on Gi1/0/1-2 of an SshFleet access switch (VLAN 40: workstation).
std::string fleet_mac_table() {
    return "          Mac Address Table\n-------------------------------------------\n\n"
           "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n"
           "  40    0200.5e00.0101    DYNAMIC     Gi1/0/1\n  40    0200.5e00.0102    DYNAMIC     Gi1/0/2\n"
           "Total Mac Addresses for this criterion: 2\n";
}

}  // namespace

// Read whole, the table alone takes 64 MiB (447 MB once parsed). AddressSanitizer's shadow
// memory and quarantine triple a process's footprint (133 MB measured cut at 1 MiB): the bound
// there only shows that reading stopped.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kRssBoundKib = 200 * 1024;
#else
constexpr long kRssBoundKib = 40 * 1024;
#endif

TEST_CASE("microseg placement live: a MAC table past --max-bytes is not read, memory stays bounded, others read") {
    SshFleet fleet({{"acc-big", PlatformId::cisco_ios, false}, {"acc-ok", PlatformId::cisco_ios, false}});
    if (!fleet.ok()) return (void)report_unavailable("sshd", fleet.why_not());
    TempDir dir("placement");
    std::string table = dir.file("macs.txt", fleet_mac_table());
    fleet.set_behaviour("acc-ok", "--mac-table " + table);
    // 64 MiB of lines before the table: read whole, it alone would take 64 MiB of memory.
    fleet.set_behaviour("acc-big", "--mac-table " + table + " --huge-mb 64");
    std::string inv = dir.file("inventory.csv", "mac,ip,class,name\n02:00:5e:00:01:01,,workstation,ws-1\n"
                                                "02:00:5e:00:01:02,,workstation,ws-2\n");
    auto args = fleet.audit_args(fleet.trust_all(dir / "known_hosts"));
    args[0] = "placement";
    args.insert(args.end(), {"--inventory", inv, "--max-bytes", "1048576", "--timeout", "10"});
    auto r = run_microseg(args, {"MICROSEG_SSH_PASSWORD="});
    CHECK_MESSAGE(r.exit_code == 2, r.out, r.err);  // README: a switch whose table could not be read
    CHECK_MESSAGE(r.out.find("acc-big: not read: too large: the answer to 'show mac address-table' passed the "
                             "--max-bytes cap; reading stopped") != std::string::npos, r.out);
    CHECK_MESSAGE(r.out.find("acc-ok: 2 device entries from ssh 127.0.0.1:") != std::string::npos, r.out);
    CHECK(r.out.find("VLAN 40 workstation: 2 device(s), 100% where the policy says") != std::string::npos);
    MESSAGE("placement with a 64 MiB MAC table cut at 1 MiB: peak RSS " << r.max_rss_kb << " KiB");
    CHECK(r.max_rss_kb > 0);
    CHECK(r.max_rss_kb < kRssBoundKib);

    // The same device within a cap it fits in is read: the cap, not the device, stopped it.
    fleet.set_behaviour("acc-big", "--mac-table " + table + " --huge-mb 2");
    args[args.size() - 3] = "8388608";
    auto fits = run_microseg(args, {"MICROSEG_SSH_PASSWORD="});
    CHECK(fits.out.find("acc-big: not read") == std::string::npos);
    CHECK_MESSAGE(fits.out.find("acc-big: 2 device entries from ssh") != std::string::npos, fits.out);
}
