#include "cli/traffic_flags.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"

namespace microseg::cli {

namespace {

std::uint64_t mac_bits(const MacAddress& mac) {
    std::uint64_t v = 0;
    for (auto b : mac.bytes) v = (v << 8) | b;
    return v;
}

std::vector<traffic::InventoryEntry> inventory_entries(const Inventory& inventory, const Policy& policy) {
    std::vector<traffic::InventoryEntry> out;
    for (const auto& d : inventory.devices)
        if (auto cls = policy.class_index(d.device_class))
            out.push_back({d.mac.is_zero() ? 0 : mac_bits(d.mac), d.ip, *cls});
    return out;
}

}  // namespace

void add_traffic_flags(CLI::App* cmd, TrafficArgs& args) {
    cmd->add_option("POLICY", args.policy, "policy file")->required();
    cmd->add_option("--flows", args.flows,
                    "flow records: Zeek conn.log (TSV or JSON), nfdump CSV, or CSV src,dst,proto,dport[,sport,count,bytes,first,last]; - is stdin")
        ->required()
        ->expected(1, -1);
    add_inventory_flags(cmd, args.inventory, /*required=*/false);
    add_at_option(cmd, args.at);
    add_format_option(cmd, args.format, {"text", "json"}, "text");
}

std::unique_ptr<ObservedPolicy> observe_flows(const TrafficArgs& args) {
    auto out = std::make_unique<ObservedPolicy>();
    auto loaded = load_policy(args.policy, args.at, /*quiet_warnings=*/true);
    if (!loaded) {
        out->exit_code = loaded.exit_code;
        return out;
    }
    out->policy = std::move(*loaded.policy);
    std::vector<traffic::InventoryEntry> entries;
    if (!args.inventory.inventory.empty()) {
        auto inventory = read_inventory(args.inventory, *out->policy);
        if (!inventory) {
            out->exit_code = kExitUsage;
            return out;
        }
        entries = inventory_entries(*inventory, *out->policy);
    }
    auto seen = traffic::observe(*out->policy, args.flows, entries);
    if (!seen) {
        fmt::print(stderr, "{}\n", format_diagnostic(seen.error()));
        out->exit_code = kExitUsage;
        return out;
    }
    for (const auto& w : seen->warnings) fmt::print(stderr, "{}\n", format_diagnostic(w));
    if (seen->bad_lines > seen->warnings.size())
        fmt::print(stderr, "microseg: warning: {} bad lines in all, skipped\n", seen->bad_lines);
    out->seen = std::move(*seen);
    return out;
}

}  // namespace microseg::cli
