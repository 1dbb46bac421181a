#include "bench/audit_bench.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "audit/drift/switch_audit.hpp"
#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/ssh_source.hpp"
#include "bench/measure.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/as_built.hpp"
#include "model/config_file.hpp"
#include "tests/support/sshd_harness.hpp"

namespace microseg::bench {
namespace {

namespace fs = std::filesystem;
using test::SshdHarness;

// One platform's fake device: the switch whose emitted config it serves, and its sshd.
struct FakeDevice {
    const Switch* sw = nullptr;
    std::unique_ptr<SshdHarness> sshd;
};

// fake_switch takes the policy's platform name (model/platform.cpp).
std::string platform_flag(PlatformId id) { return std::string(platform(id).name); }

// One typical device per platform microseg can parse back (the auditor reports the others
// "not audited", which would measure nothing): the first access switch (no gateway), or the
// first switch when the platform only has gateways.
std::vector<const Switch*> representatives(const Policy& policy) {
    std::map<PlatformId, const Switch*> first;
    for (const auto& sw : policy.switches()) {
        auto [it, added] = first.emplace(sw.platform, &sw);
        if (!added && !it->second->gateway_for.empty() && sw.gateway_for.empty()) it->second = &sw;
    }
    std::vector<const Switch*> out;
    for (const auto& [id, sw] : first) out.push_back(sw);
    return out;
}

// sshd runs the ForceCommand as an unprivileged user: the program and configs live in a
// 0755 directory of our own.
std::string stage_files(const AuditBenchSetup& setup, const std::vector<const Switch*>& reps) {
    std::string dir = test::make_temp_dir("bench-audit");
    ::chmod(dir.c_str(), 0755);
    fs::copy_file(setup.fake_switch_exe, dir + "/fake_switch", fs::copy_options::overwrite_existing);
    ::chmod((dir + "/fake_switch").c_str(), 0755);
    for (const Switch* sw : reps) {
        std::string name = config_file_name(*sw);
        fs::copy_file(setup.config_dir + "/" + name, dir + "/" + name, fs::copy_options::overwrite_existing);
        ::chmod((dir + "/" + name).c_str(), 0644);
    }
    return dir;
}

FakeDevice start_device(const std::string& dir, const Switch* sw, int think_ms) {
    test::SshdConfig config;
    // `exec`: the login shell becomes the fake switch instead of forking it (one process less
    // per login for the fake device, which shares the auditor's cores).
    config.force_command = fmt::format("exec {}/fake_switch --platform {} --config {}/{} --hostname {} --think-ms {}",
                                       dir, platform_flag(sw->platform), dir, config_file_name(*sw), sw->name, think_ms);
    std::string why;
    auto sshd = SshdHarness::start(config, why);
    if (!sshd) throw std::runtime_error("sshd could not start: " + why);
    return {sw, std::move(sshd)};
}

SshOptions ssh_options(const FakeDevice& any, const std::string& known_hosts) {
    SshOptions o;
    o.known_hosts = known_hosts;
    o.use_agent = false;
    o.identity_file = any.sshd->client_key();
    o.default_user = any.sshd->user();
    return o;
}

// User + system seconds of this process (RUSAGE_SELF, every thread) or of its waited-for
// descendants (RUSAGE_CHILDREN: the sshds, once stopped, with every session they reaped).
double cpu_seconds(int who) {
    rusage u{};
    ::getrusage(who, &u);
    auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

FetchTarget target_for(const FakeDevice& d, int i) {
    return {fmt::format("bench-{:03}", i), "127.0.0.1", d.sshd->port(), "", d.sw->platform};
}

// One fake device per representative switch, every one trusting the first one's client key, in
// `dir`/known_hosts; returns their platforms, comma-separated.
std::string start_devices(const std::string& dir, const std::vector<const Switch*>& reps, int think_ms,
                          std::vector<FakeDevice>& devices) {
    std::string known_hosts, platforms;
    for (const Switch* sw : reps) {
        devices.push_back(start_device(dir, sw, think_ms));
        known_hosts += devices.back().sshd->known_hosts_line() + "\n";
        if (!platforms.empty()) platforms += ',';
        platforms += platform_flag(sw->platform);
    }
    for (auto& d : devices)
        test::write_file(d.sshd->dir() + "/authorized_keys", test::read_file(devices[0].sshd->client_key() + ".pub"));
    test::write_file(dir + "/known_hosts", known_hosts);
    return platforms;
}

// One device alone, each platform three times: the slowest is the unit of the expected time.
double slowest_single_fetch(SshSource& source, const std::vector<FakeDevice>& devices) {
    double slowest = 0;
    for (const auto& d : devices)
        for (int i = 0; i < 3; ++i) {
            double start = monotonic_seconds();
            auto r = source.fetch(target_for(d, i));
            if (!r.ok()) throw std::runtime_error("fetch failed: " + r.not_audited().reason);
            slowest = std::max(slowest, seconds_since(start));
        }
    return slowest;
}

}  // namespace

std::string run_audit_bench(const AuditBenchSetup& setup) {
    auto compiled = compile_policy_file(setup.policy_file);
    if (!compiled.policy) throw std::runtime_error("the audit policy does not compile");
    const Policy& policy = *compiled.policy;
    auto reps = representatives(policy);
    if (reps.empty()) throw std::runtime_error("no switch of a platform microseg can parse");
    std::string dir = stage_files(setup, reps);

    const double devices_cpu_start = cpu_seconds(RUSAGE_CHILDREN);
    std::vector<FakeDevice> devices;
    std::string platforms = start_devices(dir, reps, setup.think_ms, devices);
    SshSource source(ssh_options(devices[0], dir + "/known_hosts"));
    const std::size_t devices_started = devices.size();
    double slowest = slowest_single_fetch(source, devices);

    std::vector<FetchTarget> targets;
    std::vector<const Switch*> switch_of;
    for (int i = 0; i < setup.devices; ++i) {
        const FakeDevice& d = devices[static_cast<std::size_t>(i) % devices.size()];
        targets.push_back(target_for(d, i));
        switch_of.push_back(d.sw);
    }
    double start = monotonic_seconds();
    const double auditor_cpu_start = cpu_seconds(RUSAGE_SELF);
    HashKey key = key_from_text("microseg-bench");
    std::size_t ok = 0;
    double fetch_s = 0, audit_cpu = 0;  // until the last fetch ended; the audits' own CPU
    std::vector<std::optional<SwitchAuditResult>> audited(targets.size());
    fetch_each(source, targets, setup.jobs, [&](std::size_t i, FetchResult&& fetched) {
        fetch_s = seconds_since(start);
        if (!fetched.ok()) return;
        ++ok;
        const double cpu = thread_cpu_seconds();
        audited[i] = audit_switch_config(policy, *switch_of[i], fetched.config().text, key, targets[i].name);
        audit_cpu += thread_cpu_seconds() - cpu;
    });
    std::vector<SwitchAuditResult> results;
    for (auto& r : audited)
        if (r) results.push_back(std::move(*r));
    auto report = build_audit_report(policy, std::move(results));
    double total_s = seconds_since(start);
    const double auditor_cpu = cpu_seconds(RUSAGE_SELF) - auditor_cpu_start;
    std::error_code ec;
    devices.clear();  // stops every sshd before the directory goes
    fs::remove_all(dir, ec);
    // The fake devices run on the auditor's cores: what their sshd and fake switch cost per login
    // (the 3 single fetches per platform included) bounds the total from below on this machine.
    const double logins = setup.devices + 3.0 * static_cast<double>(devices_started);
    const double device_cpu_per_login = (cpu_seconds(RUSAGE_CHILDREN) - devices_cpu_start) / logins;
    const double cores = std::max(1u, std::thread::hardware_concurrency());
    const double cpu_floor = (auditor_cpu + device_cpu_per_login * setup.devices) / cores;
    return fmt::format("devices={}\nok={}\njobs={}\nthink_ms={}\nfetch_s={:.3f}\naudit_s={:.3f}\ntotal_s={:.3f}\n"
                       "audit_cpu_s={:.3f}\nslowest_device_s={:.3f}\nexpected_s={:.3f}\nauditor_cpu_s={:.3f}\n"
                       "device_cpu_per_login_s={:.4f}\ncpu_floor_s={:.3f}\nplatforms={}\n",
                       setup.devices, ok, setup.jobs, setup.think_ms, fetch_s, total_s - fetch_s, total_s, audit_cpu,
                       slowest, slowest * setup.devices / setup.jobs, auditor_cpu, device_cpu_per_login, cpu_floor,
                       platforms);
}

}  // namespace microseg::bench
