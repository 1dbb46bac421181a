#include "fuzz/harness.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include <fmt/format.h>

#include "audit/parse/redact.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "fuzz/flow_targets.hpp"
#include "fuzz/placement_targets.hpp"
#include "model/acl_diff.hpp"
#include "model/as_built.hpp"

namespace microseg::fuzz {
namespace {

// Includes resolve relative to this directory, which does not exist: a fuzz input can name
// files, but only absolute paths reach the file system.
constexpr const char* kPolicyFileName = "/nonexistent/microseg-fuzz/policy.yaml";

std::string run_policy(std::string_view input) {
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{1},
                                                std::chrono::day{1}};
    CompileResult result = compile_policy_text(input, kPolicyFileName, options);
    for (const Diagnostic& d : result.diagnostics.items()) {
        std::string shown = format_diagnostic(d, result.line_of(d.location));
        if (shown.empty()) return "empty diagnostic text";
    }
    if (result.ok() == result.diagnostics.has_errors()) return "policy set although errors were reported";
    return {};
}

bool well_formed(const Cidr& c) {
    int bits = c.network.bits();
    if (c.prefix_len < 0 || c.prefix_len > bits) return false;
    if (c.network.family == IpFamily::v4 && c.network.value > Uint128{0xffffffffu}) return false;
    return (c.network.value & c.wildcard().value) == 0;
}

// The packet at the low corner of the entry's match: the entry must match it.
Packet corner_packet(const AclEntry& e) {
    IpFamily family = e.source.is_any() ? e.destination.network.family : e.source.network.family;
    Packet p;
    p.protocol = e.protocol;
    p.source = IpAddress{family, e.source.network.value};
    p.destination = IpAddress{family, e.destination.network.value};
    p.source_port = e.source_ports.first;
    p.destination_port = e.destination_ports.first;
    p.established = e.established;
    return p;
}

// What the semantic diff assumes of an entry: prefixes without host bits, one address family,
// ordered port ranges, and a match that is not empty.
std::string check_entry(const AclEntry& e) {
    if (!well_formed(e.source) || !well_formed(e.destination)) return "an address is not a prefix";
    if (!e.source.is_any() && !e.destination.is_any() && e.source.network.family != e.destination.network.family)
        return "source and destination of different address families";
    if (e.source_ports.first > e.source_ports.last || e.destination_ports.first > e.destination_ports.last)
        return "a port range runs backwards";
    AclEntry probe = e;
    probe.action = AclAction::permit;
    if (!acl_permits({probe}, corner_packet(e))) return "the entry matches nothing";
    return {};
}

// compare_acls is cubic in the list's length (entry pairs x the earlier entries as blockers), so
// a list is compared with itself only up to here: on whole parsed ACLs of a few hundred entries
// the self-comparison was 75-95% of each execution (about 30 executions/s on 16 KB configs).
constexpr std::size_t kSelfCompareEntries = 48;

// Properties every parsed ACL must have: each entry is well formed, and (its first
// kSelfCompareEntries entries) the list is equivalent to itself.
std::string check_acl(const std::vector<AclEntry>& entries, std::string_view what) {
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (std::string bad = check_entry(entries[i]); !bad.empty())
            return fmt::format("{} entry {}: {}", what, i + 1, bad);
    std::vector<AclEntry> head(entries.begin(), entries.begin() + std::min(entries.size(), kSelfCompareEntries));
    AclComparison self = compare_acls(head, head);
    if (self.complete && !self.differences.empty()) return fmt::format("{} differs from itself", what);
    return {};
}

std::string check_parsed(const ParsedConfig& parsed) {
    for (const SviIntent& svi : parsed.as_built.svis)
        if (std::string bad = check_acl(svi.acl.entries, fmt::format("ACL of VLAN {}", svi.vlan)); !bad.empty())
            return bad;
    if (parsed.router && parsed.router->has_bridge) return check_acl(parsed.router->bridge.entries, "bridge filter");
    return {};
}

RunOne config_parser_target(PlatformId platform) {
    return [platform](std::string_view input) { return check_parsed(parser_for(platform)(input)); };
}

std::string run_redact(std::string_view input) {
    if (input.empty()) return {};
    auto platform = platforms()[static_cast<unsigned char>(input[0]) % platforms().size()].id;
    HashKey key{};
    key[0] = 1;
    RedactedConfig out = redact_config(platform, input.substr(1), key);
    if (out.secrets == 0 && out.text != input.substr(1)) return "text changed without a secret redacted";
    return {};
}

// Reads fuzz bytes as numbers; past the end it yields zeros, so every input decodes.
class ByteReader {
public:
    explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
    std::uint8_t byte() { return pos_ < bytes_.size() ? static_cast<std::uint8_t>(bytes_[pos_++]) : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() << 8 | byte()); }
    bool done() const { return pos_ >= bytes_.size(); }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

Cidr read_cidr(ByteReader& in, IpFamily family) {
    int bits = family == IpFamily::v4 ? 32 : 128;
    int prefix = in.byte() % (bits + 1);
    Uint128 value = 0;
    for (int i = 0; i < bits / 8; ++i) value = value << 8 | in.byte();
    Uint128 all = family == IpFamily::v4 ? Uint128{0xffffffffu} : ~Uint128{0};
    Uint128 mask = prefix == 0 ? 0 : (all << (bits - prefix)) & all;
    return Cidr{IpAddress{family, value & mask}, prefix};
}

PortRange read_ports(ByteReader& in) {
    std::uint16_t a = in.u16(), b = in.u16();
    return PortRange{std::min(a, b), std::max(a, b)};
}

// One entry: a flags byte (action, protocol, established, log, IPv6, any ports), then the
// source and destination prefixes, then the port ranges for tcp/udp.
AclEntry read_entry(ByteReader& in) {
    std::uint8_t flags = in.byte();
    AclEntry e;
    e.action = flags & 1 ? AclAction::deny : AclAction::permit;
    e.protocol = static_cast<Protocol>(flags >> 1 & 3);
    e.established = (flags & 8) != 0 && (e.protocol == Protocol::tcp || e.protocol == Protocol::icmp);
    e.log = (flags & 16) != 0;
    IpFamily family = flags & 32 ? IpFamily::v6 : IpFamily::v4;
    e.source = read_cidr(in, family);
    e.destination = read_cidr(in, family);
    if ((e.protocol == Protocol::tcp || e.protocol == Protocol::udp) && (flags & 64)) {
        e.source_ports = read_ports(in);
        e.destination_ports = read_ports(in);
    }
    return e;
}

std::vector<AclEntry> read_acl(ByteReader& in) {
    std::size_t count = in.byte() % 48;
    std::vector<AclEntry> entries;
    for (std::size_t i = 0; i < count && !in.done(); ++i) entries.push_back(read_entry(in));
    return entries;
}

// Every difference must be real: its example packet is decided differently by the two lists,
// in the direction the kind says, by the entries it names.
std::string check_differences(const std::vector<AclEntry>& intent, const std::vector<AclEntry>& live,
                              const AclComparison& cmp) {
    for (const AclDifference& d : cmp.differences) {
        bool live_permits = acl_permits(live, d.example);
        bool intent_permits = acl_permits(intent, d.example);
        bool exposure = d.kind == AclDifferenceKind::exposure;
        if (live_permits != exposure || intent_permits == exposure)
            return fmt::format("{} example {} is not one: live {}, intent {}",
                               exposure ? "exposure" : "outage", d.example.str(),
                               live_permits ? "permits" : "denies", intent_permits ? "permits" : "denies");
        if (d.live_entry != kImplicitDeny && d.live_entry >= live.size()) return "live entry index out of range";
        if (d.intent_entry != kImplicitDeny && d.intent_entry >= intent.size())
            return "intent entry index out of range";
    }
    return {};
}

std::string run_acl_diff(std::string_view input) {
    ByteReader in(input);
    std::vector<AclEntry> intent = read_acl(in);
    std::vector<AclEntry> live = read_acl(in);
    AclComparison cmp = compare_acls(intent, live);
    if (std::string bad = check_differences(intent, live, cmp); !bad.empty()) return bad;
    AclComparison self = compare_acls(live, live);
    if (self.complete && !self.differences.empty()) return "a list differs from itself";
    if (cmp.equivalent()) {
        AclComparison back = compare_acls(live, intent);
        if (back.complete && !back.differences.empty()) return "equivalence is not symmetric";
    }
    return {};
}

}  // namespace

std::string config_parser_target_name(PlatformId platform) {
    std::string name = fmt::format("parse_{}", microseg::platform(platform).name);
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

const std::vector<Target>& targets() {
    static const std::vector<Target> table = [] {
        std::vector<Target> t = {
            {"policy", run_policy},
            {"redact", run_redact},
            {"acl_diff", run_acl_diff},
            {"mac_tables", run_mac_tables},
            {"inventory", run_inventory},
            {"flows", run_flows},
        };
        for (const auto& p : platforms()) t.push_back({config_parser_target_name(p.id), config_parser_target(p.id)});
        return t;
    }();
    return table;
}

const Target* find_target(std::string_view name) {
    for (const Target& t : targets())
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace microseg::fuzz
