// microseg-bench-gen SIZE [--seed N] [--access-switches N] [-o DIR]: writes a synthetic network of
// size S, M, L or XL in the policy language (bench/synthetic_network.hpp). Without -o the policy
// goes to stdout. The same size and seed always give the same bytes. --access-switches keeps the
// gateways, the edge firewall and the first N access switches (slice_switches; bench_verify's slice).
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/synthetic_network.hpp"
#include "model/file_io.hpp"

int main(int argc, char** argv) {
    using namespace microseg::bench;
    CLI::App app{"Writes a synthetic health-system policy for the benchmarks"};
    std::string size_name;
    std::uint64_t seed = 1;
    std::string out_dir;
    int access_switches = -1;
    app.add_option("SIZE", size_name, "S, M, L or XL")->required()->check(CLI::IsMember(network_size_names()));
    app.add_option("--seed", seed, "random seed (default 1)");
    app.add_option("--access-switches", access_switches, "keep only the first N access switches (and every other switch)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("-o,--output", out_dir, "directory to write policy.yaml into (created)");
    CLI11_PARSE(app, argc, argv);

    auto files = generate_network(*network_size(size_name), seed);
    if (access_switches >= 0) files.front().text = slice_switches(files.front().text, access_switches);
    if (out_dir.empty()) {
        for (const auto& f : files) std::fwrite(f.text.data(), 1, f.text.size(), stdout);
        return 0;
    }
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    for (const auto& f : files) {
        auto written = microseg::write_file_atomically(out_dir + "/" + f.name, f.text);
        if (!written) {
            fmt::print(stderr, "microseg-bench-gen: {}\n", written.error().message);
            return 2;
        }
    }
    return 0;
}
