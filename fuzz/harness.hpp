#pragma once
// fuzz/: hostile-input harnesses. Each named target feeds one input (arbitrary bytes) to one
// front end of microseg: the policy compiler, a config parser, the redactor, the semantic ACL
// diff. The same table serves the libFuzzer executables (fuzz/fuzz_main.cpp, built only in the
// MICROSEG_FUZZ configuration, `make fuzz`) and the regression test that replays every saved
// crashing input in tests/regressions/<target>/ in the normal build.
//
// Adding a target (say a new parser): one line in the table in
// fuzz/harness.cpp and one microseg_fuzz_target() line in fuzz/CMakeLists.txt.

#include <string>
#include <string_view>
#include <vector>

namespace microseg::fuzz {

// Runs one input. Returns an empty string when all is well, else what property failed (the
// fuzzer aborts on it, the regression test fails). A crash is, of course, also a failure.
using RunOne = std::string (*)(std::string_view input);

struct Target {
    std::string_view name;  // also the folder name under tests/regressions/
    RunOne run;
};

const std::vector<Target>& targets();
const Target* find_target(std::string_view name);

}  // namespace microseg::fuzz
