// bench_verify: `microseg verify` on a slice of the synthetic M network (issue 20). The slice
// (bench/synthetic_network.hpp slice_switches): M's policy with every class and flow, and of its
// 301 switches only the four gateways, the edge firewall and the first access switches (by
// default the fewest that give every class an access port: fewest_access_switches). It is
// compiled in memory and verified as `microseg verify` does (verify/network_verify.hpp): static
// check, a namespace lab of every switch, real packets. Reports the lab's build time and probes
// per second; a lab that disagrees with the policy produces no number (exit 1, mismatches shown).
// Needs root and network namespaces: without them it prints why and exits 0 (1 when CI=true).
//
//   bench_verify [--access-switches N] [--json FILE]
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/measure.hpp"
#include "bench/synthetic_network.hpp"
#include "compiler/compiler.hpp"
#include "model/file_io.hpp"
#include "model/json.hpp"
#include "verify/lab.hpp"
#include "verify/network_verify.hpp"

namespace {

using namespace microseg;
using namespace microseg::bench;

constexpr std::string_view kStepName = "verify";
constexpr std::size_t kMismatchesShown = 10;

struct Options {
    int access_switches = -1;  // -1: the fewest that give every class a port (fewest_access_switches)
    std::string json_path = std::string(MICROSEG_SOURCE_DIR) + "/bench/results.json";
};

// What the slice holds, for the report and the JSON.
struct Slice {
    Policy policy;
    int access_switches = 0;
    std::size_t classes = 0, flows = 0, switches = 0;
    std::string switch_names;
};

// User + system seconds of this process and of its waited-for children (ip, nft, sysctl).
double cpu_seconds() {
    double total = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage u{};
        ::getrusage(who, &u);
        total += static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                 static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    }
    return total;
}

long max_rss_kb() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// How many of M's first access switches it takes, beside the gateways' own ports, for every
// internal class to have an access port. A class with no port anywhere gets hosts on lab-only
// ports of its gateway's bridge, where no file can isolate them: verify then reports an
// `isolate` class's members reaching each other, which no device of the slice could prevent.
int fewest_access_switches(const Policy& m) {
    std::set<std::string> portless;
    for (const auto& c : m.classes())
        if (!c.external) portless.insert(c.name);
    auto give_ports = [&](const Switch& sw) {
        for (const auto& p : sw.ports) portless.erase(p.device_class);
    };
    for (const auto& sw : m.switches())
        if (sw.name.find("-gw-") != std::string::npos) give_ports(sw);
    int access = 0;
    for (const auto& sw : m.switches()) {
        if (portless.empty()) break;
        if (sw.name.find("-acc-") == std::string::npos) continue;
        give_ports(sw);
        ++access;
    }
    return access;
}

std::optional<Slice> make_slice(int access_switches) {
    const auto m = generate_network(*network_size("M"), 1);
    if (access_switches < 0) {
        auto whole = compile_policy_text(m.front().text, "m.yaml");
        if (!whole.policy) throw std::runtime_error("the M network does not compile");
        access_switches = fewest_access_switches(*whole.policy);
    }
    const std::string text = slice_switches(m.front().text, access_switches);
    auto compiled = compile_policy_text(text, "m-slice.yaml");
    if (!compiled.policy) {
        fmt::print(stderr, "bench_verify: the M slice does not compile ({} errors)\n",
                   compiled.diagnostics.error_count());
        return std::nullopt;
    }
    Slice s;
    s.policy = std::move(*compiled.policy);
    s.access_switches = access_switches;
    s.classes = s.policy.classes().size();
    s.flows = s.policy.flows().size();
    s.switches = s.policy.switches().size();
    for (const auto& sw : s.policy.switches()) s.switch_names += (s.switch_names.empty() ? "" : " ") + sw.name;
    return s;
}

// The step object bench_suite's results.json holds in "steps", indented for that place.
std::string step_json(const Slice& s, const verify::NetworkVerifyResult& r, double cpu_s) {
    const double probe_s = static_cast<double>(r.probe_time.count()) / 1000;
    const double per_s = static_cast<double>(r.probes) / std::max(probe_s, 1e-9);
    JsonWriter w;
    w.begin_object().field("size", "M slice").field("step", kStepName).field("runs", 1);
    w.field("wall_s", static_cast<double>(r.total_time.count()) / 1000).field("cpu_s", cpu_s);
    w.field("max_rss_kb", static_cast<std::int64_t>(max_rss_kb())).field("exit_code", 0);
    w.field("access_switches", s.access_switches).field("classes", s.classes).field("flows", s.flows);
    w.field("switches", r.switches).field("hosts", r.hosts).field("probes", r.probes).field("passed", r.passed);
    w.field("mismatches", r.mismatches.size()).field("static_findings", r.static_findings.size());
    w.field("build_ms", static_cast<std::int64_t>(r.build_time.count()));
    w.field("probe_ms", static_cast<std::int64_t>(r.probe_time.count()));
    w.field("total_ms", static_cast<std::int64_t>(r.total_time.count())).field("probes_per_s", per_s);
    w.field("slice_switches", s.switch_names);
    w.field("note", fmt::format("{} switches, {} hosts; lab built in {:.1f} s, {} probes in {:.1f} s ({:.0f}/s), "
                                "0 mismatches",
                                r.switches, r.hosts, static_cast<double>(r.build_time.count()) / 1000, r.probes,
                                probe_s, per_s));
    w.end_object();
    std::string out = "    ";
    for (char c : w.str()) out += c == '\n' ? std::string("\n    ") : std::string(1, c);
    return out;
}

