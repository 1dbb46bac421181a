// Arista EOS `show running-config` -> ParsedConfig: IOS-style, with prefix-length addresses,
// sequence-numbered ACL entries, "interface Ethernet1-24" ranges and port ACLs for isolation.
#include "audit/parse/ios/ios_style_parser.hpp"
#include "audit/parse/registry.hpp"

namespace microseg {

ParsedConfig parse_arista_eos(std::string_view text) {
    return parse_ios_style(text, {PlatformId::arista_eos});
}

}  // namespace microseg
