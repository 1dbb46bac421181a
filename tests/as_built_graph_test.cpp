// Issue 19, acceptance: for each example, what `paths` assumes equals what the shipped configs
// permit. Every switch's emitted file is read back by microseg's own parser (the audit's view
// of a device), and packets between one member address of every two classes are judged by
// every filtering device on their path (DESIGN "Topology": the source's gateway, inbound on
// its SVI or in a router's forward chain, and the destination's gateway when it is a router;
// the `via` router for an external end). The resulting as-built reachability is compared,
// pair by pair and probe by probe, with the intent graph (model/reachability.hpp):
//   initiations: every service port a flow names, udp/67 (DHCP) and tcp/udp 9 (never allowed);
//   stateless replies: UDP from each of those service ports to a high port and to itself.
// Same-VLAN reach (switching, not filtering) is compared as isolation: a class's ports are
// isolated as built exactly when the class says `isolate`.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/acl_diff.hpp"
#include "model/infrastructure_acl.hpp"
#include "model/reachability.hpp"

using namespace microseg;

namespace {

struct ProbeShape {
    Protocol protocol = Protocol::tcp;
    std::uint16_t source_port = 40000;
    std::uint16_t destination_port = 0;
    bool reply = false;  // a server's packet from its service port: the stateless-reply shape
    auto operator<=>(const ProbeShape&) const = default;
};

std::string describe(const ProbeShape& s) {
    if (s.protocol == Protocol::icmp || s.protocol == Protocol::ip) return fmt::format("{}", s.protocol);
    return fmt::format("{} {} -> {}{}", s.protocol, s.source_port, s.destination_port, s.reply ? " (reply shape)" : "");
}

std::set<ProbeShape> probe_shapes(const Policy& p) {
    std::set<ProbeShape> out = {{Protocol::tcp, 40000, 9, false}, {Protocol::udp, 40000, 9, false},
                                {Protocol::udp, 40000, 67, false}};
    for (const auto& f : p.flows())
        for (const auto& name : f.services)
            for (const auto& sp : p.find_service(name)->ports) {
                if (!sp.has_ports()) {
                    out.insert({sp.protocol, 0, 0, false});
                    continue;
                }
                for (std::uint16_t port : {sp.ports.first, sp.ports.last}) {
                    port = std::max<std::uint16_t>(port, 1);
                    out.insert({sp.protocol, 40000, port, false});
                    if (sp.protocol != Protocol::udp) continue;
                    out.insert({Protocol::udp, port, 40000, true});
                    out.insert({Protocol::udp, port, port, true});
                }
            }
    return out;
}

// One host address of `c` that belongs to `c` and is neither a switch nor a gateway address.
IpAddress member(const Policy& p, const DeviceClass& c) {
    auto switches = switch_addresses(p);
    std::vector<IpAddress> candidates;
    for (const char* t : {"203.0.113.10", "198.51.100.10"}) candidates.push_back(*IpAddress::parse(t));
    for (const auto& s : c.subnets)
        for (int k : {9, 5, 2, 1})
            candidates.push_back(IpAddress{s.network.family, s.first_host().value + static_cast<Uint128>(k)});
    for (const auto& a : candidates) {
        bool busy = std::find(switches.begin(), switches.end(), a) != switches.end() ||
                    (c.gateway_address && *c.gateway_address == a);
        bool inside = std::any_of(c.subnets.begin(), c.subnets.end(), [&](const Cidr& s) { return s.contains(a); });
        if (!busy && inside && p.class_of(a) == &c) return a;
    }
    FAIL("no member address for class " << c.name);
    return {};
}

Packet packet(const ProbeShape& s, const IpAddress& from, const IpAddress& to) {
    Packet k;
    k.protocol = s.protocol;
    k.source = from;
    k.destination = to;
    k.source_port = s.source_port;
    k.destination_port = s.destination_port;
    return k;
}

class AsBuiltNetwork {
public:
    AsBuiltNetwork(const Policy& p) : policy_(p) {
        for (const auto& sw : p.switches()) {
            auto emitted = emitter_for(sw.platform).emit(p, sw);
            REQUIRE_MESSAGE(emitted.ok(), sw.name);
            parsed_.emplace(sw.name, parser_for(sw.platform)(emitted->text));
            const auto& warnings = parsed_.at(sw.name).warnings;
            CHECK_MESSAGE(warnings.empty(), sw.name << ": " << (warnings.empty() ? "" : warnings[0].text));
        }
    }

    const ParsedConfig& parsed(const Switch& sw) const { return parsed_.at(sw.name); }

    // Every filtering device on the path from `a` to `b` lets the packet through.
    bool passes(const DeviceClass& a, const DeviceClass& b, const Packet& k) const {
        auto from = policy_.filters_of(a), to = policy_.filters_of(b);
        for (const Switch* sw : from)
            if (!device_passes(*sw, k, /*source_side=*/true)) return false;
        for (const Switch* sw : to)
            if (std::find(from.begin(), from.end(), sw) == from.end() && !device_passes(*sw, k, false)) return false;
        return true;
    }

private:
    bool device_passes(const Switch& sw, const Packet& k, bool source_side) const {
        const ParsedConfig& c = parsed(sw);
        if (c.router) {  // a router filters both ways in its forward chain; replies by conntrack only
            REQUIRE(c.router->has_forward);
            return acl_permits(c.as_built.svis.front().acl.entries, k);
        }
        if (!source_side) return true;  // SVI ACLs are inbound: what the class sends
        for (const auto& svi : c.as_built.svis)
            for (const auto& a : svi.addresses)
                if (a.subnet.contains(k.source)) return acl_permits(svi.acl.entries, k);
        FAIL("no SVI on " << sw.name << " for " << k.source.str());
        return false;
    }

