// Which line of which shipped file decided a probe: the filters on the probe's path, read
// from the same parsed files the lab runs, each asked first-match for the packet and then
// for its reply. Path (DESIGN "Topology"): the source's access-port ACL; when routed, the
// source's routing switch (its inbound SVI ACL, or a router's forward chain) and the
// destination's router if it is another nftables one; the reply back through the
// destination's port ACL and SVI ACL (a router's conntrack passes it).
#include <optional>

#include <fmt/format.h>

#include "model/acl_diff.hpp"
#include "verify/network_verify.hpp"

namespace microseg::verify {

namespace {

struct Filter {
    const std::vector<AclEntry>* entries = nullptr;
    const ParsedAcl* lines = nullptr;
    std::string what;
};

const ParsedAcl* lines_of(const ParsedConfig& c, const std::string& name) {
    auto it = c.acls.find(name);
    return it == c.acls.end() ? nullptr : &it->second;
}

std::optional<Filter> port_filter(const ParsedConfig& c, const std::string& port) {
    auto name = c.port_acl_of.find(port);
    if (port.empty() || name == c.port_acl_of.end()) return std::nullopt;
    for (const auto& acl : c.port_acls)
        if (acl.name == name->second)
            return Filter{&acl.entries, lines_of(c, acl.name), fmt::format("port ACL {} on {}", acl.name, port)};
    return std::nullopt;
}

std::optional<Filter> svi_filter(const ParsedConfig& c, int vlan) {
    auto svi = c.svis.find(vlan);
    if (svi == c.svis.end() || svi->second.acl_in.empty() || !svi->second.acl_exists) return std::nullopt;
    for (const auto& s : c.as_built.svis)
        if (s.vlan == vlan)
            return Filter{&s.acl.entries, lines_of(c, svi->second.acl_in),
                          fmt::format("SVI ACL {} in on VLAN {}", svi->second.acl_in, vlan)};
    return std::nullopt;
}

std::optional<Filter> forward_filter(const ParsedConfig& c) {
    if (!c.router || !c.router->has_forward || c.as_built.svis.empty()) return std::nullopt;
    const auto& acl = c.as_built.svis.front().acl;
    return Filter{&acl.entries, lines_of(c, acl.name), "forward chain"};
}

class PathWalk {
public:
    PathWalk(const std::vector<ShippedFile>& files, const NetworkPlan& plan) : files_(files), plan_(plan) {}

    void ask(std::size_t node, const std::optional<Filter>& f, const Packet& p) {
        if (!f) return;
        const ShippedFile& file = files_[plan_.nodes[node].file];
        Decision d{file.sw->name, file.path, f->lines ? f->lines->line : 0, false, f->what + ": implicit deny"};
        for (std::size_t i = 0; i < f->entries->size(); ++i) {
            AclEntry e = (*f->entries)[i];
            auto action = e.action;
            e.action = AclAction::permit;
            if (!acl_permits(std::vector<AclEntry>{e}, p)) continue;
            d.permits = action == AclAction::permit;
            d.what = f->what;
            if (f->lines && i < f->lines->entry_lines.size()) d.line = f->lines->entry_lines[i];
            break;
        }
        out.push_back(std::move(d));
    }

    // A router passes a reply by conntrack; said so, with the line that accepts established.
    void conntrack(std::size_t node) {
        const ShippedFile& file = files_[plan_.nodes[node].file];
        if (!file.config.router || !file.config.router->has_forward) return;
        int line = file.config.router->conntrack_line;
        out.push_back({file.sw->name, file.path, line, line != 0, line ? "conntrack: established" : "no conntrack rule"});
    }

    // Traffic to a router's own address meets its input chain, which the parser does not read
    // (it never filters routed traffic): named by its line, its verdict unknown to microseg.
    void input_chain(std::size_t node) {
        const ShippedFile& file = files_[plan_.nodes[node].file];
        int line = 0, n = 0;
        for (std::size_t at = 0, next; at < file.text.size() && !line; at = next + 1) {
            next = file.text.find('\n', at);
            if (next == std::string::npos) next = file.text.size();
            ++n;
            if (file.text.compare(at, next - at, "\tchain input {") == 0) line = n;
        }
        out.push_back({file.sw->name, file.path, line, true, line ? "input chain" : "no input chain"});
    }

