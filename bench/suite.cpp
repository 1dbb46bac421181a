// bench_suite: the end-to-end benchmark `make bench` runs (issue 9). For each synthetic size
// (bench/synthetic_network.hpp) it times, each in a process of its own with its peak RSS:
//   yaml     reading the policy into the syntax tree (yaml-cpp), alone: its share of `check`
//   check    `microseg check`        paths    `microseg paths` (every entry to every protected class)
//   allpairs graph build + all-pairs reachability in process (XL: the graph analysis target)
//   compile  `microseg compile` (every switch, every platform)
//   parse    each platform's config parser over every emitted config (MB/s)
//   diff     `microseg diff --dir` over every emitted config: parse + semantic diff (MB/s)
// then an audit of 200 fake switches over real sshd on loopback (bench/audit_bench.hpp), twice:
// devices that answer at once, and devices that take a second to build their config.
// Results: a markdown table on stdout, and bench/results.json in the source tree.
//
//   bench_suite [--sizes S,M,L,XL] [--runs N] [--no-audit] [--json FILE]
//   bench_suite --parse-only DIR     parse every config in DIR once, in process (for profilers)
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "bench/audit_bench.hpp"
#include "bench/measure.hpp"
#include "bench/synthetic_network.hpp"
#include "compiler/compiler.hpp"
#include "compiler/loader.hpp"
#include "model/all_pairs.hpp"
#include "model/as_built.hpp"
#include "model/file_io.hpp"
#include "model/json.hpp"
#include "model/reachability.hpp"

namespace {

namespace fs = std::filesystem;
using namespace microseg;
using namespace microseg::bench;

struct Row {
    std::string size;
    std::string step;
    int runs = 1;
    Measurement m;
    std::map<std::string, double> numbers;  // MB/s, shares, counts: what the step measured besides time
    std::string note;
};

struct Options {
    std::vector<std::string> sizes = network_size_names();
    int runs = 0;  // 0: 5 for S and M, 3 for L, 1 for XL
    bool audit = true;
    unsigned step_timeout_s = 120;  // a CLI run longer than this is killed and reported
    std::string json_path = std::string(MICROSEG_SOURCE_DIR) + "/bench/results.json";
};

// "key=value" lines -> numbers.
std::map<std::string, double> parse_payload(const std::string& payload) {
    std::map<std::string, double> out;
    std::istringstream in(payload);
    for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        try {
            out[line.substr(0, eq)] = std::stod(line.substr(eq + 1));
        } catch (const std::exception&) {
        }
    }
    return out;
}

int runs_for(const Options& o, const std::string& size) {
    const int normal = size == "XL" ? 1 : size == "L" ? 3 : 5;
    return o.runs > 0 ? std::min(o.runs, normal) : normal;
}

std::string mb(double bytes) { return fmt::format("{:.1f} MB", bytes / 1e6); }

class Suite {
public:
    explicit Suite(Options o) : options_(std::move(o)) {}

    int run() {
        load_before_ = load_average();
        for (const auto& name : options_.sizes) run_size(*network_size(name));
        if (options_.audit) run_audit();
        load_after_ = load_average();
        delete_retired();
        print_table();
        write_json();
        return failures_ == 0 ? 0 : 1;
    }

private:
    std::string data_dir(const std::string& size) const { return std::string(BENCH_DATA_DIR) + "/" + size; }
    // Where `compile` writes a size's configs: /dev/shm (tmpfs) when the machine has it, else the
    // data directory. This VM's disk is ext4 without a journal, where the inode allocator skips
    // inodes deleted in the last minutes (`recently_deleted` in perf): 5,000 files created
    // within 5 minutes of deleting the last run's 5,000 took 3.7-6 s instead of 2.2 s, all in
    // the kernel. On tmpfs, and into a fresh directory on that disk, compile takes the same
    // 2.0-2.3 s, so the tmpfs leaves out only the artefact.
    static std::string configs_dir(const std::string& size) {
        std::error_code ec;
        const std::string root = fs::is_directory("/dev/shm", ec) ? "/dev/shm/microseg-bench" : std::string(BENCH_DATA_DIR);
        return root + "/" + size + "/configs";
    }

    Row& add(const std::string& size, std::string step, int runs, Measurement m) {
        rows_.push_back({size, std::move(step), runs, std::move(m), {}, {}});
        fmt::print(stderr, "  {:<3} {:<14} {:>8.3f} s wall {:>8.3f} s cpu {:>8} KB  (load {})\n", size, rows_.back().step,
                   rows_.back().m.wall_s, rows_.back().m.cpu_s, rows_.back().m.max_rss_kb, load_average());
        return rows_.back();
    }

