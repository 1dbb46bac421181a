#pragma once
// The DHCP relay probe: a DISCOVER-shaped UDP datagram from 0.0.0.0:68 to 255.255.255.255:67,
// sent from a lab host that has no lease yet (so its source is 0.0.0.0, as a real client's),
// must reach the relay: the SVI of the host's VLAN on the switch that routes it, where the
// inbound SVI ACL decides (DESIGN: DHCP relay is never cut). A UDP socket cannot send from
// 0.0.0.0 while its interface has an address, so the frame is built by hand on a packet
// socket, as DHCP clients do; the relay listens on port 67 bound to that VLAN's bridge.

#include <chrono>
#include <string>

#include "model/diagnostic.hpp"

namespace microseg::verify {

struct DhcpProbe {
    std::string client_netns;   // the host; it sends out of its eth0
    std::string relay_netns;    // the switch routing the host's VLAN
    std::string relay_bridge;   // that VLAN's bridge in the switch namespace
};

// True when the relay received the datagram within `timeout`; an error only when the probe
// could not be set up (a namespace missing, a socket refused).
Result<bool> dhcp_discover_reaches(const DhcpProbe& probe, std::chrono::milliseconds timeout);

}  // namespace microseg::verify
