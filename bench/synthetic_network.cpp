#include "bench/synthetic_network.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

namespace microseg::bench {
namespace {

// What a hospital's device classes look like; class i is kind i % size.
struct Kind {
    std::string_view name;
    std::string_view criticality;
    bool phi = false, isolate = false, entry = false;
    int devices_min = 1, devices_max = 10;
};

constexpr std::array<Kind, 16> kKinds = {{
    {"workstation", "medium", false, false, true, 100, 1500},
    {"infusion-pump", "life", false, true, false, 200, 1800},
    {"patient-monitor", "life", false, true, false, 50, 600},
    {"central-station", "high", false, false, false, 4, 24},
    {"imaging", "high", false, false, false, 10, 60},
    {"pacs", "medium", true, false, false, 2, 8},
    {"ehr", "high", true, false, false, 4, 24},
    {"lab-analyser", "medium", false, false, false, 5, 40},
    {"printer", "low", false, false, false, 20, 220},
    {"ip-phone", "low", false, false, false, 100, 900},
    {"camera", "low", false, false, false, 30, 350},
    {"building-automation", "medium", false, false, false, 30, 300},
    {"nurse-call", "high", false, false, false, 20, 180},
    {"guest-wifi", "low", false, false, true, 200, 2000},
    {"infra-server", "medium", false, false, false, 4, 12},
    {"pump-server", "high", false, false, false, 2, 3},
}};

// Mostly encrypted services, with the clear-text ones a real hospital still runs.
constexpr std::array<std::string_view, 16> kServices = {
    "https", "https", "https", "dicom-tls", "hl7-mllp-tls", "ldaps", "syslog-tls", "ntp",
    "dns",   "sips",  "ipps",  "ssh",       "mqtt-tls",     "kerberos", "dicom", "hl7-mllp"};

constexpr int kFirstVlan = 100;
constexpr int kUniqueVlans = 3900;  // 100..3999; more classes than this share VLANs in pairs

constexpr std::string_view kEdgeRouter = "edge-fw-01";
constexpr std::string_view kGatewayPlatforms[] = {"arista-eos", "cisco-ios", "junos", "nftables"};

class Generator {
public:
    Generator(const NetworkSize& size, std::uint64_t seed)
        : size_(size), rng_(seed), internal_(std::max(size.classes - 2, 1)) {}

    std::string run() {
        out_ += fmt::format("# Synthetic health system, size {} (seed-determined): {} sites, {} classes, {} switches\n",
                            size_.name, size_.sites, size_.classes, size_.switches);
        out_ += fmt::format("version: 1\nname: synthetic-{}\n\nclasses:\n", to_lower(size_.name));
        for (int i = 0; i < internal_; ++i) write_class(i);
        // Both enter at one edge firewall (written last among the switches) when there are switches.
        std::string via = size_.switches > 0 ? fmt::format(", via: [{}]", kEdgeRouter) : "";
        out_ += fmt::format("  vendor-vpn: {{external: true, subnets: [172.31.200.0/24], entry: true{}}}\n", via);
        out_ += fmt::format("  internet: {{external: true, subnets: [0.0.0.0/0], entry: true{}}}\n", via);
        out_ += "\nflows:\n";
        if (size_.grouped_flows) {
            write_grouped_flows();
        } else {
            write_flows();
        }
        if (size_.switches > 0) {
            out_ += "\nswitches:\n";
            write_switches();
            // The internet edge and VPN head-end: it filters every flow to or from them (transit).
            out_ += fmt::format("  - name: {}\n    platform: nftables\n    address: 192.168.255.254\n"
                                "    site: site-00\n    tcam_budget: 1000000\n", kEdgeRouter);
        }
        return std::move(out_);
    }

private:
    static std::string to_lower(std::string s) {
        for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        return s;
    }
    // Uniform in [0, n): std::mt19937_64's output is the same everywhere; distributions are not.
    std::uint64_t pick(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }
    bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }

    int site_of(int i) const { return static_cast<int>(static_cast<long long>(i) * size_.sites / internal_); }
    int site_begin(int s) const { return static_cast<int>((static_cast<long long>(s) * internal_ + size_.sites - 1) / size_.sites); }
    const Kind& kind_of(int i) const { return kKinds[static_cast<std::size_t>(i) % kKinds.size()]; }
    std::string class_name(int i) const { return fmt::format("s{:02}-{}-{}", site_of(i), kind_of(i).name, i); }
    int vlan_of(int i) const { return kFirstVlan + (i < kUniqueVlans ? i : (i - kUniqueVlans) % kUniqueVlans); }
    bool shares_vlan(int i) const { return internal_ > kUniqueVlans && (i >= kUniqueVlans || i < internal_ - kUniqueVlans); }