    const Policy& policy_;
    std::map<std::string, ParsedConfig> parsed_;
};

bool service_covers(const Service& s, const ProbeShape& shape) {
    return std::any_of(s.ports.begin(), s.ports.end(), [&](const ServicePort& sp) {
        if (sp.protocol != shape.protocol) return false;
        return !sp.has_ports() || (sp.ports.first <= shape.destination_port && shape.destination_port <= sp.ports.last);
    });
}

// A reply-shaped packet b -> a is intended when a flow a -> b names a udp service whose
// port is the packet's source, and the destination is a high port or the service's reply port.
bool reply_intended(const Policy& p, const FlowRule& f, const ProbeShape& shape) {
    for (const auto& name : f.services) {
        const Service& s = *p.find_service(name);
        for (const auto& sp : s.ports)
            if (sp.protocol == Protocol::udp && sp.ports.first <= shape.source_port && shape.source_port <= sp.ports.last &&
                (kUdpReplyPorts.first <= shape.destination_port || shape.destination_port == s.reply_port))
                return true;
    }
    return false;
}

// Whatever its source port, a packet to a flow's service port is that flow's initiation; a
// reply-shaped packet may also pass as a stateless reply.
bool intended(const ReachabilityGraph& g, std::size_t a, std::size_t b, const ProbeShape& shape) {
    const Policy& p = g.policy();
    for (const auto& why : g.hop(a, b).reasons) {
        if (why.kind == EdgeKind::stateless_reply && shape.reply && reply_intended(p, p.flows()[why.flow], shape))
            return true;
        if (why.kind == EdgeKind::explicit_flow)
            for (const auto& name : p.flows()[why.flow].services)
                if (service_covers(*p.find_service(name), shape)) return true;
        if (why.kind == EdgeKind::dhcp && shape.protocol == Protocol::udp && shape.destination_port == 67) return true;
    }
    return false;
}

Policy example(const char* name) {
    CompileOptions o;  // the goldens' day
    o.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto r = compile_policy_file(fmt::format("{}/examples/{}/policy.yaml", MICROSEG_SOURCE_DIR, name), o);
    REQUIRE(r.ok());
    return std::move(*r.policy);
}

void check_routed(const Policy& p) {
    auto g = ReachabilityGraph::build(p);
    AsBuiltNetwork net(p);
    auto shapes = probe_shapes(p);
    std::size_t judged = 0, permitted = 0, pairs = 0;
    std::set<std::pair<std::size_t, std::size_t>> as_built_edges, intent_edges;
    for (std::size_t a = 0; a < p.classes().size(); ++a) {
        for (std::size_t b = 0; b < p.classes().size(); ++b) {
            const DeviceClass& from = p.classes()[a];
            const DeviceClass& to = p.classes()[b];
            if (a == b || same_l2_domain(from, to) || (from.external && to.external)) continue;
            if (p.filters_of(from).empty() && p.filters_of(to).empty()) continue;
            ++pairs;
            auto src = member(p, from), dst = member(p, to);
            for (const auto& shape : shapes) {
                bool have = net.passes(from, to, packet(shape, src, dst));
                bool want = intended(g, a, b, shape);
                ++judged;
                permitted += have;
                if (have) as_built_edges.insert({a, b});
                if (want) intent_edges.insert({a, b});
                CHECK_MESSAGE(have == want, fmt::format("{} -> {} {}: the configs {} it, the model {} it", from.name,
                                                        to.name, describe(shape), have ? "permit" : "drop",
                                                        want ? "allows" : "denies"));
            }
        }
    }
    MESSAGE(fmt::format("{}: {} class pairs, {} probes judged, {} permitted, {} as-built edges, {} intent edges",
                        p.name(), pairs, judged, permitted, as_built_edges.size(), intent_edges.size()));
    CHECK(as_built_edges == intent_edges);
    CHECK(permitted > 0);
}

// A class's ports are isolated as built (microseg's isolation port ACL read back on each)
// exactly when it says isolate, on every switch that has ports of it.
void check_isolation(const Policy& p) {
    AsBuiltNetwork net(p);
    std::size_t ports = 0;
    for (const auto& sw : p.switches()) {
        const auto& built = net.parsed(sw).as_built;
        for (const auto& port : sw.ports) {
            const DeviceClass& c = *p.find_class(port.device_class);
            auto it = std::find_if(built.access_ports.begin(), built.access_ports.end(),
                                   [&](const AccessPortIntent& b) { return b.interface == port.interface; });
            if (it == built.access_ports.end()) {
                FAIL_CHECK(sw.name << " " << port.interface << ": not read back as an access port");
                continue;
            }
            ++ports;
            CHECK_MESSAGE(it->isolated == c.isolate, sw.name << " " << port.interface << " (" << c.name << ")");
        }
    }
    MESSAGE(p.name() << ": " << ports << " access ports compared");
    CHECK(ports > 0);
}

}  // namespace

TEST_CASE("as built = intent: the clinic's configs read back permit exactly what paths assumes") {
    auto p = example("clinic");
    check_routed(p);
    check_isolation(p);
}

TEST_CASE("as built = intent: the hospital's configs read back permit exactly what paths assumes") {
    auto p = example("hospital");
    check_routed(p);
    check_isolation(p);
}

TEST_CASE("as built = intent: the health system's configs read back permit exactly what paths assumes") {
    auto p = example("health-system");
    check_routed(p);
    check_isolation(p);
}