    // A step whose exit code must be one of `ok_codes`; anything else counts as a failure.
    Row& add_checked(const std::string& size, std::string step, int runs, Measurement m, std::vector<int> ok_codes) {
        Row& r = add(size, std::move(step), runs, std::move(m));
        if (std::find(ok_codes.begin(), ok_codes.end(), r.m.exit_code) == ok_codes.end()) {
            r.note = fmt::format("FAILED: exit {}", r.m.exit_code);
            ++failures_;
        }
        return r;
    }

    Measurement cli(int runs, std::vector<std::string> args) {
        args.insert(args.begin(), MICROSEG_EXE);
        return repeat(runs, [&] { return run_program(args, options_.step_timeout_s); });
    }

    void run_size(const NetworkSize& size) {
        fmt::print(stderr, "== {}: {} classes, {} flows, {} switches\n", size.name, size.classes, size.flows, size.switches);
        const std::string dir = data_dir(size.name), policy = dir + "/policy.yaml", out = configs_dir(size.name);
        const int runs = runs_for(options_, size.name);
        generate(size, dir);
        const double policy_bytes = static_cast<double>(fs::file_size(policy));

        Row& yaml = add(size.name, "yaml", runs, repeat(runs, [&] { return run_in_child([&] { return load_yaml(policy); }); }));
        Row& check = add_checked(size.name, "check", runs, cli(runs, {"check", policy}), {0});
        yaml.numbers["share_of_check"] = yaml.m.wall_s / std::max(check.m.wall_s, 1e-9);
        yaml.numbers["mb_per_s"] = policy_bytes / 1e6 / std::max(yaml.m.wall_s, 1e-9);
        yaml.note = fmt::format("{} policy, {:.0f}% of check", mb(policy_bytes), 100 * yaml.numbers["share_of_check"]);
        double end_to_end = check.m.wall_s;
        long peak_kb = check.m.max_rss_kb;
        // XL is for the graph analysis: `paths` would list millions of (entry, protected) findings.
        if (!size.grouped_flows) {
            const Row& paths = add_checked(size.name, "paths", runs, cli(runs, {"paths", policy}), {0, 1});
            end_to_end += paths.m.wall_s;
            peak_kb = std::max(peak_kb, paths.m.max_rss_kb);
        }
        Row& all_pairs = add(size.name, "allpairs", runs, repeat(runs, [&] { return run_in_child([&] { return time_all_pairs(policy); }); }));
        all_pairs.numbers = parse_payload(all_pairs.m.payload);
        all_pairs.note = fmt::format("in process after compiling: graph build {:.3f} s ({:.3f} s CPU), all-pairs "
                                     "{:.3f} s ({:.3f} s CPU); {:.0f} reachable pairs",
                                     all_pairs.numbers["graph_s"], all_pairs.numbers["graph_cpu_s"],
                                     all_pairs.numbers["all_pairs_s"], all_pairs.numbers["all_pairs_cpu_s"],
                                     all_pairs.numbers["pairs"]);
        if (size.switches == 0) return;

        // Into a new directory every run: `compile` leaves files that already hold their config
        // alone, and a rerun into the same directory would measure writing nothing. The
        // directories are on a tmpfs where there is one (configs_dir).
        retire(out);
        fs::create_directories(fs::path(out).parent_path());
        std::vector<std::string> into;
        Measurement compiled = repeat(runs, [&] {
            into.push_back(fmt::format("{}.run{}", out, into.size() + 1));
            retire(into.back());  // left by an interrupted suite
            return run_program({MICROSEG_EXE, "compile", policy, "-o", into.back()}, options_.step_timeout_s);
        });
        std::error_code renamed;
        fs::rename(into.back(), out, renamed);  // the last run's configs are the ones parsed and diffed
        stale_.insert(stale_.end(), into.begin(), into.end() - 1);
        Row& compile = add_checked(size.name, "compile", runs, compiled, {0});
        if (compile.m.exit_code == kTimedOut) {
            compile.note = fmt::format("TIMED OUT after {} s; parse and diff skipped", options_.step_timeout_s);
            return;
        }
        end_to_end += compile.m.wall_s;
        peak_kb = std::max(peak_kb, compile.m.max_rss_kb);
        Row& e2e = add(size.name, "check+paths+compile", runs, {});
        e2e.m.wall_s = end_to_end;
        e2e.note = "sum of the three medians";
        measure_parsing(size.name, runs, out);
        measure_diff(size.name, runs, policy, out, end_to_end, peak_kb);
    }

