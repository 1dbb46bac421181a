// microseg export mud: one class of a policy as an RFC 8520 MUD file. Each flow from the class
// becomes from-device ACEs towards the peer's subnets, each flow to it to-device ACEs from
// them; one ACE per flow, service port and subnet, because an ACE matches one network. The
// policy's flows are stateful conversations, so only the initiating direction is written (TCP
// entries say so with ietf-mud:direction-initiated).
#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "importers/mud.hpp"

namespace microseg::mud {
namespace {

using ordered = nlohmann::ordered_json;

struct AclSet {
    std::string prefix;
    ordered v4 = ordered::array(), v6 = ordered::array();
};

ordered port_match(const PortRange& r) {
    if (r.is_single()) return ordered{{"operator", "eq"}, {"port", r.first}};
    return ordered{{"lower-port", r.first}, {"upper-port", r.last}};
}

// The matches of one ACE: the peer's network, the protocol and the listening port.
ordered ace_matches(const ServicePort& port, const Cidr& peer, bool from_device) {
    bool v6 = peer.network.family == IpFamily::v6;
    std::string net = v6 ? "ipv6" : "ipv4";
    ordered l3 = ordered::object();
    if (port.protocol == Protocol::tcp) l3["protocol"] = 6;
    else if (port.protocol == Protocol::udp) l3["protocol"] = 17;
    else if (port.protocol == Protocol::icmp) l3["protocol"] = v6 ? 58 : 1;
    l3[(from_device ? "destination-" : "source-") + net + "-network"] = peer.str();
    ordered matches{{net, l3}};
    if (port.has_ports()) {
        ordered l4 = ordered::object();
        if (port.protocol == Protocol::tcp) l4["ietf-mud:direction-initiated"] = from_device ? "from-device" : "to-device";
        if (!port.ports.is_all()) l4["destination-port"] = port_match(port.ports);
        matches[port.protocol == Protocol::tcp ? "tcp" : "udp"] = l4;
    }
    return matches;
}

// ACEs of every flow between `cls` and another class, in one direction.
void add_aces(const Policy& policy, const DeviceClass& cls, bool from_device, AclSet& acls) {
    std::size_t index = policy.index_of(cls);
    const auto& flow_indexes = from_device ? policy.flows_from(index) : policy.flows_to(index);
    for (std::size_t f : flow_indexes) {
        const auto& flow = policy.flows()[f];
        const DeviceClass* peer = policy.find_class(from_device ? flow.to : flow.from);
        if (!peer) continue;
        for (const auto& service_name : flow.services) {
            const Service* service = policy.find_service(service_name);
            if (!service) continue;
            for (const auto& port : service->ports) {
                for (const auto& subnet : peer->subnets) {
                    auto& list = subnet.network.family == IpFamily::v6 ? acls.v6 : acls.v4;
                    std::string name = fmt::format("{}{}-{}", from_device ? "from-" : "to-", peer->name,
                                                   list.size());
                    list.push_back(ordered{{"name", name},
                                           {"matches", ace_matches(port, subnet, from_device)},
                                           {"actions", {{"forwarding", "accept"}}}});
                }
            }
        }
    }
}

// The acl list entries and the names the policy containers refer to.
void emit_acls(const AclSet& acls, const std::string& suffix, ordered& acl_list, ordered& names) {
    for (const auto& [family, aces] : {std::pair{"v4", &acls.v4}, std::pair{"v6", &acls.v6}}) {
        if (aces->empty() && std::string(family) == "v6") continue;
        std::string name = fmt::format("{}-{}{}", acls.prefix, family, suffix);
        acl_list.push_back(ordered{{"name", name},
                                   {"type", std::string("ip") + family + "-acl-type"},
                                   {"aces", {{"ace", *aces}}}});
        names.push_back(ordered{{"name", name}});
    }
}

std::string now_rfc3339() {
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}+00:00", now);
}

}  // namespace

Result<std::string> export_mud(const Policy& policy, const std::string& class_name, const MudExportOptions& options) {
    const DeviceClass* cls = policy.find_class(class_name);
    if (!cls) return make_error(fmt::format("no class '{}' in the policy", class_name), {policy.source_file(), 0, 0}, "unknown-class");
    AclSet from{"mud-" + class_name}, to{"mud-" + class_name};
    add_aces(policy, *cls, true, from);
    add_aces(policy, *cls, false, to);
    ordered acl_list = ordered::array(), from_names = ordered::array(), to_names = ordered::array();
    emit_acls(from, "fr", acl_list, from_names);
    emit_acls(to, "to", acl_list, to_names);
    std::string url = options.mud_url.empty()
                          ? fmt::format("https://mud.example.com/{}/{}.json", policy.name(), class_name)
                          : options.mud_url;
    ordered mud{{"mud-version", 1},
                {"mud-url", url},
                {"last-update", options.last_update.empty() ? now_rfc3339() : options.last_update},
                {"cache-validity", 48},
                {"is-supported", true},
                {"systeminfo", fmt::format("class {} of microseg policy {}", class_name, policy.name())},
                {"from-device-policy", {{"access-lists", {{"access-list", from_names}}}}},
                {"to-device-policy", {{"access-lists", {{"access-list", to_names}}}}}};
    ordered doc{{"ietf-mud:mud", mud}, {"ietf-access-control-list:acls", {{"acl", acl_list}}}};
    return doc.dump(2) + "\n";
}

}  // namespace microseg::mud
