#pragma once
// Harness target for the flow-file readers (traffic/flow_reader.hpp), registered in the table of
// fuzz/harness.cpp.

#include <string>
#include <string_view>

namespace microseg::fuzz {

// Reads the input as a flow file and checks what every read must satisfy: either the one
// "unknown format" error at line 1 or a summary whose counts add up to at most the lines read;
// records in line order, each on a line of the input; ICMP without ports; no time running
// backwards; warnings located, of the one kind, and no more than kMaxWarnings.
std::string run_flows(std::string_view input);

}  // namespace microseg::fuzz