    // `diff --dir` over every emitted config, then issue 24's whole round: check, paths, compile
    // and diff one after another (each its own process), `before` being the first three.
    void measure_diff(const std::string& size, int runs, const std::string& policy, const std::string& out,
                      double before_s, long before_peak_kb) {
        const double config_bytes = directory_bytes(out);
        Row& diff = add_checked(size, "diff", runs, cli(runs, {"diff", policy, "--dir", out}), {0, 1, 2});
        diff.numbers["mb_per_s"] = config_bytes / 1e6 / std::max(diff.m.wall_s, 1e-9);
        // Exit 0: every emitted config matches its intent, as it must; 1 would be drift (a bug).
        const std::string outcome = diff.m.exit_code == kTimedOut
                                        ? fmt::format("TIMED OUT after {} s", options_.step_timeout_s)
                                        : fmt::format("exit {}", diff.m.exit_code);
        diff.note = fmt::format("{} of configs, {:.1f} MB/s, {}", mb(config_bytes), diff.numbers["mb_per_s"], outcome);
        // Issue 24's whole round: the four commands one after another (each its own process).
        Row& round = add(size, "check+paths+compile+diff", runs, {});
        round.m.wall_s = before_s + diff.m.wall_s;
        round.m.max_rss_kb = std::max(before_peak_kb, diff.m.max_rss_kb);
        round.note = "sum of the four medians; peak RSS the largest of the four";
    }

    // Moves `path` (if it exists) out of the way, to be deleted when the suite ends.
    void retire(const std::string& path) {
        std::error_code ec;
        if (!fs::exists(path, ec)) return;
        std::string stale = fmt::format("{}.stale{}", path, stale_.size());
        fs::remove_all(stale, ec);  // left by an interrupted suite
        fs::rename(path, stale, ec);
        stale_.push_back(ec ? path : stale);
    }

    void delete_retired() {
        std::error_code ec;
        for (const auto& p : stale_) fs::remove_all(p, ec);
        stale_.clear();
    }

    static void generate(const NetworkSize& size, const std::string& dir) {
        fs::create_directories(dir);
        for (const auto& f : generate_network(size, 1)) {
            auto written = write_file_atomically(dir + "/" + f.name, f.text);
            if (!written) throw std::runtime_error(written.error().message);
        }
    }

    static std::string load_yaml(const std::string& policy) {
        Diagnostics diags;
        auto files = compiler::load_policy_files(policy, std::nullopt, diags);
        return fmt::format("files={}\nerrors={}\n", files.trees.size(), diags.error_count());
    }

    static std::string time_all_pairs(const std::string& policy) {
        auto compiled = compile_policy_file(policy);
        if (!compiled.policy) throw std::runtime_error("policy does not compile");
        double start = monotonic_seconds(), cpu = thread_cpu_seconds();
        auto graph = ReachabilityGraph::build(*compiled.policy);
        double graph_s = seconds_since(start), graph_cpu = thread_cpu_seconds() - cpu;
        start = monotonic_seconds();
        cpu = thread_cpu_seconds();
        AllPairsReachability reach(graph.graph());
        double all_pairs_s = seconds_since(start), all_pairs_cpu = thread_cpu_seconds() - cpu;
        return fmt::format("graph_s={:.4f}\ngraph_cpu_s={:.4f}\nall_pairs_s={:.4f}\nall_pairs_cpu_s={:.4f}\npairs={}\ncomponents={}\n",
                           graph_s, graph_cpu, all_pairs_s, all_pairs_cpu, reach.reachable_pair_count(),
                           reach.component_count());
    }

    static double directory_bytes(const std::string& dir) {
        double total = 0;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file()) total += static_cast<double>(e.file_size());
        return total;
    }

    // Each platform's parser over every config of that platform, in one child per run.
    void measure_parsing(const std::string& size, int runs, const std::string& dir) {
        std::vector<Measurement> all;
        for (int i = 0; i < runs; ++i) all.push_back(run_in_child([&] { return parse_all(dir); }));
        std::map<std::string, std::vector<double>> cpu, wall;
        std::map<std::string, double> bytes;
        for (const auto& m : all)
            for (const auto& [key, value] : parse_payload(m.payload)) {
                if (key.ends_with("_cpu")) cpu[key.substr(0, key.size() - 4)].push_back(value);
                if (key.ends_with("_wall")) wall[key.substr(0, key.size() - 5)].push_back(value);
                if (key.ends_with("_bytes")) bytes[key.substr(0, key.size() - 6)] = value;
            }
        auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        for (auto& [platform, times] : cpu) {
            Measurement m = median_of(all);
            m.cpu_s = median(times);
            m.wall_s = median(wall[platform]);
            Row& r = add(size, "parse " + platform, runs, m);
            // Throughput from CPU time: one thread, and wall time on a loaded machine measures the load.
            r.numbers["mb_per_s"] = bytes[platform] / 1e6 / std::max(m.cpu_s, 1e-9);
            r.numbers["bytes"] = bytes[platform];
            r.note = fmt::format("{}, {:.0f} MB/s (of CPU time)", mb(bytes[platform]), r.numbers["mb_per_s"]);
        }
    }

