#pragma once
// The IOS-style configuration reader shared by Cisco IOS-XE and Arista EOS: the line/block
// structure, VLANs, interfaces, SVIs and named ACLs. A platform passes the little that differs.

#include <string_view>

#include "model/as_built.hpp"

namespace microseg {

struct IosParseDialect {
    PlatformId platform;
};

ParsedConfig parse_ios_style(std::string_view text, const IosParseDialect& dialect);

}  // namespace microseg
