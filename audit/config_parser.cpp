#include <array>
#include <utility>

#include "audit/parsed_config.hpp"

namespace microseg {

ConfigParser parser_for(PlatformId platform) {
    static const std::array<std::pair<PlatformId, ConfigParser>, 4> table = {{
        {PlatformId::cisco_ios, parse_cisco_ios},
        {PlatformId::arista_eos, parse_arista_eos},
        {PlatformId::junos, parse_junos},
        {PlatformId::nftables, parse_nftables},
    }};
    for (const auto& [id, parser] : table)
        if (id == platform) return parser;
    return nullptr;
}

}  // namespace microseg
