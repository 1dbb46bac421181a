#pragma once
// Reads saved configurations from a directory, `<dir>/<switch>.<ext>` with the platform's
// extension (model/platform.hpp): for offline diff of saved copies, and for tests of
// everything after the fetch without a network.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/fetch/config_source.hpp"

namespace microseg {

// A directory of saved files, one per switch (a RANCID or Oxidized archive, `audit --save`, a
// folder of MAC tables). Its listing is read once, at the first name not spelled exactly, so
// that thousands of switches missing from a big archive do not list it thousands of times.
class SavedFileDirectory {
public:
    explicit SavedFileDirectory(std::string dir) : dir_(std::move(dir)) {}
    // The saved file of switch `switch_name`: for each of `extensions` in order ("" meaning no
    // extension), the names of config_file_candidates (the name `compile` and `audit --save`
    // write, then the raw name when it is file-safe); first spelled exactly, then ignoring case
    // (collectors store host names as the device reports them). Nothing when there is none.
    std::optional<std::string> find(std::string_view switch_name, const std::vector<std::string>& extensions);

private:
    std::string dir_;
    // Lower-cased file name -> the first such file in sorted order; filled on first use.
    std::optional<std::unordered_map<std::string, std::string>> by_lower_name_;
};

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
