#pragma once
// Reading flow records: the format is detected from the file's first lines, and each record is
// handed to a sink as soon as it is read (streaming: memory does not grow with the file).
// A bad line is a `file:line` warning, counted, and skipped; it never aborts the read. A file
// that is none of the formats is an error naming the formats tried.

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "traffic/flow_record.hpp"

namespace microseg::traffic {

enum class FlowFormat : std::uint8_t { zeek_tsv, zeek_json, nfdump_csv, plain_csv };
std::string_view to_string(FlowFormat f);  // "Zeek conn.log (TSV)", ...

struct ReadSummary {
    FlowFormat format = FlowFormat::plain_csv;
    std::uint64_t records = 0;     // handed to the sink
    std::uint64_t bad_lines = 0;   // skipped, each with a warning (the first kMaxWarnings kept)
    std::uint64_t skipped = 0;     // well-formed lines that are no flow (nfdump's summary, comments)
    std::vector<Diagnostic> warnings;
};
inline constexpr std::size_t kMaxWarnings = 20;

using RecordSink = std::function<void(const FlowRecord&)>;

// Reads `file` ("-" for standard input, named "<stdin>" in locations) to its end. The error
// case: unreadable, or no format recognised (the message names every format tried).
Result<ReadSummary> read_flow_file(const std::string& file, const RecordSink& sink);
// The same over text already in memory (tests, fuzzing); `name` is used in locations.
Result<ReadSummary> read_flow_text(std::string_view text, const std::string& name, const RecordSink& sink);

}  // namespace microseg::traffic
