// Benchmark: build the reachability graph and all-pairs reachability for synthetic policies of
// hospital-network shape, at growing sizes. Prints a table: median of 5 runs, peak RSS.
//
// The generator is deterministic (seeded): classes sit in 8 tiers (entry side to core), most
// flows go from a tier to the same or a deeper one, a few go back (which creates strongly
// connected components); every tenth class shares a VLAN with up to three others.

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/all_pairs.hpp"
#include "model/reachability.hpp"

using namespace microseg;

namespace {

struct Shape {
    std::size_t classes;
    std::size_t flows;
    double back_fraction;  // flows from a deeper tier back to a shallower one
};

Policy synthetic_policy(const Shape& shape, std::uint32_t seed) {
    constexpr std::size_t tiers = 8;
    static const std::vector<std::string> services = {"https", "ssh", "dicom", "hl7-mllp", "rdp", "smb", "snmp", "ldaps"};
    std::mt19937_64 rng(seed);
    PolicyParts p;
    p.name = "synthetic";
    p.classes.reserve(shape.classes);
    for (std::size_t i = 0; i < shape.classes; ++i) {
        DeviceClass c;
        c.name = fmt::format("c{}", i);
        // Every 10th class shares its VLAN with the 10th classes of the same block of 40, within its tier.
        std::size_t block = i - i % 40;
        c.shared_vlan = i % 10 == 0 && block * tiers / shape.classes == i * tiers / shape.classes;
        c.vlan = static_cast<int>(c.shared_vlan ? 10 + i / 40 : 1000 + i);
        c.devices = static_cast<std::int64_t>(1 + rng() % 500);
        c.isolate = rng() % 4 == 0;
        c.entry = i < 5;
        c.criticality = i % 100 == 99 ? Criticality::life : Criticality::medium;
        p.classes.push_back(std::move(c));
    }
    auto tier_of = [&](std::size_t c) { return c * tiers / shape.classes; };
    auto in_tier = [&](std::size_t t) {
        std::size_t first = (t * shape.classes + tiers - 1) / tiers;
        std::size_t last = ((t + 1) * shape.classes + tiers - 1) / tiers;
        return first + rng() % std::max<std::size_t>(1, last - first);
    };
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    p.flows.reserve(shape.flows);
    for (std::size_t i = 0; i < shape.flows; ++i) {
        std::size_t from = rng() % shape.classes;
        std::size_t t = tier_of(from);
        std::size_t to_tier = unit(rng) < shape.back_fraction ? rng() % (t + 1) : t + rng() % (tiers - t);
        FlowRule f;
        f.from = p.classes[from].name;
        f.to = p.classes[in_tier(to_tier)].name;
        f.services = {services[rng() % services.size()]};
        p.flows.push_back(std::move(f));
    }
    return Policy(std::move(p));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::size_t edge_count(const ReachGraph& g) {
    std::size_t n = 0;
    for (std::size_t v = 0; v < boost::num_vertices(g); ++v) n += boost::out_degree(v, g);
    return n;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

long peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

void run(const Shape& shape) {
    constexpr int runs = 5;
    auto gen_start = std::chrono::steady_clock::now();
    Policy policy = synthetic_policy(shape, 20261123);
    double gen_s = seconds_since(gen_start);
    long policy_rss = peak_rss_mb();

    std::vector<double> build_s, closure_s, build_cpu, closure_cpu;
    std::size_t edges = 0, components = 0, pairs = 0;
    for (int r = 0; r < runs; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        double c0 = cpu_seconds();
        auto graph = ReachabilityGraph::build(policy);
        build_s.push_back(seconds_since(t0));
        build_cpu.push_back(cpu_seconds() - c0);
        auto t1 = std::chrono::steady_clock::now();
        double c1 = cpu_seconds();
        AllPairsReachability reach(graph.graph());
        closure_s.push_back(seconds_since(t1));
        closure_cpu.push_back(cpu_seconds() - c1);
        edges = edge_count(graph.graph());
        components = reach.component_count();
        pairs = reach.reachable_pair_count();
    }
    fmt::print("{:>8} {:>9} {:>6.0f}% {:>9} {:>6} {:>12} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>8} {:>8}\n",
               shape.classes, shape.flows, shape.back_fraction * 100, edges, components, pairs, gen_s,
               median(build_s), median(build_cpu), median(closure_s), median(closure_cpu), policy_rss, peak_rss_mb());
    std::fflush(stdout);
}

}  // namespace

int main() {
    fmt::print("reachability graph build and all-pairs reachability: median of 5 runs, wall and thread CPU\n"
               "seconds; peak RSS in MB after generating the policy and at the end\n");
    fmt::print("{:>8} {:>9} {:>7} {:>9} {:>6} {:>12} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8}\n", "classes", "flows",
               "back", "edges", "SCCs", "reach pairs", "generate", "build", "build cpu", "all-pairs", "ap cpu",
               "RSS pol", "RSS peak");
    for (const Shape& shape : {Shape{200, 2'000, 0.02}, Shape{2'000, 40'000, 0.0}, Shape{2'000, 40'000, 0.02},
                               Shape{10'000, 1'000'000, 0.0}, Shape{10'000, 1'000'000, 0.01}})
        run(shape);
}
