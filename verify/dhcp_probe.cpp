#include "verify/dhcp_probe.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace microseg::verify {

namespace {

constexpr std::uint16_t kServerPort = 67, kClientPort = 68;

Diagnostic sys_error(const std::string& what) {
    return make_error(fmt::format("DHCP probe: {}: {}", what, std::strerror(errno)), {}, "verify-probe");
}

// A descriptor that closes itself.
struct Fd {
    int fd = -1;
    explicit Fd(int f = -1) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// socket(domain, type, protocol) inside /run/netns/<netns>, from this thread, which returns home.
int socket_in(const std::string& netns, int domain, int type, int protocol) {
    Fd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    Fd target(::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC));
    if (home.fd < 0 || target.fd < 0 || ::setns(target.fd, CLONE_NEWNET) != 0) return -1;
    int s = ::socket(domain, type | SOCK_CLOEXEC, protocol);
    int saved = errno;
    if (::setns(home.fd, CLONE_NEWNET) != 0) std::terminate();  // never run on in a lab namespace
    errno = saved;
    return s;
}

bool bind_to_device(int fd, const std::string& dev) {
    return ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev.c_str(), static_cast<socklen_t>(dev.size())) == 0;
}

std::uint16_t ip_checksum(const unsigned char* data, std::size_t len) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// IPv4 + UDP, 0.0.0.0:68 -> 255.255.255.255:67, with a payload shaped like BOOTP's op field.
// Sent on a packet socket: the kernel fills nothing in (a raw IP socket would put the
// interface's address in place of 0.0.0.0).
std::array<unsigned char, 36> discover() {
    std::array<unsigned char, 36> packet{};
    ip header{};
    header.ip_v = 4;
    header.ip_hl = 5;
    header.ip_len = htons(packet.size());
    header.ip_ttl = 64;
    header.ip_p = IPPROTO_UDP;
    header.ip_src.s_addr = htonl(INADDR_ANY);
    header.ip_dst.s_addr = htonl(INADDR_BROADCAST);
    udphdr udp{};
    udp.source = htons(kClientPort);
    udp.dest = htons(kServerPort);
    udp.len = htons(packet.size() - sizeof header);
    std::memcpy(packet.data(), &header, sizeof header);
    std::uint16_t sum = ip_checksum(packet.data(), sizeof header);
    packet[10] = static_cast<unsigned char>(sum >> 8);
    packet[11] = static_cast<unsigned char>(sum & 0xff);
    std::memcpy(packet.data() + sizeof header, &udp, sizeof udp);  // UDP checksum 0: none (IPv4)
    packet[sizeof header + sizeof udp] = 1;  // BOOTREQUEST
    return packet;
}

}  // namespace

Result<bool> dhcp_discover_reaches(const DhcpProbe& probe, std::chrono::milliseconds timeout) {
    Fd relay(socket_in(probe.relay_netns, AF_INET, SOCK_DGRAM, 0));
    if (relay.fd < 0) return sys_error("relay socket in " + probe.relay_netns);
    int one = 1;
    ::setsockopt(relay.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(kServerPort);
    if (!bind_to_device(relay.fd, probe.relay_bridge) ||
        ::bind(relay.fd, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0)
        return sys_error(fmt::format("listening on {} port 67 in {}", probe.relay_bridge, probe.relay_netns));

    Fd client(socket_in(probe.client_netns, AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)));
    if (client.fd < 0) return sys_error("packet socket in " + probe.client_netns);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "eth0", IFNAMSIZ - 1);
    if (::ioctl(client.fd, SIOCGIFINDEX, &ifr) != 0) return sys_error("eth0 in " + probe.client_netns);
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_protocol = htons(ETH_P_IP);
    to.sll_ifindex = ifr.ifr_ifindex;
    to.sll_halen = ETH_ALEN;
    std::memset(to.sll_addr, 0xff, ETH_ALEN);
    auto packet = discover();
    if (::sendto(client.fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0)
        return sys_error("sending from " + probe.client_netns);

    pollfd wait{relay.fd, POLLIN, 0};
    if (::poll(&wait, 1, static_cast<int>(timeout.count())) <= 0) return false;
    sockaddr_in from{};
    socklen_t len = sizeof from;
    char buf[64];
    ssize_t n = ::recvfrom(relay.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
    return n > 0 && from.sin_addr.s_addr == htonl(INADDR_ANY);
}

}  // namespace microseg::verify
