#pragma once
// Harness target for the flow-record readers (traffic/flow_reader.hpp), registered in the table
// of fuzz/harness.cpp.

#include <string>
#include <string_view>

namespace microseg::fuzz {

// Reads the input as a flow file and checks what every read must satisfy: records, bad lines
// and skipped lines never outnumber the lines; every record and warning names a line that
// exists; warnings are capped; and the records fold into sessions that ObservedTraffic counts
// exactly once each.
std::string run_flow_records(std::string_view input);

}  // namespace microseg::fuzz