public:
    static std::string parse_all(const std::string& dir) {
        std::map<std::string, std::vector<std::string>> texts;  // platform name -> configs
        for (const auto& e : fs::directory_iterator(dir))
            for (const auto& p : platforms())
                if (e.path().extension() == "." + std::string(p.extension)) {
                    auto text = read_text_file(e.path().string());
                    if (text) texts[std::string(p.extension)].push_back(std::move(*text));
                }
        std::string out;
        for (const auto& [ext, configs] : texts) {
            const Platform* p = nullptr;
            for (const auto& q : platforms())
                if (q.extension == ext) p = &q;
            double bytes = 0;
            std::size_t warnings = 0;
            double start = monotonic_seconds(), cpu_start = thread_cpu_seconds();
            for (const auto& c : configs) {
                bytes += static_cast<double>(c.size());
                warnings += parser_for(p->id)(c).warnings.size();
            }
            out += fmt::format("{}_cpu={:.5f}\n{}_wall={:.5f}\n{}_bytes={}\n{}_warnings={}\n", ext,
                               thread_cpu_seconds() - cpu_start, ext, seconds_since(start), ext, bytes, ext, warnings);
        }
        return out;
    }

private:
    void run_audit() {
        const std::string dir = data_dir("M");
        if (!fs::exists(configs_dir("M"))) {
            fmt::print(stderr, "== audit skipped: it audits the M configs (add M to --sizes)\n");
            return;
        }
        // Devices that answer at once (the run is bound by the CPU the fake devices share with
        // the auditor) and devices that take a second to build their config, like real switches.
        for (int think_ms : {0, 1000}) run_audit(dir, think_ms);
    }

    void run_audit(const std::string& dir, int think_ms) {
        fmt::print(stderr, "== audit: 200 fake switches over sshd on 127.0.0.1, 32 jobs, {} ms device think time\n",
                   think_ms);
        AuditBenchSetup setup{dir + "/policy.yaml", configs_dir("M"), FAKE_SWITCH_EXE, 200, 32, think_ms};
        const int runs = options_.runs > 0 ? std::min(options_.runs, 3) : 3;
        std::vector<Measurement> all;
        for (int i = 0; i < runs; ++i) all.push_back(run_in_child([&] { return run_audit_bench(setup); }));
        // The child also starts the sshds and times single devices: the row shows the audit of
        // the 200 itself (wall) and the auditor's own CPU, each the median over the runs.
        Measurement m = median_of(all);
        std::map<std::string, std::vector<double>> values;
        for (const auto& run : all)
            for (const auto& [key, value] : parse_payload(run.payload)) values[key].push_back(value);
        std::map<std::string, double> numbers;
        for (auto& [key, v] : values) {
            std::sort(v.begin(), v.end());
            numbers[key] = v[v.size() / 2];
        }
        if (m.exit_code == 0) {
            m.wall_s = numbers["total_s"];
            m.cpu_s = numbers["auditor_cpu_s"];
        }
        Row& r = add_checked("M", think_ms == 0 ? "audit" : fmt::format("audit {} ms", think_ms), runs, m, {0});
        if (r.m.exit_code != 0) {
            r.note += fmt::format(" {}", r.m.payload);
            return;
        }
        r.numbers = numbers;
        r.numbers["switches_per_s"] = r.numbers["devices"] / std::max(r.numbers["total_s"], 1e-9);
        // Whole rounds: with equal devices, 200 over 32 sessions is 7 rounds, not 6.25.
        r.numbers["rounds_s"] = std::ceil(r.numbers["devices"] / std::max(r.numbers["jobs"], 1.0)) *
                                r.numbers["slowest_device_s"];
        r.note = fmt::format("{:.0f}/{:.0f} ok, {:.0f} switches/s; last fetch at {:.2f} s; expected (slowest {:.3f} s "
                             "x {:.0f} / {:.0f}) {:.2f} s, in whole rounds {:.2f} s; auditor CPU {:.2f} s "
                             "({:.1f} ms per switch, {:.1f} of it the audit); the fake devices' sshd + fake switch "
                             "{:.0f} ms CPU per login, so on these cores at least {:.2f} s",
                             r.numbers["ok"], r.numbers["devices"], r.numbers["switches_per_s"], r.numbers["fetch_s"],
                             r.numbers["slowest_device_s"], r.numbers["devices"], r.numbers["jobs"],
                             r.numbers["expected_s"], r.numbers["rounds_s"], r.numbers["auditor_cpu_s"],
                             1000 * r.numbers["auditor_cpu_s"] / std::max(r.numbers["devices"], 1.0),
                             1000 * r.numbers["audit_cpu_s"] / std::max(r.numbers["devices"], 1.0),
                             1000 * r.numbers["device_cpu_per_login_s"], r.numbers["cpu_floor_s"]);
    }

    void print_table() const {
        fmt::print("Load average before {}, after {} (1, 5, 15 min); {} cores.\n\n", load_before_, load_after_,
                   std::thread::hardware_concurrency());
        fmt::print("| size | step | runs | wall (median) | CPU | peak RSS | |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (const auto& r : rows_)
            fmt::print("| {} | {} | {} | {:.3f} s | {} | {} | {} |\n", r.size, r.step, r.runs, r.m.wall_s,
                       r.m.cpu_s > 0 ? fmt::format("{:.3f} s", r.m.cpu_s) : "",
                       r.m.max_rss_kb > 0 ? fmt::format("{:.0f} MB", static_cast<double>(r.m.max_rss_kb) / 1024) : "",
                       r.note);
    }

    void write_json() const {
        JsonWriter w;
        w.begin_object().field("load_average_before", load_before_).field("load_average_after", load_after_);
        w.field("cores", static_cast<int>(std::thread::hardware_concurrency()));
        w.key("sizes").begin_array();
        for (const auto& name : options_.sizes) {
            auto s = *network_size(name);
            w.begin_object().field("name", s.name).field("sites", s.sites).field("classes", s.classes);
            w.field("switches", s.switches).field("ports", s.switches * s.ports_per_switch).field("flows", s.flows);
            w.end_object();
        }
        w.end_array().key("steps").begin_array();
        for (const auto& r : rows_) {
            w.begin_object().field("size", r.size).field("step", r.step).field("runs", r.runs);
            w.field("wall_s", r.m.wall_s).field("cpu_s", r.m.cpu_s).field("max_rss_kb", static_cast<std::int64_t>(r.m.max_rss_kb));
            w.field("exit_code", r.m.exit_code);
            for (const auto& [k, v] : r.numbers) w.field(k, v);
            if (!r.note.empty()) w.field("note", r.note);
            w.end_object();
        }
        w.end_array().end_object();
        if (auto ok = write_file_atomically(options_.json_path, w.str() + "\n"); !ok)
            fmt::print(stderr, "bench_suite: {}\n", ok.error().message);
        else
            fmt::print(stderr, "wrote {}\n", options_.json_path);
    }

    Options options_;
    std::vector<Row> rows_;
    std::vector<std::string> stale_;  // earlier configs directories, deleted at the end
    std::string load_before_, load_after_;
    int failures_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"microseg end-to-end benchmarks on synthetic health systems"};
    Options o;
    bool no_audit = false;
    app.add_option("--sizes", o.sizes, "sizes to run (default S M L XL)")->delimiter(',')->check(CLI::IsMember(network_size_names()));
    app.add_option("--runs", o.runs, "at most this many runs per measurement (default: 5 for S and M, 3 for L and the audit, 1 for XL)");
    app.add_flag("--no-audit", no_audit, "skip the SSH audit benchmark");
    app.add_option("--step-timeout", o.step_timeout_s, "kill a CLI run after this many seconds (default 120)");
    app.add_option("--json", o.json_path, "where to write the results (default bench/results.json)");
    std::string parse_only;
    app.add_option("--parse-only", parse_only, "only parse every config in this directory, in process");
    CLI11_PARSE(app, argc, argv);
    if (!parse_only.empty()) {
        fmt::print("{}", Suite::parse_all(parse_only));
        return 0;
    }
    o.audit = !no_audit;
    try {
        return Suite(std::move(o)).run();
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_suite: {}\n", e.what());
        return 2;
    }
}
