#include "audit/parse/ios/gateway.hpp"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "audit/parse/ios/words.hpp"

namespace microseg {
namespace {

bool vrrp_section_command(std::string_view first) {
    static const std::unordered_set<std::string_view> commands = {
        "address", "priority", "preempt", "timers", "track", "vrrpv2", "vrrs", "shutdown",
        "description", "exit-vrrp", "name"};
    return commands.count(first) > 0;
}

// "A/len" (EOS) or "A MASK" (IOS): the address and its subnet.
std::optional<SviAddress> interface_address(std::span<const std::string_view> v) {
    IpAddress host;
    std::optional<Cidr> subnet;
    if (!v.empty() && v[0].find('/') != std::string_view::npos) {
        subnet = Cidr::parse_interface(v[0], &host);
    } else if (v.size() >= 2) {
        auto a = IpAddress::parse(v[0]);
        auto m = IpAddress::parse(v[1]);
        bool contiguous = false;
        if (a && m) subnet = Cidr::from_mask(*a, *m, &contiguous), host = *a;
        if (!contiguous) subnet.reset();
    }
    if (!subnet) return std::nullopt;
    return SviAddress{host, *subnet};
}

}  // namespace

bool IosGateway::read(std::span<const std::string_view> w, int line, std::string& problem) {
    if (in_vrrp_section_ && vrrp_section_command(w[0])) return first_hop(w, line, problem);
    in_vrrp_section_ = false;
    if (is(w[0], "standby") || is(w[0], "vrrp")) return first_hop(w, line, problem);
    // EOS `ip virtual-router address A[/len]` on an SVI: VARP's shared gateway, like HSRP's.
    if (is(w[0], "ip") && w.size() == 4 && is(w[1], "virtual-router") && is(w[2], "address")) {
        auto a = IpAddress::parse(w[3].substr(0, w[3].find('/')));
        if (!a) return problem = "bad virtual-router address", true;
        return first_hop_.emplace_back(*a, line), true;
    }
    if (!is(w[0], "ip") || w.size() < 3 || !is(w[1], "address")) return false;
    bool is_virtual = is(w[2], "virtual");
    auto addr = interface_address(w.subspan(is_virtual ? 3 : 2));
    if (!addr) return problem = "bad interface address", true;
    if (is_virtual) varp_.push_back(*addr);
    else if (is(w.back(), "secondary")) physical_.push_back(*addr);
    else physical_.insert(physical_.begin(), *addr);
    return true;
}

// HSRP: `standby [group] ip [A [secondary]]` (IOS First Hop Redundancy Protocols guide); VRRP:
// `vrrp N ip A [secondary]` (IOS), `vrrp N ipv4 A` (EOS), `vrrp N address-family ipv4` then
// `address A [primary]` (IOS-XE VRRPv3). Every other setting (priority, preempt, timers,
// authentication) changes which switch answers, not the address.
bool IosGateway::first_hop(std::span<const std::string_view> w, int line, std::string& problem) {
    if (in_vrrp_section_) {
        if (is(w[0], "exit-vrrp")) in_vrrp_section_ = false;
        if (!is(w[0], "address") || !vrrp_ipv4_) return true;
        auto a = w.size() >= 2 ? IpAddress::parse(w[1]) : std::nullopt;
        if (!a) return problem = "bad VRRP address", true;
        return first_hop_.emplace_back(*a, line), true;
    }
    std::size_t at = 1;
    if (at < w.size() && decimal(w[at], 1u << 20)) ++at;  // the group; HSRP may omit it
    if (is(w[0], "vrrp") && at + 1 < w.size() && is(w[at], "address-family")) {
        in_vrrp_section_ = true;
        vrrp_ipv4_ = is(w[at + 1], "ipv4");
        return true;
    }
    if (at >= w.size() || !(is(w[at], "ip") || (is(w[0], "vrrp") && is(w[at], "ipv4")))) return true;
    if (at + 1 == w.size()) return unstated_line_ = line, true;
    auto a = IpAddress::parse(w[at + 1]);
    if (!a) return problem = "bad first-hop redundancy address", true;
    return first_hop_.emplace_back(*a, line), true;
}

std::vector<SviAddress> IosGateway::addresses(std::string_view name, std::vector<Uncertainty>& uncertain,
                                              std::vector<SviAddress>& own) const {
    std::vector<SviAddress> out = varp_;
    for (const auto& [address, line] : first_hop_) {
        auto home = std::find_if(physical_.begin(), physical_.end(),
                                 [&](const SviAddress& a) { return a.subnet.contains(address); });
        if (home != physical_.end()) out.push_back({address, home->subnet});
        else uncertain.push_back({UncertainKind::svi_address, std::string(name), line,
                                  fmt::format("first-hop redundancy address {} is in no subnet of the interface", address)});
    }
    if (unstated_line_)
        uncertain.push_back({UncertainKind::svi_address, std::string(name), unstated_line_,
                             "the first-hop redundancy group learns its address from a peer"});
    std::size_t virtual_count = out.size();
    for (const auto& a : physical_) {
        auto end = out.begin() + static_cast<std::ptrdiff_t>(virtual_count);
        bool shared = std::any_of(out.begin(), end, [&](const SviAddress& v) { return v.subnet == a.subnet; });
        (shared ? own : out).push_back(a);
    }
    return out;
}

}  // namespace microseg
