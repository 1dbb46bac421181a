#include "verify/probe.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <netinet/in.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <tuple>
#include <unistd.h>

#include <fmt/format.h>

namespace microseg::verify {

namespace {

using Clock = std::chrono::steady_clock;

Diagnostic sys_error(std::string what) {
    return make_error(fmt::format("{}: {}", what, std::strerror(errno)), {}, "verify-probe");
}

// Opens sockets inside named network namespaces from this thread, returning home each time.
class NetnsSockets {
public:
    NetnsSockets() : home_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) {}
    ~NetnsSockets() {
        for (auto& [name, fd] : fds_) ::close(fd);
        if (home_ >= 0) ::close(home_);
    }
    NetnsSockets(const NetnsSockets&) = delete;
    NetnsSockets& operator=(const NetnsSockets&) = delete;

    // A non-blocking socket in `netns`, or -1 with errno set.
    int open(const std::string& netns, int type) {
        int ns = fd_of(netns);
        if (ns < 0 || home_ < 0 || ::setns(ns, CLONE_NEWNET) != 0) return -1;
        int s = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int saved = errno;
        if (::setns(home_, CLONE_NEWNET) != 0) std::terminate();  // never run on in a lab namespace
        errno = saved;
        return s;
    }

private:
    int fd_of(const std::string& netns) {
        auto it = fds_.find(netns);
        if (it != fds_.end()) return it->second;
        int fd = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) fds_[netns] = fd;
        return fd;
    }
    int home_;
    std::map<std::string, int> fds_;
};

enum class Kind : std::uint8_t { tcp_listener, udp_listener, tcp_probe, udp_probe };

struct Entry {
    Kind kind;
    int fd = -1;
    std::size_t probe = 0;
    Clock::time_point deadline{};
    std::uint32_t local_address = 0;  // listeners: where they listen (host order)
    std::uint16_t local_port = 0;
};

// A UDP datagram's ends (host order): which probe a listener has just received.
using UdpKey = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;

class ProbeRun {
public:
    ProbeRun(const std::vector<Probe>& probes, const ProbeOptions& options)
        : probes_(probes), options_(options), results_(probes.size()), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {}
    ~ProbeRun() {
        for (auto& e : entries_)
            if (e.fd >= 0) ::close(e.fd);
        if (epoll_ >= 0) ::close(epoll_);
    }
    ProbeRun(const ProbeRun&) = delete;
    ProbeRun& operator=(const ProbeRun&) = delete;

    Result<std::vector<ProbeVerdict>> run() {
        if (epoll_ < 0) return sys_error("epoll_create1");
        if (auto ok = open_listeners(); !ok) return ok.error();
        if (auto ok = fit_parallel_to_fd_limit(); !ok) return ok.error();
        std::size_t next = 0;
        while (next < probes_.size() || !active_.empty()) {
            while (active_.size() < options_.parallel && next < probes_.size()) start(next++);
            wait_and_dispatch();
            expire();
        }
        return results_;
    }

private:
    // Raises the soft descriptor limit to the hard one, and lowers `parallel` if even that
    // leaves too few descriptors for the probes beside the listeners.
    Result<bool> fit_parallel_to_fd_limit() {
        rlimit lim{};
        if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return sys_error("getrlimit");
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
        ::getrlimit(RLIMIT_NOFILE, &lim);
        std::size_t reserved = entries_.size() + 64;
        if (lim.rlim_cur <= reserved + 1)
            return make_error(fmt::format("{} listeners need more file descriptors than the limit of {}",
                                          entries_.size(), lim.rlim_cur), {}, "verify-probe");
        options_.parallel = std::clamp<std::size_t>(options_.parallel, 1, lim.rlim_cur - reserved);
        return true;
    }

    Result<bool> open_listeners() {
        std::map<std::tuple<std::string, IpAddress, ProbePort>, bool> seen;
        for (const auto& p : probes_) {
            if (!seen.emplace(std::make_tuple(p.dst_netns, p.dst, p.port), true).second) continue;
            if (auto ok = open_listener(p); !ok) return ok;
        }
        return true;
    }

    Result<bool> open_listener(const Probe& p) {
        bool tcp = p.port.protocol == Protocol::tcp;
        int fd = sockets_.open(p.dst_netns, tcp ? SOCK_STREAM : SOCK_DGRAM);
        if (fd < 0) return sys_error("socket in " + p.dst_netns);
        add(Entry{tcp ? Kind::tcp_listener : Kind::udp_listener, fd, 0, {}, static_cast<std::uint32_t>(p.dst.value),
                  p.port.port},
            EPOLLIN);
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        auto sa = to_sockaddr(p.dst, p.port.port);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
            return sys_error(fmt::format("listening on {} {} in {}", p.dst, p.port, p.dst_netns));
        if (tcp && ::listen(fd, 1024) != 0) return sys_error("listen");
        return true;
    }

