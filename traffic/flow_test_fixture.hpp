#pragma once
// What the flow-reader tests share: the fixtures of tests/fixtures/traffic/ and a read that
// keeps every record.

#include <optional>
#include <string>
#include <vector>

#include "traffic/flow_reader.hpp"

namespace microseg::traffic::test {

inline const std::string kFixtures = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/traffic/";

struct Read {
    std::optional<Result<ReadSummary>> result;
    std::vector<FlowRecord> records;

    bool ok() const { return result && result->ok(); }
    const ReadSummary& summary() const { return result->value(); }
};

inline Read read_text(std::string_view text, const std::string& name = "flows.txt") {
    Read r;
    r.result.emplace(read_flow_text(text, name, [&](const FlowRecord& f) { r.records.push_back(f); }));
    return r;
}

inline Read read_file(const std::string& path) {
    Read r;
    r.result.emplace(read_flow_file(path, [&](const FlowRecord& f) { r.records.push_back(f); }));
    return r;
}

inline Read read_fixture(const std::string& name) { return read_file(kFixtures + name); }

inline IpAddress ip(std::string_view text) { return *IpAddress::parse(text); }

}  // namespace microseg::traffic::test
