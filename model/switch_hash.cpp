#include "model/switch_hash.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/acl.hpp"
#include "model/fnv_hash.hpp"
#include "model/infrastructure_acl.hpp"

namespace microseg {
namespace {

// FNV-1a 64 as the policy loader uses for the policy text: an identity, not a secret. Every
// field is fed with a separator byte after it, so two different field sequences never run
// together into the same bytes.
class ContentHash {
public:
    void add(std::string_view field) {
        state_ = fnv1a(fnv1a(state_, field), "\x1f");
    }
    template <class... Args>
    void addf(fmt::format_string<Args...> f, Args&&... args) {
        add(fmt::format(f, std::forward<Args>(args)...));
    }
    std::string hex() const { return fmt::format("{:016x}", state_); }

private:
    std::uint64_t state_ = kFnvOffset;
};

std::string entry_text(const AclEntry& e) {
    return fmt::format("{} {} {} {} {} {} {} {} {} {}", e.action == AclAction::permit ? "permit" : "deny", e.protocol,
                       e.source, e.source_ports, e.destination, e.destination_ports, e.established, e.log, e.tier,
                       e.remark);
}

void add_entry(ContentHash& h, const AclEntry& e) { h.add(entry_text(e)); }

void add_acl(ContentHash& h, const Acl& acl) {
    h.addf("acl {} {}", acl.name, acl.entries.size());
    for (const auto& e : acl.entries) add_entry(h, e);
}

void add_intent(ContentHash& h, const SwitchIntent& intent) {
    h.addf("vlans {}", intent.vlans.size());
    for (const auto& v : intent.vlans) h.addf("{} {} {} {}", v.id, v.name, fmt::join(v.classes, ","), v.isolated);
    h.addf("access {}", intent.access_ports.size());
    for (const auto& p : intent.access_ports) h.addf("{} {} {} {}", p.interface, p.vlan, p.device_class, p.isolated);
    h.addf("trunks {}", intent.trunks.size());
    for (const auto& t : intent.trunks) h.addf("{} {}", t.interface, fmt::join(t.vlans, ","));
    h.addf("svis {}", intent.svis.size());
    for (const auto& s : intent.svis) {
        h.addf("{} {} {}", s.vlan, fmt::join(s.classes, ","), s.addresses.size());
        for (const auto& a : s.addresses) h.addf("{} {}", a.address, a.subnet);
        add_acl(h, s.acl);
    }
    h.addf("isolation {}", intent.isolation_acls.size());
    for (const auto& acl : intent.isolation_acls) add_acl(h, acl);
}

// What emitters/nftables.cpp renders from the policy beyond the intent: a chain per class with
// forward entries (or local to the router), a dispatch rule per class address (most specific
// wins, so every class's addresses count), the internal space, the bridge table's isolated
// classes and the management input chain.
void add_router(ContentHash& h, const Policy& policy, const Switch& sw, const RouterEntries& entries) {
    // By name, not policy order: the emitter's output does not depend on the order classes,
    // flows and ports are written in, so neither does the hash.
    std::vector<std::string> classes;
    for (std::size_t i = 0; i < policy.classes().size(); ++i) {
        const DeviceClass& c = policy.classes()[i];
        std::string item = fmt::format("{} {} {} {} {}", c.name, policy.is_local(sw, c), c.isolate, c.management,
                                       fmt::join(c.addresses.cidrs(), ","));
        for (const auto& e : entries.at(i)) item += fmt::format("\n{}", entry_text(e));
        classes.push_back(std::move(item));
    }
    std::sort(classes.begin(), classes.end());
    h.addf("classes {}", classes.size());
    for (const auto& c : classes) h.add(c);
    auto internal = policy.internal_space();
    std::sort(internal.begin(), internal.end());
    h.addf("internal {}", fmt::join(internal, ","));
    auto gateway_for = sw.gateway_for;
    std::sort(gateway_for.begin(), gateway_for.end());
    h.addf("gateway_for {}", fmt::join(gateway_for, ","));
    std::vector<std::string> ports;
    for (const auto& p : sw.ports) ports.push_back(fmt::format("{} {}", p.interface, p.device_class));
    std::sort(ports.begin(), ports.end());
    h.addf("ports {}", fmt::join(ports, ","));
    for (const auto& p : operator_to_switch_ports()) h.addf("{}", p);
}

}  // namespace

RouterEntries router_entries(const Policy& policy, const Switch& sw) {
    RouterEntries out;
    if (sw.platform != PlatformId::nftables) return out;
    for (const auto& c : policy.classes()) out.push_back(router_forward_entries(policy, sw, c));
    return out;
}

std::string switch_content_hash(const Policy& policy, const Switch& sw, const SwitchIntent& intent,
                                const RouterEntries& entries) {
    ContentHash h;
    h.addf("policy {}", policy.name());
    h.addf("switch {} {} {} {}", sw.name, sw.platform, static_cast<int>(sw.junos_style),
           sw.management_vlan ? fmt::format("{}", *sw.management_vlan) : std::string("none"));
    add_intent(h, intent);
    if (sw.platform == PlatformId::nftables) add_router(h, policy, sw, entries);
    return h.hex();
}

std::string switch_content_hash(const Policy& policy, const Switch& sw, const SwitchIntent& intent) {
    return switch_content_hash(policy, sw, intent, router_entries(policy, sw));
}

std::string switch_content_hash(const Policy& policy, const Switch& sw) {
    auto intent = switch_intent(policy, sw);
    return intent ? switch_content_hash(policy, sw, *intent) : std::string();
}

}  // namespace microseg
