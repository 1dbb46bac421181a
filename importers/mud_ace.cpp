// One ACE (RFC 8519 ace with the MUD augmentations of RFC 8520) -> the conversation it allows:
// who opens it, on which protocol and port, with which peer. A reply entry (only a source port)
// is the other side's conversation seen backwards, so it is read as that conversation: the
// device's from- and to-device lists then agree on one rule.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "importers/mud_ace.hpp"

namespace microseg::mud::detail {
namespace {

using nlohmann::json;

struct Leave {
    std::string path, message;
};

// What the l3/l4 containers of one ACE said.
struct Matches {
    std::optional<int> protocol;  // IANA number
    std::optional<PortRange> source_port, destination_port;
    std::string direction_initiated;
    std::vector<PeerRef> peers;
};

std::optional<Leave> check_keys(const json& obj, const std::string& path, const std::set<std::string>& allowed) {
    for (const auto& [key, value] : obj.items()) {
        if (!allowed.contains(key))
            return Leave{path + "/" + key, fmt::format("match '{}' is not supported: the ACE is left out", key)};
    }
    return std::nullopt;
}

Result<std::optional<PortRange>> read_port(const json& obj, const std::string& path, std::optional<Leave>& leave) {
    if (!obj.is_object()) return make_error(fmt::format("{}: expected an object", path), {}, kMudStructure);
    auto number = [&](const char* key) -> std::optional<std::uint16_t> {
        auto it = obj.find(key);
        if (it == obj.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() > 65535) return std::nullopt;
        return static_cast<std::uint16_t>(it->get<std::uint64_t>());
    };
    if (obj.contains("lower-port") || obj.contains("upper-port")) {
        auto lo = number("lower-port"), hi = number("upper-port");
        if (!lo || !hi || *lo > *hi)
            return make_error(fmt::format("{}: lower-port and upper-port must be ports 0-65535, lower first", path), {},
                              kMudStructure);
        return std::optional<PortRange>(PortRange{*lo, *hi});
    }
    auto op = obj.find("operator");
    auto port = number("port");
    if (!port) return make_error(fmt::format("{}/port: expected a port 0-65535", path), {}, kMudStructure);
    std::string name = op == obj.end() ? "eq" : (op->is_string() ? op->get<std::string>() : "");
    if (name == "eq") return std::optional<PortRange>(PortRange{*port, *port});
    if (name == "lte") return std::optional<PortRange>(PortRange{0, *port});
    if (name == "gte") return std::optional<PortRange>(PortRange{*port, 65535});
    leave = Leave{path + "/operator", fmt::format("port operator '{}' is not supported: the ACE is left out", name)};
    return std::optional<PortRange>();
}

// ipv4 / ipv6: protocol and the peer's address or DNS name.
std::optional<Leave> read_l3(const json& obj, const std::string& path, const AceContext& c, bool v6, Matches& m) {
    std::string net = v6 ? "ipv6" : "ipv4";
    std::string dst = "destination-" + net + "-network", src = "source-" + net + "-network";
    if (auto bad = check_keys(obj, path, {"protocol", dst, src, "ietf-acldns:dst-dnsname", "ietf-acldns:src-dnsname"}))
        return bad;
    if (auto p = obj.find("protocol"); p != obj.end()) {
        if (!p->is_number_unsigned()) return Leave{path + "/protocol", "protocol is not a number: the ACE is left out"};
        m.protocol = p->get<int>();
    }
    // The peer is where packets go in the from-device list and where they come from in the other.
    std::string peer_net = c.from_device_policy ? dst : src, own_net = c.from_device_policy ? src : dst;
    std::string peer_dns = c.from_device_policy ? "ietf-acldns:dst-dnsname" : "ietf-acldns:src-dnsname";
    std::string own_dns = c.from_device_policy ? "ietf-acldns:src-dnsname" : "ietf-acldns:dst-dnsname";
    for (const auto& own : {own_net, own_dns}) {
        if (obj.contains(own))
            return Leave{path + "/" + own, "a match on the device's own address is not supported: the ACE is left out"};
    }
    if (auto d = obj.find(peer_dns); d != obj.end() && d->is_string())
        m.peers.push_back({"dnsname", d->get<std::string>(), path + "/" + peer_dns});
    if (auto n = obj.find(peer_net); n != obj.end() && n->is_string())
        m.peers.push_back({"network", n->get<std::string>(), path + "/" + peer_net});
    return std::nullopt;
}

// The ietf-mud:mud match: the abstractions of RFC 8520 section 8.
std::optional<Leave> read_mud_match(const json& obj, const std::string& path, const AceContext& c, Matches& m) {
    if (auto bad = check_keys(obj, path, {"manufacturer", "same-manufacturer", "model", "local-networks", "controller",
                                          "my-controller"}))
        return bad;
    for (const auto& [key, value] : obj.items()) {
        std::string at = path + "/" + key;
        if (key == "manufacturer" || key == "model" || key == "controller") {
            if (!value.is_string()) return Leave{at, fmt::format("'{}' is not a string: the ACE is left out", key)};
            m.peers.push_back({key, value.get<std::string>(), at});
        } else if (key == "same-manufacturer") {
            m.peers.push_back({key, c.authority, at});
        } else {  // my-controller, local-networks: the device's own, looked up by its MUD URL
            m.peers.push_back({key, c.mud_url, at});
        }
    }
    return std::nullopt;
}

std::optional<Leave> read_l4(const json& obj, const std::string& path, bool tcp, Matches& m, Result<bool>& error) {
    std::set<std::string> allowed = {"source-port", "destination-port"};
    if (tcp) allowed.insert("ietf-mud:direction-initiated");
    if (auto bad = check_keys(obj, path, allowed)) return bad;
    std::optional<Leave> leave;
    for (const char* key : {"source-port", "destination-port"}) {
        auto it = obj.find(key);
        if (it == obj.end()) continue;
        auto port = read_port(*it, path + "/" + key, leave);
        if (!port) {
            error = port.error();
            return std::nullopt;
        }
        if (leave) return leave;
        (std::string(key) == "source-port" ? m.source_port : m.destination_port) = **port;
    }
    if (auto d = obj.find("ietf-mud:direction-initiated"); d != obj.end()) {
        std::string dir = d->is_string() ? d->get<std::string>() : "";
        if (dir != "from-device" && dir != "to-device")
            return Leave{path + "/ietf-mud:direction-initiated", "direction-initiated is neither from-device nor to-device"};
        m.direction_initiated = dir;
    }
    return std::nullopt;
}

}  // namespace

void warn(const AceContext& context, const std::string& path, const std::string& kind, const std::string& message) {
    context.diagnostics->warning({context.file, 0, 0}, kind, fmt::format("{}: {}", path, message));
}

std::string url_authority(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of("/:?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

namespace {

// The l3/l4/mud containers of `matches` into `m`; a Leave when one cannot be held exactly.
Result<std::optional<Leave>> read_matches(const json& matches, const std::string& path, const AceContext& c,
                                          Matches& m) {
    Result<bool> error = true;
    for (const auto& [key, value] : matches.items()) {
        std::string at = path + "/" + key;
        if (!value.is_object()) return make_error(fmt::format("{}: expected an object", at), {}, kMudStructure);
        std::optional<Leave> leave;
        if (key == "ipv4" || key == "ipv6") leave = read_l3(value, at, c, key == "ipv6", m);
        else if (key == "tcp" || key == "udp") {
            leave = read_l4(value, at, key == "tcp", m, error);
            int number = key == "tcp" ? 6 : 17;
            if (!leave && m.protocol && *m.protocol != number)
                leave = Leave{at, fmt::format("a {} match with protocol {}: the ACE is left out", key, *m.protocol)};
            m.protocol = number;
        } else if (key == "icmp") {
            std::string first = value.contains("type") ? "type" : value.empty() ? "" : value.begin().key();
            if (!first.empty())
                leave = Leave{at + "/" + first, "icmp type and code matches are not supported: the ACE is left out"};
            if (!m.protocol) m.protocol = 1;
        } else if (key == "ietf-mud:mud") {
            leave = read_mud_match(value, at, c, m);
        } else {
            leave = Leave{at, fmt::format("match '{}' is not supported: the ACE is left out", key)};
        }
        if (!error) return error.error();
        if (leave) return std::optional<Leave>(leave);
    }
    return std::optional<Leave>();
}

// Who opens the conversation and on which port, from the ports and direction-initiated.
std::optional<Leave> conversation(const Matches& m, const std::string& path, const AceContext& c, AceReading& out) {
    bool sender_is_device = c.from_device_policy;
    if (m.source_port && m.destination_port)
        return Leave{path, "both a source and a destination port: the ACE is left out"};
    bool reply = m.source_port.has_value();  // from the port a server listens on: a reply
    out.from_device = reply ? !sender_is_device : sender_is_device;
    if (!m.source_port && !m.destination_port && !m.direction_initiated.empty())
        out.from_device = m.direction_initiated == "from-device";
    if (!m.direction_initiated.empty() && out.from_device != (m.direction_initiated == "from-device"))
        return Leave{path, "direction-initiated contradicts the ports: the ACE is left out"};
    PortRange ports = m.source_port ? *m.source_port : m.destination_port.value_or(PortRange{});
    if (!m.protocol) out.port = ServicePort{Protocol::ip, {}};
    else if (*m.protocol == 6) out.port = ServicePort{Protocol::tcp, ports};
    else if (*m.protocol == 17) out.port = ServicePort{Protocol::udp, ports};
    else if (*m.protocol == 1 || *m.protocol == 58) out.port = ServicePort{Protocol::icmp, {}};
    else return Leave{path, fmt::format("protocol {} is not supported: the ACE is left out", *m.protocol)};
    if (!m.protocol && (m.source_port || m.destination_port))
        return Leave{path, "ports without a protocol: the ACE is left out"};
    return std::nullopt;
}

}  // namespace

Result<std::optional<AceReading>> read_ace(const json& ace, const std::string& path, const AceContext& c) {
    const std::optional<AceReading> none;
    if (!ace.is_object()) return make_error(fmt::format("{}: expected an object", path), {}, kMudStructure);
    auto actions = ace.find("actions");
    if (actions == ace.end() || !actions->is_object() || !actions->contains("forwarding"))
        return make_error(fmt::format("{}/actions/forwarding: missing", path), {}, kMudStructure);
    auto forwarding = (*actions)["forwarding"];
    std::string action = forwarding.is_string() ? forwarding.get<std::string>() : "";
    if (auto colon = action.find(':'); colon != std::string::npos) action = action.substr(colon + 1);
    if (action != "accept") {
        warn(c, path + "/actions/forwarding", kMudUnsupported,
             fmt::format("forwarding '{}' is not supported (a policy only allows): the ACE is left out", action));
        return none;
    }
    auto matches = ace.find("matches");
    if (matches == ace.end() || !matches->is_object() || matches->empty()) {
        warn(c, path, kMudUnsupported, "an ACE matching every packet is not supported: the ACE is left out");
        return none;
    }
    Matches m;
    auto leave = read_matches(*matches, path + "/matches", c, m);
    if (!leave) return leave.error();
    AceReading out;
    if (!*leave) *leave = conversation(m, path + "/matches", c, out);
    if (!*leave && m.peers.size() != 1) {
        *leave = Leave{path + "/matches", m.peers.empty() ? "no peer (any host) is not supported: the ACE is left out"
                                                          : "more than one peer match: the ACE is left out"};
    }
    if (*leave) {
        warn(c, (*leave)->path, kMudUnsupported, (*leave)->message);
        return none;
    }
    out.peer = m.peers.front();
    return std::optional<AceReading>(out);
}

}  // namespace microseg::mud::detail
