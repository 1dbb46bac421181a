#include "model/service.hpp"

#include <algorithm>
#include <charconv>

namespace microseg {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    if (s.size() > 1 && s[0] == '0') return std::nullopt;  // no octal look-alikes
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

}  // namespace

std::string_view to_string(Protocol p) {
    switch (p) {
        case Protocol::ip: return "ip";
        case Protocol::icmp: return "icmp";
        case Protocol::tcp: return "tcp";
        case Protocol::udp: return "udp";
    }
    return "ip";
}

std::optional<Protocol> parse_protocol(std::string_view text) {
    if (text == "ip") return Protocol::ip;
    if (text == "icmp") return Protocol::icmp;
    if (text == "tcp") return Protocol::tcp;
    if (text == "udp") return Protocol::udp;
    return std::nullopt;
}

Result<ServicePort> ServicePort::parse(std::string_view text) {
    auto slash = text.find('/');
    auto proto = parse_protocol(text.substr(0, slash));
    if (!proto) {
        return make_error(fmt::format("'{}' is not a service port: expected tcp/N, udp/N, "
                                      "tcp/N-M, udp/N-M, icmp or ip", text), {}, "bad-port");
    }
    ServicePort sp{*proto, {}};
    if (!sp.has_ports()) {
        if (slash != std::string_view::npos)
            return make_error(fmt::format("'{}' takes no port", to_string(*proto)), {}, "bad-port");
        return sp;
    }
    if (slash == std::string_view::npos)
        return make_error(fmt::format("'{}' needs a port: {}/N or {}/N-M", text, text, text), {},
                          "bad-port");
    auto range = text.substr(slash + 1);
    auto dash = range.find('-');
    auto first = parse_port(range.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : parse_port(range.substr(dash + 1));
    if (!first || !last) {
        return make_error(fmt::format("bad port '{}' in '{}': ports are decimal numbers 0-65535",
                                      range, text), {}, "bad-port");
    }
    if (*first > *last) {
        return make_error(fmt::format("bad port range '{}': {} is greater than {}", text, *first,
                                      *last), {}, "bad-port");
    }
    sp.ports = {*first, *last};
    return sp;
}

bool ServicePort::covers(const ServicePort& other) const {
    if (protocol == Protocol::ip) return true;
    if (protocol != other.protocol) return false;
    return ports.first <= other.ports.first && other.ports.last <= ports.last;
}

std::vector<ServicePort> compact_service_ports(std::vector<ServicePort> ports) {
    if (std::any_of(ports.begin(), ports.end(),
                    [](const ServicePort& p) { return p.protocol == Protocol::ip; }))
        return {ServicePort{Protocol::ip, {}}};
    std::sort(ports.begin(), ports.end());
    std::vector<ServicePort> out;
    for (const auto& p : ports) {
        if (!out.empty() && out.back().protocol == p.protocol &&
            static_cast<unsigned>(p.ports.first) <= static_cast<unsigned>(out.back().ports.last) + 1) {
            out.back().ports.last = std::max(out.back().ports.last, p.ports.last);
            continue;
        }
        out.push_back(p);
    }
    return out;
}

}  // namespace microseg