// Adds `step` to the "steps" of the results file bench_suite writes (it runs first in `make
// bench`), replacing this bench's step from an earlier run; starts a file of its own when there
// is none, or none in the shape JsonWriter gives it.
std::string merged_results(const std::string& old, const std::string& step) {
    constexpr std::string_view open = "\"steps\": [", close = "\n  ]\n}", item = "\n    {";
    const auto begin = old.find(open), end = old.rfind(close);
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return fmt::format("{{\n  \"cores\": {},\n  \"steps\": [\n{}\n  ]\n}}\n", std::thread::hardware_concurrency(),
                           step);
    const std::string mine = fmt::format("\"step\": \"{}\"", kStepName);
    std::string steps;
    for (auto at = old.find(item, begin); at != std::string::npos && at < end;) {
        auto next = std::min(old.find(item, at + 1), end);
        std::string one = old.substr(at + 1, next - at - 1);
        if (one.ends_with(',')) one.pop_back();
        if (one.find(mine) == std::string::npos) steps += one + ",\n";
        at = next == end ? std::string::npos : next;
    }
    return old.substr(0, begin + open.size()) + "\n" + steps + step + old.substr(end);
}

void write_results(const std::string& path, const std::string& step) {
    auto old = read_text_file(path);
    auto written = write_file_atomically(path, merged_results(old ? *old : std::string(), step));
    if (!written) fmt::print(stderr, "bench_verify: {}\n", written.error().message);
    else fmt::print(stderr, "wrote {}\n", path);
}

void print_failure(const verify::NetworkVerifyResult& r) {
    for (const auto& f : r.static_findings)
        fmt::print("STATIC {}:{}: {}: {} ({})\n", f.path, f.line, f.switch_name, f.message, f.impact);
    for (std::size_t i = 0; i < std::min(r.mismatches.size(), kMismatchesShown); ++i)
        fmt::print("MISMATCH {}\n", r.mismatches[i].text);
    fmt::print("bench_verify: FAILED: {} mismatch(es) of {} probes, {} static finding(s); no benchmark number\n",
               r.mismatches.size(), r.probes, r.static_findings.size());
}

void print_report(const Slice& s, const verify::NetworkVerifyResult& r, double cpu_s) {
    const double probe_s = static_cast<double>(r.probe_time.count()) / 1000;
    fmt::print("M slice: {} classes, {} flows, {} switches: the gateways, the edge firewall and the first {} access "
               "switches ({})\n", s.classes, s.flows, s.switches, s.access_switches, s.switch_names);
    for (const auto& n : r.notes) fmt::print("note: {}\n", n);
    fmt::print("| switches | hosts | probes | lab build | probing | probes/s | total | CPU | mismatches |\n");
    fmt::print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    fmt::print("| {} | {} | {} | {} ms | {} ms | {:.0f} | {} ms | {:.1f} s | {} |\n", r.switches, r.hosts, r.probes,
               r.build_time.count(), r.probe_time.count(), static_cast<double>(r.probes) / std::max(probe_s, 1e-9),
               r.total_time.count(), cpu_s, r.mismatches.size());
    fmt::print("load average {}; {} cores\n", load_average(), std::thread::hardware_concurrency());
}

int run(const Options& o) {
    if (std::string why = verify::dataplane_unavailable_reason(); !why.empty()) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") {
            fmt::print(stderr, "bench_verify: cannot build a lab, and CI=true: {}\n", why);
            return 1;
        }
        fmt::print("bench_verify: skipped (needs root and network namespaces): {}\n", why);
        return 0;
    }
    auto slice = make_slice(o.access_switches);
    if (!slice) return 1;
    fmt::print(stderr, "== verify on the M slice: {} switches, {} classes, {} flows (load {})\n", slice->switches,
               slice->classes, slice->flows, load_average());
    const double cpu_start = cpu_seconds();
    auto result = verify::verify_network(slice->policy, {});
    const double cpu_s = cpu_seconds() - cpu_start;
    if (!result) {
        fmt::print(stderr, "bench_verify: verify failed: {}\n", result.error().message);
        return 1;
    }
    print_report(*slice, *result, cpu_s);
    if (!result->clean()) {
        print_failure(*result);
        return 1;
    }
    write_results(o.json_path, step_json(*slice, *result, cpu_s));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"microseg verify on a slice of the synthetic M network (root)"};
    Options o;
    app.add_option("--access-switches", o.access_switches, "M's first N access switches in the slice (default: the fewest that give every class a port)")
        ->check(CLI::Range(0, 296));
    app.add_option("--json", o.json_path, "the results file to add the step to (default bench/results.json)");
    CLI11_PARSE(app, argc, argv);
    try {
        return run(o);
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_verify: {}\n", e.what());
        return 2;
    }
}
