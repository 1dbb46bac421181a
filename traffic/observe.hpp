#pragma once
// The whole reading: every flow file in turn (format detected per file) through one session
// folder (so two exporters' copies in two files count once) into one ObservedTraffic.

#include <memory>
#include <string>
#include <vector>

#include "traffic/flow_reader.hpp"
#include "traffic/observed.hpp"

namespace microseg::traffic {

struct FlowInput {
    std::string file;  // as given; "-" is standard input
    ReadSummary read;
};

struct Observation {
    std::unique_ptr<ObservedTraffic> traffic;
    std::vector<FlowInput> inputs;       // Session::file indexes this
    std::uint64_t records = 0;
    std::uint64_t bad_lines = 0;
    std::uint64_t duplicates = 0;        // NetFlow records another exporter also sent
    std::uint64_t paired = 0;            // sessions made of two one-direction records
    std::vector<Diagnostic> warnings;    // bad lines, the first kMaxWarnings of each file
};

// An error when a file cannot be read or is no flow file; bad lines are only warnings.
Result<Observation> observe(const Policy& policy, const std::vector<std::string>& files,
                            const std::vector<InventoryEntry>& inventory);

}  // namespace microseg::traffic
