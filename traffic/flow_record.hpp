#pragma once
// traffic/ owns what microseg learns from traffic that really flows: the flow-record readers
// (Zeek conn.log TSV and JSON, nfdump CSV, a plain CSV), the folding of one-direction NetFlow
// records into sessions, their mapping onto the policy's classes and services, and the two
// answers built on that: `learn` (a proposed flows: section) and `simulate` (what a policy
// would block of what is seen, and which allowances nothing uses). Depends on model/ only.

#include <cstdint>
#include <string>

#include "model/diagnostic.hpp"
#include "model/ip.hpp"

namespace microseg::traffic {

// IANA protocol numbers the readers meet most; any other number is carried as is.
inline constexpr std::uint8_t kIcmp = 1, kTcp = 6, kUdp = 17, kIcmpV6 = 58;

// One record as its source wrote it. A Zeek or plain-CSV record is a session whose initiator
// is `src`; a NetFlow record (nfdump) is one direction of a session whose roles are unknown
// until folded (traffic/sessions.hpp).
struct FlowRecord {
    IpAddress src;
    IpAddress dst;
    std::uint8_t protocol = 0;       // IANA number
    std::uint16_t src_port = 0;      // 0 for protocols without ports
    std::uint16_t dst_port = 0;      // ICMP: 0 (type and code are not a service)
    std::uint64_t sessions = 1;      // the plain CSV's `count`; 1 elsewhere
    std::uint64_t bytes = 0;         // every byte the record covers (Zeek: orig + resp)
    std::int64_t first_ms = 0;       // Unix time in milliseconds; 0 when the source has none
    std::int64_t last_ms = 0;
    bool initiator_known = false;    // true: src initiated (Zeek orig -> resp, plain CSV)
    std::uint64_t src_mac = 0;       // 48-bit MAC when the source carries one; 0: none
    std::uint64_t dst_mac = 0;
    std::string exporter;            // nfdump: the exporting device (`ra`, or engine id); else empty
    int line = 0;                    // 1-based line in its file, for evidence
};

}  // namespace microseg::traffic
