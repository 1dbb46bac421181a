#pragma once
// The gateway addresses of an IOS-style SVI as its hosts see them: EOS `ip address virtual`
// and `ip virtual-router address` (VARP), HSRP `standby` and VRRP `vrrp` virtual addresses,
// then the physical addresses. A gateway pair puts its own address on each switch and the
// shared one in these lines; read without them, every HSRP gateway looked like a wrong address
// (issue 18).

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/as_built.hpp"

namespace microseg {

class IosGateway {
public:
    // Reads one interface line if it is an address line or an HSRP/VRRP line; false if not
    // (the caller reads it). `problem` is set for such a line that could not be read.
    bool read(std::span<const std::string_view> words, int line, std::string& problem);

    // The SVI `name`'s addresses, virtual ones first, then the physical ones of other subnets;
    // `own` gets the physical ones a virtual address stands for. A virtual address that is
    // unstated or outside every subnet of the SVI is an Uncertainty.
    std::vector<SviAddress> addresses(std::string_view name, std::vector<Uncertainty>& uncertain,
                                      std::vector<SviAddress>& own) const;

private:
    bool first_hop(std::span<const std::string_view> w, int line, std::string& problem);

    std::vector<SviAddress> physical_;  // the primary first, then secondaries
    std::vector<SviAddress> varp_;      // EOS `ip address virtual A/len`
    std::vector<std::pair<IpAddress, int>> first_hop_;  // HSRP/VRRP (address, line)
    int unstated_line_ = 0;             // `standby N ip`: learnt from the peer
    // IOS-XE VRRPv3: `vrrp N address-family ipv4|ipv6` opens a section of `address A primary`,
    // `priority`, `preempt` ... lines, closed by `exit-vrrp` or by any other interface command.
    bool in_vrrp_section_ = false;
    bool vrrp_ipv4_ = false;
};

}  // namespace microseg
