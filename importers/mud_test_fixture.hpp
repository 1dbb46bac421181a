#pragma once
// What the MUD tests share: the fixture files of tests/fixtures/mud/.

#include <fstream>
#include <sstream>
#include <string>

#include "importers/mud.hpp"

namespace microseg::mud::test {

inline const std::string kDir = std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/mud/";

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fixture file as the importer reads it: its path and its text.
inline MudSource fixture(const std::string& name) { return {kDir + name, slurp(kDir + name)}; }

}  // namespace microseg::mud::test
