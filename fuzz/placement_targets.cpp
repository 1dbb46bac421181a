#include "fuzz/placement_targets.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "audit/parse/mac/inventory.hpp"
#include "audit/parse/mac/mac_table.hpp"
#include "audit/parse/mac/mac_table_text.hpp"

namespace microseg::fuzz {
namespace {

// The input's lines exactly as the readers number them.
std::vector<std::string_view> lines_of(std::string_view input) {
    std::vector<std::string_view> lines;
    mac_text::for_each_line(input, [&](int, std::string_view line) { lines.push_back(line); });
    return lines;
}

std::string dotted(const MacAddress& m) {
    return fmt::format("{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}", m.bytes[0], m.bytes[1], m.bytes[2], m.bytes[3],
                       m.bytes[4], m.bytes[5]);
}

// Every notation parse_mac_address accepts reads back as the same address.
std::string check_notations(const MacAddress& mac) {
    std::string colons = mac.str(), dashes = colons, bare = colons;
    std::replace(dashes.begin(), dashes.end(), ':', '-');
    std::erase(bare, ':');
    for (const std::string& text : {colons, dashes, dotted(mac), bare})
        if (parse_mac_address(text) != mac) return fmt::format("MAC notation '{}' does not read back", text);
    return {};
}

// Each format's parser and how an entry is printed in that format, in the layout of the
// header comments of audit/parse/mac/parse_mac_table*.cpp.
struct MacFormat {
    std::string_view name;
    MacTableParser parse;
    std::string (*print)(const MacEntry&);
};

std::string print_ios(const MacEntry& e) {
    return fmt::format("{:>4}    {}    {}    {}", e.vlan.value_or(0), dotted(e.mac), e.is_static ? "STATIC" : "DYNAMIC",
                       e.port);
}

std::string print_junos(const MacEntry& e) {
    return fmt::format("   {}   {}   {}   -   {}   0   0", e.vlan_name, e.mac.str(), e.is_static ? "S" : "D", e.port);
}

std::string print_fdb(const MacEntry& e) {
    return fmt::format("{} dev {}{} master br0{}", e.mac.str(), e.port, e.vlan ? fmt::format(" vlan {}", *e.vlan) : "",
                       e.is_static ? " static" : "");
}

const MacFormat kMacFormats[] = {
    {"ios", parse_ios_mac_table, print_ios},
    {"junos", parse_junos_mac_table, print_junos},
    {"bridge fdb", parse_bridge_fdb, print_fdb},
};

bool same_entry(const MacEntry& a, const MacEntry& b) {
    return a.mac == b.mac && a.vlan == b.vlan && a.vlan_name == b.vlan_name && a.port == b.port &&
           a.is_static == b.is_static;
}

// The entry is a device on a port, and its MAC and port are words of the line it names.
std::string check_entry(const MacFormat& format, const MacEntry& e, const std::vector<std::string_view>& lines) {
    if (e.mac.is_multicast() || e.mac.is_zero()) return fmt::format("entry {} is not a device address", e.mac);
    if (e.vlan && (*e.vlan < 1 || *e.vlan > 4094)) return fmt::format("entry {} has VLAN {}", e.mac, *e.vlan);
    if (format.parse == parse_ios_mac_table && !e.vlan) return fmt::format("IOS entry {} has no VLAN", e.mac);
    if (format.parse == parse_junos_mac_table && e.vlan_name.empty()) return fmt::format("Junos entry {} has no VLAN name", e.mac);
    // The switch parsers skip the switch's own ports by name; bridge fdb by `self` / no `master`
    // (a Linux bridge port may be called anything, "vlan5" included).
    bool by_name = format.parse != parse_bridge_fdb;
    if (e.port.empty() || (by_name && is_internal_port(e.port)) || e.port.find_first_of(" \t\r\v\f") != std::string::npos)
        return fmt::format("entry {} has port '{}'", e.mac, e.port);
    if (e.line < 1 || static_cast<std::size_t>(e.line) > lines.size())
        return fmt::format("entry {} at line {} of {}", e.mac, e.line, lines.size());
    auto words = mac_text::words(lines[static_cast<std::size_t>(e.line - 1)]);
    bool has_mac = std::any_of(words.begin(), words.end(), [&](auto w) { return parse_mac_address(w) == e.mac; });
    bool has_port = std::any_of(words.begin(), words.end(), [&](auto w) { return w.starts_with(e.port); });
    if (!has_mac || !has_port) return fmt::format("entry {} port {} is not on its line {}", e.mac, e.port, e.line);
    return check_notations(e.mac);
}

std::string check_mac_table(const MacFormat& format, std::string_view input) {
    MacTable table = format.parse(input);
    auto lines = lines_of(input);
    if (table.entries.size() + table.warnings.size() + table.skipped_lines > lines.size())
        return "more entries, warnings and skipped lines than lines";
    int previous = 0;
    for (const MacEntry& e : table.entries) {
        if (e.line <= previous) return fmt::format("entry at line {} after line {}", e.line, previous);
        previous = e.line;
        if (std::string bad = check_entry(format, e, lines); !bad.empty()) return bad;
    }
    for (const ParseWarning& w : table.warnings) {
        if (w.line < 1 || static_cast<std::size_t>(w.line) > lines.size()) return fmt::format("warning at line {}", w.line);
        if (w.text.size() > 203 || w.reason.empty()) return fmt::format("warning at line {} is not clipped", w.line);
    }
    // Printed back in the same format, the entries read the same, with nothing to warn about.
    std::string printed;
    for (const MacEntry& e : table.entries) printed += format.print(e) + "\n";
    MacTable again = format.parse(printed);
    if (!again.warnings.empty()) return fmt::format("printed entry '{}' is not understood", again.warnings[0].text);
    if (again.entries.size() != table.entries.size())
        return fmt::format("{} entries printed, {} read back", table.entries.size(), again.entries.size());
    for (std::size_t i = 0; i < again.entries.size(); ++i)
        if (!same_entry(table.entries[i], again.entries[i]))
            return fmt::format("entry of line {} reads back differently", table.entries[i].line);
    return {};
}

// A fixed policy for the inventory: the class names of examples/hospital (so that its inventory,
// the seed, resolves), plus an IPv6 class and overlapping external ranges for the subnet check.
Policy inventory_policy() {
    struct Row {
        const char* name;
        int vlan;
        std::vector<const char*> subnets;
        bool external;
    };
    const Row rows[] = {
        {"infra-server", 100, {"10.100.0.0/27"}, false},    {"infusion-pump", 110, {"10.110.0.0/21"}, false},
        {"pump-server", 111, {"10.111.0.0/28"}, false},     {"ehr", 132, {"10.132.0.0/26", "10.132.1.0/26"}, false},
        {"pacs", 130, {"10.130.0.0/27"}, false},            {"ris", 131, {"10.131.0.0/28"}, false},
        {"patient-monitor", 140, {"10.140.0.0/22"}, false}, {"central-station", 141, {"10.141.0.0/26"}, false},
        {"nurse-call", 150, {"10.150.0.0/24"}, false},      {"lab-analyser", 160, {"10.160.0.0/26"}, false},
        {"clinical-workstation", 200, {"10.200.0.0/21"}, false},
        {"printer", 210, {"10.210.0.0/24"}, false},         {"ip-phone", 210, {"10.212.0.0/22"}, false},
        {"v6-sensor", 300, {"2001:db8:300::/48"}, false},   {"vendor-vpn", 0, {"10.110.4.0/24"}, true},
        {"internet", 0, {"0.0.0.0/0", "::/0"}, true},
    };
    PolicyParts policy;
    policy.name = "fuzz";
    for (const Row& row : rows) {
        DeviceClass c;
        c.name = row.name;
        if (!row.external) c.vlan = row.vlan;
        c.external = row.external;
        for (const char* s : row.subnets) c.subnets.push_back(*Cidr::parse(s));
        policy.classes.push_back(std::move(c));
    }
    return Policy(std::move(policy));
}

std::string quoted(std::string_view field) {
    std::string out = "\"";
    for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

constexpr const char* kInventoryFile = "inventory.csv";

std::string check_diagnostics(const Diagnostics& diags, std::size_t line_count) {
    if (diags.error_count() > kMaxInventoryErrors) return fmt::format("{} errors reported", diags.error_count());
    for (const Diagnostic& d : diags.items())
        if (d.location.file != kInventoryFile || d.location.line < 1 || static_cast<std::size_t>(d.location.line) > line_count)
            return fmt::format("diagnostic located at {}:{}", d.location.file, d.location.line);
    return {};
}

// A device is a policy class's, its MAC is listed once, and that MAC is a field of its line.
std::string check_device(const Inventory& inv, std::size_t index, const Policy& policy,
                         const std::vector<std::string_view>& lines) {
    const InventoryDevice& d = inv.devices[index];
    if (policy.find_class(d.device_class) == nullptr) return fmt::format("device {} has class '{}'", d.mac, d.device_class);
    if (inv.find(d.mac) != &d) return fmt::format("device {} is not found by its MAC", d.mac);
    if (d.line < 1 || static_cast<std::size_t>(d.line) > lines.size()) return fmt::format("device {} at line {}", d.mac, d.line);
    std::string_view line = lines[static_cast<std::size_t>(d.line - 1)];
    if (d.line == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    auto split = split_csv_record(line);
    auto* fields = std::get_if<std::vector<std::string>>(&split);
    if (fields == nullptr || std::none_of(fields->begin(), fields->end(), [&](const std::string& f) {
            return parse_mac_address(f) == d.mac;
        }))
        return fmt::format("device {} is not on its line {}", d.mac, d.line);
    return {};
}

}  // namespace

std::string run_mac_tables(std::string_view input) {
    for (const MacFormat& format : kMacFormats)
        if (std::string bad = check_mac_table(format, input); !bad.empty()) return fmt::format("{}: {}", format.name, bad);
    return {};
}

std::string run_inventory(std::string_view input) {
    static const Policy policy = inventory_policy();
    Diagnostics diags;
    Inventory inv = parse_inventory(input, kInventoryFile, policy, diags);
    auto lines = lines_of(input);
    if (std::string bad = check_diagnostics(diags, lines.size()); !bad.empty()) return bad;
    if (inv.by_mac.size() != inv.devices.size()) return "a MAC maps to more than one device";
    for (std::size_t i = 0; i < inv.devices.size(); ++i)
        if (std::string bad = check_device(inv, i, policy, lines); !bad.empty()) return bad;
    // Written back as CSV (quoted), the devices read the same, without an error.
    std::string csv = "mac,ip,class,name\n";
    for (const InventoryDevice& d : inv.devices)
        csv += fmt::format("{},{},{},{}\n", d.mac, d.ip ? d.ip->str() : "", quoted(d.device_class), quoted(d.name));
    Diagnostics again_diags;
    Inventory again = parse_inventory(csv, kInventoryFile, policy, again_diags);
    if (again_diags.has_errors()) return fmt::format("written-back inventory has errors: {}", again_diags.items()[0].message);
    if (again.devices.size() != inv.devices.size())
        return fmt::format("{} devices written, {} read back", inv.devices.size(), again.devices.size());
    for (std::size_t i = 0; i < inv.devices.size(); ++i) {
        const InventoryDevice &a = inv.devices[i], &b = again.devices[i];
        if (a.mac != b.mac || a.ip != b.ip || a.device_class != b.device_class || a.name != b.name)
            return fmt::format("device {} of line {} reads back differently", a.mac, a.line);
    }
    return {};
}

}  // namespace microseg::fuzz
