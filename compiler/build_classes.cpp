// The classes section: one DeviceClass per entry, with its VLAN, subnets and flags.
#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "compiler/scalars.hpp"

namespace microseg::compiler {
namespace {

const std::vector<std::string_view> kClassKeys = {"vlan",     "subnets", "devices",    "criticality",
                                                  "isolate",  "phi",     "entry",      "external",
                                                  "shared_vlan", "gateway_address", "management", "dhcp_server",
                                                  "via"};
const std::vector<std::string_view> kCriticalities = {"life", "high", "medium", "low"};

constexpr std::int64_t kMaxDevices = 100'000'000;

void read_subnets(const Reader& r, const Node& n, DeviceClass& c, ClassSites& sites) {
    std::string what = fmt::format("the subnets of class '{}'", c.name);
    for (const Node* item : r.one_or_list(n, what)) {
        auto text = r.text(*item, what);
        if (!text) continue;
        std::string why;
        auto cidr = Cidr::parse(*text, &why);
        if (!cidr) {
            r.error(*item, kinds::bad_cidr, fmt::format("bad subnet '{}': {}", *text, why));
            continue;
        }
        c.subnets.push_back(*cidr);
        sites.subnets.push_back(r.at(*item));
    }
    c.addresses = AddressSet(c.subnets);
}

// Switch names only; whether they exist and filter statefully is checked once switches are built.
void read_via(const Reader& r, const Node& n, DeviceClass& c, ClassSites& sites) {
    std::string what = fmt::format("the via of class '{}'", c.name);
    for (const Node* item : r.one_or_list(n, what)) {
        auto name = r.name(*item, what);
        if (!name) continue;
        c.via.push_back(*name);
        sites.via.push_back(r.at(*item));
    }
}

void read_flag(const Reader& r, const Node& n, std::string_view key, const std::string& cls, bool& flag) {
    if (auto b = r.boolean(n, fmt::format("{} of class '{}'", key, cls))) flag = *b;
}

void read_criticality(const Reader& r, const Node& n, DeviceClass& c) {
    auto text = r.text(n, fmt::format("criticality of class '{}'", c.name));
    if (!text) return;
    if (auto v = parse_criticality(*text)) {
        c.criticality = *v;
        return;
    }
    r.error(n, kinds::bad_criticality, fmt::format("criticality must be life, high, medium or low, not '{}'{}",
                                                   *text, did_you_mean(*text, kCriticalities)));
}

void read_gateway_address(const Reader& r, const Node& n, DeviceClass& c) {
    auto text = r.text(n, fmt::format("gateway_address of class '{}'", c.name));
    if (!text) return;
    auto address = IpAddress::parse(*text);
    if (!address) {
        r.error(n, kinds::bad_address, fmt::format("gateway_address '{}' is not an IP address", *text));
        return;
    }
    if (!c.subnets.empty() && !c.addresses.contains(*address)) {
        r.error(n, kinds::bad_gateway_address,
                fmt::format("gateway_address {} is not inside the subnets of class '{}'", *text, c.name));
        return;
    }
    c.gateway_address = address;
}

void read_field(const Reader& r, std::string_view key, const Node& v, DeviceClass& c, ClassSites& sites) {
    auto what = [&] { return fmt::format("{} of class '{}'", key, c.name); };
    if (key == "vlan") {
        sites.vlan = r.at(v);
        if (auto n = r.integer(v, what(), 1, 4094)) c.vlan = static_cast<int>(*n);
    } else if (key == "subnets") {
        read_subnets(r, v, c, sites);
    } else if (key == "devices") {
        if (auto n = r.integer(v, what(), 0, kMaxDevices)) c.devices = *n;
    } else if (key == "criticality") {
        read_criticality(r, v, c);
    } else if (key == "isolate") {
        read_flag(r, v, key, c.name, c.isolate);
    } else if (key == "phi") {
        read_flag(r, v, key, c.name, c.phi);
    } else if (key == "entry") {
        read_flag(r, v, key, c.name, c.entry);
    } else if (key == "external") {
        read_flag(r, v, key, c.name, c.external);
    } else if (key == "shared_vlan") {
        read_flag(r, v, key, c.name, c.shared_vlan);
    } else if (key == "management") {
        sites.management = r.at(v);
        read_flag(r, v, key, c.name, c.management);
    } else if (key == "dhcp_server") {
        read_flag(r, v, key, c.name, c.dhcp_server);
    } else if (key == "via") {
        read_via(r, v, c, sites);
    }
}

// Rules between a class's own keys: they need every key read first.
void check_class(const Reader& r, const Node& key, const Node& body, const DeviceClass& c,
                 const ClassSites& sites) {
    const Node* vlan = r.tree().find(body, "vlan");
    if (c.external && vlan)
        r.diags().error(sites.vlan, kinds::external_vlan,
                        fmt::format("external class '{}' cannot have a vlan: it is outside the switched network",
                                    c.name));
    if (!c.external && !vlan)
        r.error(key, kinds::missing_vlan,
                fmt::format("internal class '{}' needs a vlan (or 'external: true')", c.name));
}

std::optional<DeviceClass> read_class(const Reader& r, const SectionEntry& e, ClassSites& sites) {
    auto name = r.name(*e.key, "class name");
    if (!name) return std::nullopt;
    DeviceClass c;
    c.name = *name;
    c.location = r.at(*e.key);
    if (!r.is_map(*e.value, fmt::format("class '{}'", c.name))) return c;
    const Node& body = *e.value;
    r.check_keys(body, kClassKeys, fmt::format("class '{}'", c.name));
    // Flags first: gateway_address needs the subnets, so it is read last.
    for (std::size_t i = 0; i < r.tree().map_size(body); ++i) {
        const auto& key = r.tree().key(body, i).text;
        if (key != "gateway_address") read_field(r, key, r.tree().value(body, i), c, sites);
    }
    if (const Node* g = r.tree().find(body, "gateway_address")) read_gateway_address(r, *g, c);
    // The operators' class is a target worth protecting unless the policy says otherwise.
    if (c.management && !r.tree().find(body, "criticality")) c.criticality = Criticality::high;
    check_class(r, *e.key, body, c, sites);
    return c;
}

}  // namespace

void build_classes(const Sections& sections, Build& build, Diagnostics& diags) {
    for (const auto& e : sections.classes) {
        Reader r(*e.tree, diags);
        ClassSites sites;
        auto c = read_class(r, e, sites);
        if (!c) continue;
        auto [it, fresh] = build.class_index.emplace(c->name, build.policy.classes.size());
        if (!fresh) {
            const auto& first = build.policy.classes[it->second].location;
            if (first.file != c->location.file)
                r.error(*e.key, kinds::duplicate_definition,
                        fmt::format("class '{}' is defined twice: here and at {}", c->name, where(first)));
            continue;
        }
        build.policy.classes.push_back(std::move(*c));
        build.class_sites.push_back(std::move(sites));
    }
    for (const auto& c : build.policy.classes) build.class_names.push_back(c.name);
    check_management_classes(build, diags);
}

}  // namespace microseg::compiler
