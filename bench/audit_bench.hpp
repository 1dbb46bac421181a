#pragma once
// The audit benchmark: N fake switches behind real OpenSSH servers on 127.0.0.1 (one sshd per
// platform, each running tests/fake_switch.cpp as its ForceCommand with a config microseg
// emitted), fetched by the audit library (SshSource + fetch_all) with `jobs` sessions at once
// and each audited against the policy (audit_switch_config) as its config arrives, as `microseg
// audit` does (fetch_each). Uses the library layer, not the CLI, so it measures transport and
// audit without the report. With think_ms 0 the fake devices answer at once and, sharing the
// auditor's two cores, bound the run by CPU; with a think time they behave like real switches,
// which spend a second or more building their running configuration on CPUs of their own.

#include <string>

namespace microseg::bench {

struct AuditBenchSetup {
    std::string policy_file;       // a policy whose switches were compiled into config_dir
    std::string config_dir;        // `microseg compile` output
    std::string fake_switch_exe;   // the built tests/fake_switch
    int devices = 200;
    int jobs = 32;
    int think_ms = 0;              // each fake device waits this long before sending its config
};

// Runs in the calling process; returns "key=value" lines: devices, ok, jobs, fetch_s, audit_s,
// total_s, slowest_device_s (one device alone, the slowest platform), expected_s (slowest x
// devices / jobs), platforms. Throws std::runtime_error when sshd cannot be started.
std::string run_audit_bench(const AuditBenchSetup& setup);

}  // namespace microseg::bench
