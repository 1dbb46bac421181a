#pragma once
// Reads saved configurations from a directory, `<dir>/<switch>.<ext>` with the platform's
// extension (model/platform.hpp): for offline diff of saved copies, and for tests of
// everything after the fetch without a network.

#include <string>

#include "audit/config_source.hpp"

namespace microseg {

class FileSource : public ConfigSource {
public:
    explicit FileSource(std::string dir) : dir_(std::move(dir)) {}
    // No file: "no saved config". A file without the platform's end marker: "truncated",
    // exactly as a live pull that ended early.
    FetchResult fetch(const FetchTarget& target) override;

private:
    std::string dir_;
};

}  // namespace microseg
