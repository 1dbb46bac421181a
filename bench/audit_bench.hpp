#pragma once
// The audit benchmark: N fake switches behind real OpenSSH servers on 127.0.0.1 (one sshd per
// platform, each running tests/fake_switch.cpp as its ForceCommand with a config microseg
// emitted), fetched by the audit library (SshSource + fetch_all) with `jobs` sessions at once
// and each audited against the policy (audit_switch_config). Uses the library layer, not the
// CLI, so it measures transport and audit without the report.

#include <string>

namespace microseg::bench {

struct AuditBenchSetup {
    std::string policy_file;       // a policy whose switches were compiled into config_dir
    std::string config_dir;        // `microseg compile` output
    std::string fake_switch_exe;   // the built tests/fake_switch
    int devices = 200;
    int jobs = 32;
};

// Runs in the calling process; returns "key=value" lines: devices, ok, jobs, fetch_s, audit_s,
// total_s, slowest_device_s (one device alone, the slowest platform), expected_s (slowest x
// devices / jobs), platforms. Throws std::runtime_error when sshd cannot be started.
std::string run_audit_bench(const AuditBenchSetup& setup);

}  // namespace microseg::bench
