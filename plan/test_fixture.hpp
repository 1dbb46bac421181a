#pragma once
// What the plan tests share: the real-looking running configs of tests/fixtures/<platform>/.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace microseg::test {

// The text of tests/fixtures/<relative> ("junos/ex3400-els.conf"); the test fails when it is missing.
inline std::string fixture_text(const std::string& relative) {
    std::ifstream in(std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/" + relative, std::ios::binary);
    REQUIRE_MESSAGE(in, relative);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace microseg::test
