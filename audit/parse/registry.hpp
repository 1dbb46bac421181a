#pragma once
// audit/parse/: reading what switches print. One parser per platform (ios/, junos/, nftables/)
// turns running-configuration text into the as-built model (model/as_built.hpp), plus what it
// could not read; mac/ reads MAC address tables and device inventories for placement; redact
// hides secrets in config text before anything stores or reports it. Parsers never fail on
// content: what they cannot read becomes a located warning. Nothing here talks to a device
// (audit/fetch/) or judges drift (audit/drift/).

#include <string_view>

#include "model/as_built.hpp"
#include "model/platform.hpp"

namespace microseg {

// A parser never fails on content: what it cannot read becomes a warning.
using ConfigParser = ParsedConfig (*)(std::string_view text);

// The parser for a platform (the table in audit/parse/registry.cpp). Every platform of the
// platform table has one; asking for a missing one is a programming error (std::logic_error),
// which the platform-table test rules out.
ConfigParser parser_for(PlatformId platform);

// Each platform's entry point (audit/parse/<family>/parse_<platform>.cpp).
ParsedConfig parse_cisco_ios(std::string_view text);
ParsedConfig parse_arista_eos(std::string_view text);
ParsedConfig parse_junos(std::string_view text);
ParsedConfig parse_nftables(std::string_view text);

}  // namespace microseg