    std::size_t add(Entry e, std::uint32_t events) {
        std::size_t id = entries_.size();
        entries_.push_back(e);
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = id;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, e.fd, &ev);
        return id;
    }

    void start(std::size_t i) {
        const Probe& p = probes_[i];
        bool tcp = p.port.protocol == Protocol::tcp;
        int fd = sockets_.open(p.src_netns, tcp ? SOCK_STREAM : SOCK_DGRAM);
        if (fd < 0) return;  // counted as blocked
        if (p.src_port != 0) {
            int one = 1;
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            sockaddr_in any{};
            any.sin_family = AF_INET;
            any.sin_port = htons(p.src_port);
            if (::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0) {
                ::close(fd);
                return;
            }
        }
        auto sa = to_sockaddr(p.dst, p.port.port);
        int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        if (tcp && rc != 0 && errno != EINPROGRESS) {
            ::close(fd);
            return;
        }
        if (!tcp && (rc != 0 || ::send(fd, "microseg-probe", 14, 0) < 0)) {
            ::close(fd);
            return;
        }
        if (!tcp) remember_udp(fd, p, i);
        Entry e{tcp ? Kind::tcp_probe : Kind::udp_probe, fd, i, Clock::now() + options_.timeout};
        active_.push_back(add(e, tcp ? EPOLLOUT : EPOLLIN));
    }

    void wait_and_dispatch() {
        epoll_event events[256];
        int n = ::epoll_wait(epoll_, events, 256, 10);
        for (int k = 0; k < n; ++k) dispatch(static_cast<std::size_t>(events[k].data.u64));
    }

    void dispatch(std::size_t id) {
        Entry& e = entries_[id];
        if (e.fd < 0) return;
        switch (e.kind) {
            case Kind::tcp_listener: accept_all(e.fd); break;
            case Kind::udp_listener: echo_all(e); break;
            case Kind::tcp_probe: finish(id, connect_succeeded(e.fd)); break;
            case Kind::udp_probe: udp_reply(id); break;
        }
    }

    static void accept_all(int fd) {
        int c;
        while ((c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC)) >= 0) ::close(c);
    }

    void remember_udp(int fd, const Probe& p, std::size_t i) {
        sockaddr_in local{};
        socklen_t len = sizeof local;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return;
        udp_probe_of_[{ntohl(local.sin_addr.s_addr), ntohs(local.sin_port), static_cast<std::uint32_t>(p.dst.value),
                       p.port.port}] = i;
    }

    void echo_all(const Entry& listener) {
        char buf[512];
        sockaddr_in from{};
        socklen_t len = sizeof from;
        ssize_t n;
        while ((n = ::recvfrom(listener.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len)) >= 0) {
            auto it = udp_probe_of_.find({ntohl(from.sin_addr.s_addr), ntohs(from.sin_port), listener.local_address,
                                          listener.local_port});
            if (it != udp_probe_of_.end()) results_[it->second].delivered = true;
            ::sendto(listener.fd, buf, static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), len);
            len = sizeof from;
        }
    }

    static bool connect_succeeded(int fd) {
        int err = 0;
        socklen_t len = sizeof err;
        return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }

    void udp_reply(std::size_t id) {
        char buf[64];
        ssize_t n = ::recv(entries_[id].fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        finish(id, n > 0);  // an error here is an ICMP unreachable: rejected
    }

    void finish(std::size_t id, bool passed) {
        Entry& e = entries_[id];
        results_[e.probe].round_trip = passed;
        if (passed) results_[e.probe].delivered = true;
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, e.fd, nullptr);
        ::close(e.fd);
        e.fd = -1;
        active_.erase(std::find(active_.begin(), active_.end(), id));
    }

    void expire() {
        auto now = Clock::now();
        std::vector<std::size_t> late;
        for (auto id : active_)
            if (entries_[id].deadline <= now) late.push_back(id);
        for (auto id : late) finish(id, false);
    }

    const std::vector<Probe>& probes_;
    ProbeOptions options_;
    std::vector<ProbeVerdict> results_;
    std::map<UdpKey, std::size_t> udp_probe_of_;
    int epoll_;
    NetnsSockets sockets_;
    std::vector<Entry> entries_;
    std::vector<std::size_t> active_;
};

}  // namespace

sockaddr_in to_sockaddr(const IpAddress& a, std::uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(static_cast<std::uint32_t>(a.value));
    return sa;
}


Result<std::vector<ProbeVerdict>> run_probes_detailed(const std::vector<Probe>& probes, const ProbeOptions& options) {
    ProbeRun run(probes, options);
    return run.run();
}

Result<std::vector<bool>> run_probes(const std::vector<Probe>& probes, const ProbeOptions& options) {
    auto verdicts = run_probes_detailed(probes, options);
    if (!verdicts) return verdicts.error();
    std::vector<bool> out;
    out.reserve(verdicts->size());
    for (const auto& v : *verdicts) out.push_back(v.round_trip);
    return out;
}

}  // namespace microseg::verify
