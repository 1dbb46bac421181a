// bench_traffic: `microseg simulate` and `learn` on flow files of the synthetic M hospital
// (issue 22; goal: 10 million Zeek TSV or plain-CSV records in under 10 s, memory bounded by
// the number of (class pair, service) keys, not by records). The files are written first
// (deterministic: std::mt19937_64), 90% of records on a flow of the policy, 10% on a random
// class pair and one of 8 ports hospitals see off-policy (telnet, RDP, SMB, VNC, ...); then
// each command runs in a process of its own: wall, CPU, peak RSS.
// A run at a tenth of the records shows whether memory grows with the input.
//
//   bench_traffic [--records N] [--dir DIR] [--keep]
#include <filesystem>
#include <random>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/os.h>

#include "bench/measure.hpp"
#include "bench/synthetic_network.hpp"
#include "compiler/compiler.hpp"

namespace {

using namespace microseg;
using namespace microseg::bench;
namespace fs = std::filesystem;

struct Endpoint {
    std::uint32_t from_base = 0, to_base = 0;  // /24 networks (host order)
    bool udp = false;
    std::uint16_t port = 0;
};

std::uint32_t v4_base(const DeviceClass& c) {
    for (const auto& s : c.subnets)
        if (s.network.family == IpFamily::v4) return static_cast<std::uint32_t>(s.network.value);
    return 0;
}

// The (class pair, service port) population records are drawn from.
std::vector<Endpoint> endpoints_of(const Policy& policy) {
    std::vector<Endpoint> out;
    for (std::size_t f = 0; f < policy.flows().size(); ++f) {
        const auto ends = policy.flow_ends(f);
        const auto from = v4_base(policy.classes()[ends.from]), to = v4_base(policy.classes()[ends.to]);
        if (!from || !to) continue;
        const Service* s = policy.find_service(policy.flows()[f].services.front());
        if (!s || s->ports.empty() || !s->ports.front().has_ports()) continue;
        out.push_back({from, to, s->ports.front().protocol == Protocol::udp, s->ports.front().ports.first});
    }
    return out;
}

std::string dotted(std::uint32_t v) {
    return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

// What hospitals see off-policy: remote access, file shares, web consoles, clear-text logins.
constexpr std::uint16_t kOffPolicyPorts[] = {21, 23, 80, 445, 3389, 5900, 8080, 8443};

// Returns how many distinct (class pair, port) keys the records hold.
std::size_t write_files(const Policy& policy, std::size_t records, const std::string& zeek, const std::string& csv) {
    std::set<std::uint64_t> keys;
    const auto endpoints = endpoints_of(policy);
    std::vector<std::uint32_t> bases;
    for (const auto& c : policy.classes())
        if (!c.external && v4_base(c)) bases.push_back(v4_base(c));
    std::mt19937_64 rng(22);
    auto z = fmt::output_file(zeek);
    auto c = fmt::output_file(csv);
    z.print("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
            "#open\t2026-11-01-00-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
            "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts"
            "\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool"
            "\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n");
    c.print("src,dst,proto,dport,sport,count,bytes,first,last\n");
    for (std::size_t i = 0; i < records; ++i) {
        Endpoint e = endpoints[rng() % endpoints.size()];
        if (rng() % 10 == 0) e = {bases[rng() % bases.size()], bases[rng() % bases.size()], false,
                                  kOffPolicyPorts[rng() % std::size(kOffPolicyPorts)]};
        keys.insert((std::uint64_t{e.from_base} << 32 | e.to_base) * 65537 + e.port);
        const auto src = dotted(e.from_base + 1 + static_cast<std::uint32_t>(rng() % 250));
        const auto dst = dotted(e.to_base + 1 + static_cast<std::uint32_t>(rng() % 250));
        const auto sport = 32768 + rng() % 28000;
        const double ts = 1761955200.0 + static_cast<double>(i) * 0.001;
        const char* proto = e.udp ? "udp" : "tcp";
        z.print("{:.6f}\tC{:x}\t{}\t{}\t{}\t{}\t{}\t-\t0.5\t300\t1200\tSF\tT\tT\t0\tShADadFf\t5\t560\t5\t1460\t-\n", ts, i,
                src, sport, dst, e.port, proto);
        c.print("{},{},{},{},{},1,1500,{:.3f},{:.3f}\n", src, dst, proto, e.port, sport, ts, ts + 0.5);
    }
    z.print("#close\t2026-11-02-00-00-00\n");
    return keys.size();
}

void run(const std::string& what, const std::vector<std::string>& argv, std::size_t records) {
    auto m = repeat(3, [&] { return run_program(argv, 600); });
    fmt::print("  {:<28} {:>6.2f} s wall, {:>6.2f} s CPU, {:>5.2f} M records/s, peak RSS {:.0f} MiB, exit {}\n", what,
               m.wall_s, m.cpu_s, static_cast<double>(records) / m.wall_s / 1e6,
               static_cast<double>(m.max_rss_kb) / 1024.0, m.exit_code);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"microseg learn/simulate on synthetic flow files"};
    std::size_t records = 10'000'000;
    std::string dir = (fs::temp_directory_path() / "microseg-bench-traffic").string();
    bool keep = false;
    app.add_option("--records", records, "records per file");
    app.add_option("--dir", dir, "where the flow files are written");
    app.add_flag("--keep", keep, "keep the files");
    CLI11_PARSE(app, argc, argv);
    fs::create_directories(dir);
    auto files = generate_network(*network_size("M"), 1);
    const std::string policy_file = dir + "/policy.yaml";
    fmt::output_file(policy_file).print("{}", files.front().text);
    auto compiled = compile_policy_file(policy_file, {});
    if (!compiled.ok()) {
        fmt::print(stderr, "bench_traffic: the M network does not compile\n");
        return 1;
    }
    fmt::print("learn/simulate on the M network (load {}):\n", load_average());
    for (std::size_t n : {records / 10, records}) {
        const std::string zeek = fmt::format("{}/conn-{}.log", dir, n), csv = fmt::format("{}/flows-{}.csv", dir, n);
        const std::size_t keys = write_files(*compiled.policy, n, zeek, csv);
        fmt::print(" {} records, {} (class pair, port) keys ({} MB Zeek TSV, {} MB CSV):\n", n, keys,
                   fs::file_size(zeek) / 1'000'000, fs::file_size(csv) / 1'000'000);
        run("simulate, Zeek TSV", {MICROSEG_EXE, "simulate", policy_file, "--flows", zeek, "--format", "json"}, n);
        run("simulate, plain CSV", {MICROSEG_EXE, "simulate", policy_file, "--flows", csv, "--format", "json"}, n);
        run("learn, plain CSV", {MICROSEG_EXE, "learn", policy_file, "--flows", csv, "--format", "json"}, n);
        if (!keep) fs::remove(zeek), fs::remove(csv);
    }
    return 0;
}
