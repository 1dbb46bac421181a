#pragma once
// One IOS/EOS access-list entry ("permit tcp 10.1.0.0 0.0.3.255 host 10.2.0.5 eq 443 log")
// read into model AclEntries. One line can be several entries ("eq 80 443", "neq 22").

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/acl.hpp"

namespace microseg {

struct IosAclLine {
    std::vector<AclEntry> entries;  // empty for a remark
    bool is_remark = false;
    std::string error;              // set when the line could not be read
};

// `tokens` are the words of the line, without a leading sequence number.
IosAclLine parse_ios_acl_line(std::span<const std::string_view> tokens);

// Well-known port names IOS prints instead of numbers ("www", "domain", "bootps").
std::optional<std::uint16_t> ios_port_number(std::string_view word, Protocol protocol);

}  // namespace microseg
