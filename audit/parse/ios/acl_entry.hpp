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

// What one line gave. Its entries go straight onto the caller's list: a parser reads
// thousands of lines into one ACL, and a list per line was most of the allocations.
struct IosAclLine {
    std::size_t entries = 0;  // appended; none for a remark or an error
    bool is_remark = false;
    std::string error;        // set when the line could not be read
};

// The address last read at each place of an entry, kept by the caller from one line of an ACL
// to the next: an ACL's entries mostly repeat their source ("10.1.0.0 0.0.3.255" on every
// line), and reading it again was a fifth of reading a gateway. Views into the config text.
struct IosAclMemo {
    struct Address {
        std::string_view first, second;  // its words ("host A", "A WILDCARD", "A/len": second empty)
        Cidr cidr;
        std::string_view wildcard_word;  // the last wildcard read here: destinations change, it stays
        IpAddress wildcard;
    };
    Address source, destination;
};

// `tokens` are the words of the line, without a leading sequence number.
IosAclLine parse_ios_acl_line(std::span<const std::string_view> tokens, std::vector<AclEntry>& entries,
                              IosAclMemo& memo);

// An entry of a standard list ("permit 10.1.0.0 0.0.0.255", "deny host 10.1.1.5 log",
// "permit 10.1.1.5": a host): it matches the source only, so it reads as "ACTION ip SRC any".
IosAclLine parse_ios_standard_acl_line(std::span<const std::string_view> tokens, std::vector<AclEntry>& entries,
                                       IosAclMemo& memo);

// Well-known port names IOS prints instead of numbers ("www", "domain", "bootps").
std::optional<std::uint16_t> ios_port_number(std::string_view word, Protocol protocol);

}  // namespace microseg
