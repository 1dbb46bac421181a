#pragma once
// A fleet of fake switches for `microseg audit` tests: one real OpenSSH sshd per switch on
// 127.0.0.1 (its own port and host key), each running tests/fake_switch over a config file of
// its own, and a generated policy whose switches point at those ports. The tests then drive
// the microseg executable, exactly as cron would.
//
// Each device's ForceCommand reads extra fake_switch flags from `<dir>/<switch>.args` at login,
// so a test can make a device stall or drop between two runs without restarting its sshd.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/policy.hpp"
#include "tests/support/sshd_harness.hpp"

namespace microseg::test {

struct FleetSwitch {
    std::string name;
    PlatformId platform = PlatformId::cisco_ios;
    // Routes every class of the policy (SVIs + ACLs); else an access switch. An nftables router
    // always routes a LAN class of its own (VLAN 100+n, 10.61.n.0/24), whatever this says.
    bool gateway = false;
};

class SshFleet {
public:
    // Starts the devices; when sshd cannot start, `ok()` is false and `why_not()` says why.
    explicit SshFleet(const std::vector<FleetSwitch>& switches);
    ~SshFleet();
    SshFleet(const SshFleet&) = delete;
    SshFleet& operator=(const SshFleet&) = delete;

    bool ok() const { return why_not_.empty(); }
    const std::string& why_not() const { return why_not_; }
    const std::string& dir() const { return dir_; }
    const std::string& policy_path() const { return policy_path_; }
    const Policy& policy() const { return policy_; }
    const SshdHarness& device(const std::string& name) const { return *devices_.at(name); }

    // The config the emitters produce for `name` (what a freshly deployed switch runs).
    std::string emitted(const std::string& name) const;
    // What the device prints for its config command from now on.
    void serve(const std::string& name, const std::string& config) const;
    // Extra fake_switch flags from the next login on, e.g. "--stall-after 5".
    void set_behaviour(const std::string& name, const std::string& flags) const;
    // A known_hosts file trusting every device (written to `path`).
    std::string trust_all(const std::string& path) const;
    // "audit POLICY --user U --identity KEY --known-hosts FILE".
    std::vector<std::string> audit_args(const std::string& known_hosts) const;

private:
    std::string dir_;
    std::string policy_path_;
    Policy policy_;
    std::map<std::string, std::unique_ptr<SshdHarness>> devices_;
    std::string why_not_;
};

}  // namespace microseg::test
