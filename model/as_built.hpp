#pragma once
// The as-built configuration of a switch: what a device really runs, in the same intent terms
// the emitters render from (model/switch_intent.hpp), plus where each piece stands in the
// config text and what could not be read. The audit parsers (audit/parse/) fill it; diff,
// plan and verify read it without including audit/.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/config_file.hpp"
#include "model/diagnostic.hpp"
#include "model/platform.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

// A line the parser did not understand: skipped, counted, reported with its number.
struct ParseWarning {
    int line = 0;
    std::string text;
    std::string reason;
};

// Where an ACL of the live config stands, for findings that point at config lines.
struct ParsedAcl {
    int line = 0;                   // of its header
    std::vector<int> entry_lines;   // one per entry of the converted Acl, in order
    bool fully_understood = true;   // false: an entry could not be read; findings are "unknown"
};

// Config microseg reads but cannot judge exactly. The parser keeps the line and says why; drift
// then makes the findings it could change "unknown" instead of a definite verdict, which would
// be wrong as often as right (issue 18: a warning alone left the finding definite).
enum class UncertainKind : std::uint8_t {
    port_isolation,    // an access port filtered by an ACL that is not an isolation ACL microseg knows
    svi_outbound_acl,  // an SVI filtering what it routes into its VLAN (the model is inbound only)
    svi_address,       // a gateway address the config does not state (HSRP learning it from a peer)
    interface_config,  // an interface whose settings are not exactly known (Junos group conflicts)
};

struct Uncertainty {
    UncertainKind kind;
    std::string interface;  // as the device spells it ("Ethernet7", "Vlan130")
    int line = 0;
    std::string reason;
};

struct ParsedSvi {
    int line = 0;
    std::string acl_in;      // the name applied inbound, empty when none
    bool acl_exists = true;  // false: applied but not defined (IOS then permits everything)
    // The switch's own addresses in subnets whose gateway is a shared virtual address (HSRP,
    // VRRP, EOS VARP): as_built lists the virtual one, and a policy may name either.
    std::vector<SviAddress> own_addresses;
};

// A Linux router (nftables) has no VLANs, ports or trunks. Its routed filter is the one SVI of
// as_built, VLAN 0, ACL "forward": every forward base chain of the ip/ip6/inet tables flattened
// into one first-match list (jump/goto chains inlined under the jump rule's match, several
// base chains intersected, the chain policy last). Replies pass by conntrack, which the
// stateless list cannot say, so it is kept here; so is the bridge filter (port isolation).
struct RouterFilters {
    bool has_forward = false;  // false: no forward base chain, everything is routed unfiltered
    int conntrack_line = 0;    // `ct state established... accept` in a forward base chain; 0: none
    bool has_bridge = false;
    Acl bridge;                // bridge-family forward chain(s), flattened, policy last
    ParsedAcl bridge_info;
};

// The config line where each interface is defined, for findings. Access ports and trunks keep
// theirs beside as_built's lists, index for index (a map by name cost two allocations per port:
// most of the time of reading an access switch); every other interface (SVIs, routed or unused
// ports, Junos irb units) by name. A name may have several records (defined twice, or an access
// port defined again as a routed one): its line is the greatest of them, the last definition.
struct InterfaceLines {
    std::vector<int> access_ports;  // of as_built.access_ports[i]
    std::vector<int> trunks;        // of as_built.trunks[i]
    std::map<std::string, int, std::less<>> others;
};

struct ParsedConfig {
    SwitchIntent as_built;                    // the live config in intent terms
    std::string microseg_header;              // the emitted header line, when the device has it
    std::optional<ConfigHeader> header;       // its fields (model/config_file.hpp)
    std::map<std::string, ParsedAcl> acls;    // by the config's ACL name
    std::map<int, ParsedSvi> svis;            // by VLAN id
    InterfaceLines interface_lines;           // needs as_built's lists sorted, as parsers leave them
    std::vector<ParseWarning> warnings;       // unrecognised lines
    std::vector<Uncertainty> uncertain;       // read, but findings about it are "unknown"
    // Access ports (as spelt) that carry microseg's isolation ACL -> its config name, which
    // names one of as_built.isolation_acls: drift compares its entries with the intent's.
    std::map<std::string, std::string, std::less<>> isolation_acl_of;
    // Every inbound port ACL / ethernet-switching filter that is defined and fully read, by
    // access port (as spelt) -> config name, isolation ACLs included; definitions in port_acls.
    // Not evidence of isolation (isolation_acl_of is): verify emulates what they do.
    std::map<std::string, std::string, std::less<>> port_acl_of;
    std::vector<Acl> port_acls;
    // Access ports (as spelt) with IOS `switchport protected`: no traffic between two of them on
    // this switch. Never evidence of isolation (it stops at the switch); verify emulates it.
    std::set<std::string, std::less<>> protected_ports;
    std::size_t skipped_lines = 0;            // inside sections nobody needs (certificates, banners)
    std::optional<RouterFilters> router;      // nftables only (audit/parse/nftables/parse_nftables.cpp)

    // The line where interface `name` is defined (its last definition); 0 when it is not.
    int interface_line(std::string_view name) const;
    // Makes `line` the line of `name`, whatever records it had (a map's assignment): for a
    // parser whose definitions do not come in line order. O(log n) per call.
    void set_interface_line(std::string_view name, int line);
    // Records that access port `port` carries microseg's isolation ACL `acl` (kept once).
    void keep_isolation_acl(const Acl& acl, std::string_view port);
    // Records that access port `port` filters what enters it with `acl` (kept once).
    void keep_port_acl(const Acl& acl, std::string_view port);
    // Reads the microseg header from the first line of `text`, if it has one.
    void read_header(std::string_view text);
    // The Uncertainty of `kind` on `interface`, however either is spelt ("Vlan130", "vlan130").
    const Uncertainty* uncertainty(UncertainKind kind, std::string_view interface) const;
    // The outbound ACL of the live SVI whose subnet holds `destination`: what this switch
    // routes there may yet be dropped by it.
    const Uncertainty* outbound_acl_towards(const IpAddress& destination) const;
};

// Every interface name of `config` with its interface_line, by name (dumps and tests).
std::map<std::string, int> interface_line_map(const ParsedConfig& config);

// Limits against crafted configs (README "Limits"); past them a parser warns and reads no more
// of that kind, so memory stays bounded and the findings that depend on it are "unknown".
inline constexpr std::size_t kMaxConfigInterfaces = 16'384;     // names after range expansion
inline constexpr std::size_t kMaxConfigAclEntries = 1'000'000;  // summed over the SVIs' ACLs

}  // namespace microseg