    const ParsedConfig& config(std::size_t node) const { return files_[plan_.nodes[node].file].config; }
    std::vector<Decision> out;

private:
    const std::vector<ShippedFile>& files_;
    const NetworkPlan& plan_;
};

std::optional<std::size_t> routed_by(const NetworkPlan& plan, const std::string& class_name) {
    auto it = plan.routed_by.find(class_name);
    return it == plan.routed_by.end() ? std::nullopt : std::optional(it->second);
}

Packet request_of(const NetworkProbe& p) {
    Packet k;
    k.protocol = p.port.protocol;
    k.source = p.from->address;
    k.destination = p.destination;
    k.source_port = p.source_port ? p.source_port : 49152;
    k.destination_port = p.port.port;
    return k;
}

Packet reply_of(const Packet& request) {
    Packet r = request;
    std::swap(r.source, r.destination);
    std::swap(r.source_port, r.destination_port);
    r.established = request.protocol == Protocol::tcp;
    return r;
}

std::size_t destination_node(const NetworkPlan& plan, const std::vector<ShippedFile>& files, const NetworkProbe& p) {
    if (p.to) return p.to->node;
    const LabNode* n = plan.node_of(p.to_switch, files);
    return n ? static_cast<std::size_t>(n - plan.nodes.data()) : p.from->node;
}

}  // namespace

std::vector<Decision> path_decisions(const Policy& policy, const std::vector<ShippedFile>& files, const NetworkPlan& plan,
                                     const NetworkProbe& probe) {
    PathWalk walk(files, plan);
    const NetworkHost& s = *probe.from;
    if (probe.kind == ProbeKind::l2_protected) return {};  // ARP: no ACL decides it
    if (probe.kind == ProbeKind::dhcp_relay) {  // a broadcast from 0.0.0.0: the relay SVI's ACL, inbound
        Packet discover{Protocol::udp, IpAddress::v4(0), probe.destination, 68, 67, false};
        std::size_t relay = destination_node(plan, files, probe);
        walk.ask(s.node, port_filter(walk.config(s.node), s.port), discover);
        walk.ask(relay, svi_filter(walk.config(relay), probe.relay_vlan), discover);
        return std::move(walk.out);
    }
    const NetworkHost* d = probe.to;
    Packet request = request_of(probe), reply = reply_of(request);
    std::size_t dst_node = destination_node(plan, files, probe);
    const DeviceClass* owner = policy.class_of(probe.destination);
    int dst_vlan = d ? d->vlan : owner && owner->vlan ? *owner->vlan : 0;
    bool bridged = !s.external() && dst_vlan == s.vlan && (!d || !d->external());
    auto src_router = routed_by(plan, s.class_name);
    auto dst_router = d ? routed_by(plan, d->class_name) : std::optional(dst_node);

    walk.ask(s.node, port_filter(walk.config(s.node), s.port), request);
    if (!d && bridged)  // a switch's own address on the source's VLAN: that switch's SVI ACL, inbound
        walk.ask(dst_node, svi_filter(walk.config(dst_node), s.vlan), request);
    bool to_router_itself = !d && src_router == dst_node && walk.config(dst_node).router;
    if (to_router_itself) walk.input_chain(dst_node);
    else if (!bridged && src_router) {
        const auto& c = walk.config(*src_router);
        walk.ask(*src_router, c.router ? forward_filter(c) : svi_filter(c, s.vlan), request);
    }
    if (!bridged && dst_router && dst_router != src_router && walk.config(*dst_router).router)
        walk.ask(*dst_router, forward_filter(walk.config(*dst_router)), request);
    if (request.protocol == Protocol::icmp || !d) return std::move(walk.out);
    walk.ask(d->node, port_filter(walk.config(d->node), d->port), reply);
    if (!bridged && dst_router) {
        const auto& c = walk.config(*dst_router);
        if (c.router) walk.conntrack(*dst_router);
        else walk.ask(*dst_router, svi_filter(c, d->vlan), reply);
    }
    if (!bridged && src_router && src_router != dst_router && walk.config(*src_router).router)
        walk.conntrack(*src_router);
    return std::move(walk.out);
}

// "pump#0 (acc-icu-01 Gi1/0/1)".
static std::string host_text(const NetworkHost& h, const std::vector<ShippedFile>& files, const NetworkPlan& plan) {
    const auto& sw = files[plan.nodes[h.node].file].sw->name;
    return fmt::format("{}#{} ({} {})", h.class_name, h.index, sw,
                       h.external() ? "routed port" : h.port.empty() ? h.netdev : h.port);
}

// When no filter decided a blocked probe: a host whose port the file put in another VLAN.
static void misplaced_hosts(const Policy& policy, const std::vector<ShippedFile>& files, const NetworkPlan& plan,
                     const NetworkProbe& probe, NetworkMismatch& m) {
    for (const NetworkHost* h : {probe.from, probe.to}) {
        const DeviceClass* c = h ? policy.find_class(h->class_name) : nullptr;
        if (!c || !c->vlan || h->external() || h->vlan == *c->vlan) continue;
        const ShippedFile& f = files[plan.nodes[h->node].file];
        m.decided.push_back({f.sw->name, f.path, h->port_line, false,
                             fmt::format("access port {} in VLAN {}, not {}'s VLAN {}", h->port, h->vlan, c->name,
                                         *c->vlan)});
    }
}

NetworkMismatch explain(const Policy& policy, const std::vector<ShippedFile>& files, const NetworkPlan& plan,
                        const NetworkProbe& probe, bool passed) {
    NetworkMismatch m;
    m.kind = probe.kind;
    m.from = host_text(*probe.from, files, plan);
    m.to = probe.to ? host_text(*probe.to, files, plan) : fmt::format("switch {} {}", probe.to_switch, probe.destination);
    m.port = probe.port;
    m.source_port = probe.source_port;
    m.expected = probe.expected;
    m.passed = passed;
    for (const auto& d : path_decisions(policy, files, plan, probe))
        if (passed ? d.permits : !d.permits) {
            m.decided.push_back(d);
            if (!passed) break;
        }
    if (m.decided.empty() && !passed) misplaced_hosts(policy, files, plan, probe, m);
    if (m.decided.empty() && passed && !probe.from->port.empty()) {  // nothing filtered it: its port let it in
        const ShippedFile& f = files[plan.nodes[probe.from->node].file];
        m.decided.push_back({f.sw->name, f.path, probe.from->port_line, true,
                             probe.kind == ProbeKind::l2_protected
                                 ? fmt::format("access port {} without `switchport protected`", probe.from->port)
                                 : fmt::format("access port {} with no filter", probe.from->port)});
    }
    if (m.decided.empty())
        m.note = passed ? "no filter on the path decides it: bridged, or routed where nothing filters"
                        : "every filter on the path permits it: the VLANs, trunks, SVI addresses or routes "
                          "of the files do not carry it (see the static findings)";
    m.text = describe(m);
    return m;
}

std::string describe(const NetworkMismatch& m) {
    const Expectation& e = m.expected;
    std::string why = e.because == Because::flow ? fmt::format(" (flow at {})", e.flow)
                                                 : fmt::format(" ({})", to_string(e.because));
    std::string sport = m.source_port ? fmt::format(" from port {}", m.source_port) : "";
    std::string out = fmt::format("expected {}{}, {}: {} -> {} {}{} [{}]", e.allow ? "allow" : "deny", why,
                                  m.passed ? "passed" : "blocked", m.from, m.to, m.port, sport, to_string(m.kind));
    for (std::size_t i = 0; i < m.decided.size(); ++i) {
        const Decision& d = m.decided[i];
        out += fmt::format("{} {} {}:{} ({}: {})", i == 0 ? "; decided by" : ",", d.device, d.path, d.line, d.what,
                           d.permits ? "permit" : "deny");
    }
    if (!m.note.empty()) out += "; " + m.note;
    return out;
}

}  // namespace microseg::verify