    void write_class(int i) {
        const Kind& k = kind_of(i);
        int devices = k.devices_min + static_cast<int>(pick(static_cast<std::uint64_t>(k.devices_max - k.devices_min + 1)));
        out_ += fmt::format("  {}: {{vlan: {}, subnets: [10.{}.{}.0/24], devices: {}, criticality: {}", class_name(i),
                            vlan_of(i), i / 256, i % 256, devices, k.criticality);
        if (k.phi) out_ += ", phi: true";
        if (k.isolate) out_ += ", isolate: true";
        if (k.entry) out_ += ", entry: true";
        if (shares_vlan(i)) out_ += ", shared_vlan: true";
        out_ += "}\n";
    }

    // A flow's destination: mostly the same site, then the first site (the data centre's
    // shared services), a little to the internet.
    int pick_destination(int from) {
        if (chance(3)) return -1;  // internet
        int s = chance(75) ? site_of(from) : 0;
        int begin = site_begin(s), end = site_begin(s + 1);
        return begin + static_cast<int>(pick(static_cast<std::uint64_t>(end - begin)));
    }

    std::string services_text() {
        std::string_view a = kServices[pick(kServices.size())];
        if (!chance(20)) return std::string(a);
        std::string_view b = kServices[pick(kServices.size())];
        return a == b ? std::string(a) : fmt::format("{}, {}", a, b);
    }

    void write_flows() {
        std::unordered_set<std::uint64_t> seen;
        const auto pair_key = [](int a, int b) { return (static_cast<std::uint64_t>(a + 2) << 32) | static_cast<std::uint32_t>(b + 2); };
        // Every (from, to) pair at most once; stop well short of all possible pairs so that
        // picking at random always finishes.
        const auto n = static_cast<std::uint64_t>(internal_);
        const std::uint64_t possible = n * n + n;
        const int wanted = static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(size_.flows), possible * 3 / 4));
        for (int written = 0; written < wanted;) {
            const bool from_vendor = chance(1);
            int from = from_vendor ? -2 : static_cast<int>(pick(static_cast<std::uint64_t>(internal_)));
            int to = from_vendor ? static_cast<int>(pick(static_cast<std::uint64_t>(internal_))) : pick_destination(from);
            if (from == to || !seen.insert(pair_key(from, to)).second) continue;
            std::string services = to == -1 ? "https" : from_vendor ? "ssh, https" : services_text();
            out_ += fmt::format("  - {{from: {}, to: {}, services: [{}], reason: \"synthetic flow {}\"}}\n",
                                endpoint(from), endpoint(to), services, written);
            ++written;
        }
    }

    std::string endpoint(int i) const { return i == -1 ? "internet" : i == -2 ? "vendor-vpn" : class_name(i); }

    // Groups of ten classes; each group reaches `per_group` other groups with one 10 x 10 entry
    // each, so every entry is a hundred distinct rules.
    void write_grouped_flows() {
        const int groups = internal_ / 10;
        const int entries = size_.flows / 100;
        std::vector<std::set<int>> targets(static_cast<std::size_t>(groups));
        for (int e = 0; e < entries; ++e) {
            const int g = e % groups;
            int t = g;
            while (t == g || targets[static_cast<std::size_t>(g)].count(t)) t = static_cast<int>(pick(static_cast<std::uint64_t>(groups)));
            targets[static_cast<std::size_t>(g)].insert(t);
            out_ += fmt::format("  - {{from: [{}], to: [{}], services: [{}]}}\n", group_names(g), group_names(t),
                                kServices[pick(kServices.size())]);
        }
    }

    std::string group_names(int g) const {
        std::string s;
        for (int i = g * 10; i < g * 10 + 10; ++i) s += (s.empty() ? "" : ", ") + class_name(i);
        return s;
    }

    void write_switches() {
        int index = 0;
        for (int s = 0; s < size_.sites; ++s) {
            const int count = size_.switches / size_.sites + (s < size_.switches % size_.sites ? 1 : 0);
            const int begin = site_begin(s), end = site_begin(s + 1), n = end - begin;
            const int gateways = std::min(count, std::max(4, (n + 15) / 16));
            for (int j = 0; j < count; ++j, ++index) {
                std::vector<int> gateway_for;
                if (j < gateways)
                    for (int c = begin + j; c < end; c += gateways) gateway_for.push_back(c);
                std::string_view platform = j < gateways ? kGatewayPlatforms[j % 4] : access_platform();
                write_switch(s, j, index, j < gateways, platform, gateway_for, begin, n);
            }
        }
    }

    std::string_view access_platform() {
        auto r = pick(4);
        return r < 2 ? "cisco-ios" : r == 2 ? "arista-eos" : "junos";
    }

    void write_switch(int site, int j, int index, bool gateway, std::string_view platform,
                      const std::vector<int>& gateway_for, int begin, int n) {
        out_ += fmt::format("  - name: s{:02}-{}-{:04}\n    platform: {}\n    address: 192.168.{}.{}\n    site: site-{:02}\n",
                            site, gateway ? "gw" : "acc", j, platform, index / 250, index % 250 + 1, site);
        if (gateway) out_ += "    tcam_budget: 1000000\n";
        if (!gateway_for.empty()) {
            out_ += "    gateway: [";
            for (std::size_t k = 0; k < gateway_for.size(); ++k) out_ += (k ? ", " : "") + class_name(gateway_for[k]);
            out_ += "]\n";
        }
        std::set<int> vlans;
        for (int c : gateway_for) vlans.insert(vlan_of(c));
        if (platform != "nftables" && size_.ports_per_switch > 0 && n > 0) write_ports(platform, j, begin, n, vlans);
        if (vlans.empty()) return;
        std::string list;
        for (int v : vlans) list += fmt::format("{}{}", list.empty() ? "" : ", ", v);
        out_ += fmt::format("    trunks:\n      {}: [{}]\n", uplink(platform), list);
    }

    // 2-5 classes of the site on consecutive port ranges; switch j starts at class 3j so every
    // class of the site gets ports somewhere.
    void write_ports(std::string_view platform, int j, int begin, int n, std::set<int>& vlans) {
        const int total = size_.ports_per_switch;
        const int k = std::min(n, 2 + static_cast<int>(pick(4)));
        out_ += "    ports:\n";
        int port = 0;
        for (int t = 0; t < k; ++t) {
            const int c = begin + (j * 3 + t) % n;
            const int len = total / k + (t < total % k ? 1 : 0);
            vlans.insert(vlan_of(c));
            for (int p = port; p < port + len;) {
                const int member = p / 48, first = p % 48;
                const int last = std::min(port + len, (member + 1) * 48) - 1 - member * 48;
                out_ += fmt::format("      {}: {}\n", port_range(platform, member, first, last), class_name(c));
                p = member * 48 + last + 1;
            }
            port += len;
        }
    }

    static std::string port_range(std::string_view platform, int member, int first, int last) {
        std::string range = first == last ? "" : fmt::format("-{}", last);
        if (platform == "cisco-ios") return fmt::format("GigabitEthernet{}/0/{}{}", member + 1, first + 1, first == last ? "" : fmt::format("-{}", last + 1));
        if (platform == "arista-eos") return fmt::format("Ethernet{}{}", member * 48 + first + 1, first == last ? "" : fmt::format("-{}", member * 48 + last + 1));
        return fmt::format("ge-{}/0/{}{}", member, first, range);
    }

    static std::string_view uplink(std::string_view platform) {
        if (platform == "cisco-ios") return "TenGigabitEthernet1/1/1";
        if (platform == "arista-eos") return "Ethernet100";
        if (platform == "junos") return "xe-0/2/0";
        return "eth1";
    }

    const NetworkSize& size_;
    std::mt19937_64 rng_;
    const int internal_;
    std::string out_;
};

}  // namespace

