#pragma once
// bench/: benchmark programs and the synthetic network generator they run on.
//
// The generator writes policies in the policy language (DESIGN.md "The policy language"), sized
// like real health systems, deterministic for a given size and seed: the same input always gives
// the same bytes, so timings of two builds compare like with like. Output passes `microseg check`
// with no errors (warnings such as clear-text flows are part of a realistic policy).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microseg::bench {

struct NetworkSize {
    std::string name;          // "S", "M", "L", "XL"
    int sites = 1;
    int classes = 10;          // device classes, the two external ones included
    int switches = 5;          // 0: no switches (graph analysis only)
    int ports_per_switch = 0;  // access ports on every switch but the nftables firewalls
    int flows = 20;            // flow rules after from/to lists are expanded
    bool grouped_flows = false;  // write flows as 10 x 10 from/to lists (XL: a million rules)
};

// S (clinic), M (hospital), L (health system), XL (graph analysis only), or nothing.
std::optional<NetworkSize> network_size(std::string_view name);
std::vector<std::string> network_size_names();

struct GeneratedFile {
    std::string name;  // relative to the output directory; the first one is the top policy file
    std::string text;
};

// The policy: one file, or (grouped_flows) a top file and the flow files it includes, each
// well under the compiler's per-file size limit.
std::vector<GeneratedFile> generate_network(const NetworkSize& size, std::uint64_t seed);

// A slice of a generated (single-file) policy for the verify benchmark: every class and flow
// unchanged, and of the switches only the gateways (`-gw-`), the edge firewall and the first
// `access_switches` access switches (`-acc-`, in the order written). The dropped access switches
// are named by no gateway list and no `via`, so the slice passes `microseg check` as its whole does.
std::string slice_switches(std::string_view policy, int access_switches);

}  // namespace microseg::bench
