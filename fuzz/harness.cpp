#include "fuzz/harness.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include <fmt/format.h>

#include "audit/parsed_config.hpp"
#include "audit/redact.hpp"
#include "compiler/compiler.hpp"
#include "model/acl_diff.hpp"

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

// Properties every parsed ACL must have: it is equivalent to itself.
std::string check_parsed(const ParsedConfig& parsed) {
    for (const SviIntent& svi : parsed.as_built.svis) {
        AclComparison self = compare_acls(svi.acl.entries, svi.acl.entries);
        if (self.complete && !self.differences.empty())
            return fmt::format("ACL of VLAN {} differs from itself", svi.vlan);
    }
    return {};
}

template <PlatformId platform>
std::string run_config_parser(std::string_view input) {
    ConfigParser parse = parser_for(platform);
    if (parse == nullptr) return {};
    return check_parsed(parse(input));
}

std::string run_redact(std::string_view input) {
    if (input.empty()) return {};
    auto platform = static_cast<PlatformId>(static_cast<unsigned char>(input[0]) % 4);
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

const std::vector<Target>& targets() {
    static const std::vector<Target> table = {
        {"policy", run_policy},
        {"parse_cisco_ios", run_config_parser<PlatformId::cisco_ios>},
        {"parse_arista_eos", run_config_parser<PlatformId::arista_eos>},
        {"parse_junos", run_config_parser<PlatformId::junos>},
        {"parse_nftables", run_config_parser<PlatformId::nftables>},
        {"redact", run_redact},
        {"acl_diff", run_acl_diff},
    };
    return table;
}

const Target* find_target(std::string_view name) {
    for (const Target& t : targets())
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace microseg::fuzz