std::optional<NetworkSize> network_size(std::string_view name) {
    if (name == "S") return NetworkSize{"S", 1, 10, 5, 24, 20, false};
    if (name == "M") return NetworkSize{"M", 1, 60, 300, 50, 2'000, false};
    if (name == "L") return NetworkSize{"L", 40, 2'000, 5'000, 50, 40'000, false};
    if (name == "XL") return NetworkSize{"XL", 100, 10'000, 0, 0, 1'000'000, true};
    return std::nullopt;
}

std::vector<std::string> network_size_names() { return {"S", "M", "L", "XL"}; }

std::vector<GeneratedFile> generate_network(const NetworkSize& size, std::uint64_t seed) {
    return {{"policy.yaml", Generator(size, seed).run()}};
}

std::string slice_switches(std::string_view policy, int access_switches) {
    constexpr std::string_view heading = "\nswitches:\n", block_start = "\n  - name: ";
    const auto at = policy.find(heading);
    if (at == std::string_view::npos) return std::string(policy);
    std::string out(policy.substr(0, at + heading.size()));
    std::string_view rest = policy.substr(at + heading.size());
    int access = 0;
    while (!rest.empty()) {
        // A switch is its "  - name:" line and the indented lines under it.
        const auto next = rest.find(block_start);
        const std::string_view block = rest.substr(0, next == std::string_view::npos ? rest.size() : next + 1);
        rest.remove_prefix(block.size());
        const bool is_access = block.substr(0, block.find('\n')).find("-acc-") != std::string_view::npos;
        if (!is_access || access++ < access_switches) out += block;
    }
    return out;
}

}  // namespace microseg::bench
