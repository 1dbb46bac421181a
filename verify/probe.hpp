#pragma once
// Real packets through the lab: listeners in destination hosts and probes from source hosts.
// Every socket is opened inside its host's network namespace (setns around socket(); the
// socket keeps its namespace), so one process drives all listeners and all probes with one
// epoll loop: a TCP probe passes when its connect completes, a UDP probe when the listener's
// echo comes back. Up to `parallel` probes are in flight, each with its own deadline.

#include <chrono>

#include <netinet/in.h>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/ip.hpp"
#include "verify/expectation.hpp"

namespace microseg::verify {

// An IPv4 socket address (the lab is IPv4): probes and the tests' traffic generators.
sockaddr_in to_sockaddr(const IpAddress& a, std::uint16_t port);

struct Probe {
    std::string src_netns;
    std::string dst_netns;
    IpAddress dst;
    ProbePort port;
    // 0: any. Else the probe's source port: a server's service port (53, 123) sending to a
    // client, the shape of a forged "reply" that a stateless filter would let through.
    std::uint16_t src_port = 0;
};

struct ProbeOptions {
    std::chrono::milliseconds timeout{300};
    std::size_t parallel = 1024;  // lowered to fit the descriptor limit beside the listeners
};

// One entry per probe: true when the connection or the echo came through. An error only when
// the probing itself failed (a namespace missing, a listener that cannot bind).
Result<std::vector<bool>> run_probes(const std::vector<Probe>& probes, const ProbeOptions& options = {});

// What one probe showed: the round trip (connect or echo) and, for UDP, whether the listener
// received the datagram at all. A forbidden packet that arrives is a hole even when its
// answer is dropped on the way back (one-way UDP is all some attacks need).
struct ProbeVerdict {
    bool round_trip = false;
    bool delivered = false;  // UDP: the listener saw it; TCP: the same as round_trip
};
Result<std::vector<ProbeVerdict>> run_probes_detailed(const std::vector<Probe>& probes, const ProbeOptions& options = {});

}  // namespace microseg::verify
