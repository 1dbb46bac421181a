#pragma once
// Reads saved configurations from a directory, `<dir>/<switch>.<ext>` with the platform's
// extension (model/platform.hpp): for offline diff of saved copies, and for tests of
// everything after the fetch without a network.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/config_source.hpp"

namespace microseg {

// The saved file of switch `switch_name` in `dir` (a RANCID or Oxidized archive, `audit
// --save`, a folder of MAC tables): `<name>.<ext>` for each of `extensions` in order, "" meaning
// the bare name; first spelled exactly, then ignoring case (collectors store host names as the
// device reports them). Nothing when there is none, or the name cannot safely name a file.
std::optional<std::string> find_switch_file(const std::string& dir, std::string_view switch_name,
                                            const std::vector<std::string>& extensions);

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
