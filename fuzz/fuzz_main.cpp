// One libFuzzer executable per harness target; FUZZ_TARGET_NAME picks it (fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const microseg::fuzz::Target* target = microseg::fuzz::find_target(FUZZ_TARGET_NAME);
    if (target == nullptr) {
        std::fprintf(stderr, "no fuzz target named %s\n", FUZZ_TARGET_NAME);
        std::abort();
    }
    std::string failed = target->run({reinterpret_cast<const char*>(data), size});
    if (!failed.empty()) {
        std::fprintf(stderr, "%s: property failed: %s\n", FUZZ_TARGET_NAME, failed.c_str());
        std::abort();
    }
    return 0;
}
