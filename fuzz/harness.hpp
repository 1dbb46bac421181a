#pragma once
// fuzz/: hostile-input harnesses. Each named target feeds one input (arbitrary bytes) to one
// front end of microseg: the policy compiler, a config parser, the redactor, the semantic ACL
// diff. The same table serves the libFuzzer executables (fuzz/fuzz_main.cpp, built only in the
// MICROSEG_FUZZ configuration, `make fuzz`) and the regression test that replays every saved
// crashing input in tests/regressions/<target>/ in the normal build.
//
// Every platform of the platform table gets a config-parser target "parse_<platform>" (dashes
// as underscores) without an edit here; it still needs its microseg_fuzz_target() line in
// fuzz/CMakeLists.txt (tests/platform_table_test.cpp checks). Another target: one line in the
// table in fuzz/harness.cpp and one in fuzz/CMakeLists.txt.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/platform.hpp"

namespace microseg::fuzz {

// Runs one input. Returns an empty string when all is well, else what property failed (the
// fuzzer aborts on it, the regression test fails). A crash is, of course, also a failure.
using RunOne = std::function<std::string(std::string_view input)>;

struct Target {
    std::string name;  // also the folder name under tests/regressions/
    RunOne run;
};

const std::vector<Target>& targets();
// "parse_cisco_ios": the config-parser target of a platform.
std::string config_parser_target_name(PlatformId platform);
const Target* find_target(std::string_view name);

}  // namespace microseg::fuzz
