#include "audit/parse/registry.hpp"

namespace microseg {

ConfigParser parser_for(PlatformId platform) {
    // The registry: one row per platform of model/platform.cpp.
    static const PlatformEntry<ConfigParser> kRegistry[] = {
        {PlatformId::cisco_ios, parse_cisco_ios},
        {PlatformId::arista_eos, parse_arista_eos},
        {PlatformId::junos, parse_junos},
        {PlatformId::nftables, parse_nftables},
    };
    return platform_entry(kRegistry, platform, "config parser");
}

}  // namespace microseg
