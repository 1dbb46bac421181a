// Cisco IOS-XE `show running-config` -> ParsedConfig. Everything but the dialect is shared
// with EOS in audit/parse/ios/ios_style_parser.cpp.
#include "audit/parse/ios/ios_style_parser.hpp"
#include "audit/parse/registry.hpp"

namespace microseg {

ParsedConfig parse_cisco_ios(std::string_view text) {
    return parse_ios_style(text, {PlatformId::cisco_ios});
}

}  // namespace microseg
