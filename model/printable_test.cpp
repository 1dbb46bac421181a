#include <doctest/doctest.h>

#include "model/printable.hpp"

using microseg::printable;

TEST_CASE("printable: terminal escapes a device sent are shown, never obeyed") {
    CHECK(printable("interface Gi1/0/1") == "interface Gi1/0/1");
    CHECK(printable("\x1b[1A\x1b[2K\x1b[8mhidden") == "\\x1b[1A\\x1b[2K\\x1b[8mhidden");
    CHECK(printable("title\x1b]0;pwned\x07 bell") == "title\\x1b]0;pwned\\x07 bell");
    CHECK(printable(std::string_view("a\0b\rc\x7f", 6)) == "a\\x00b\\x0dc\\x7f");
    CHECK(printable("tab\tstays, caf\xc3\xa9 too") == "tab\tstays, caf\xc3\xa9 too");
    CHECK(printable("line\nbreak") == "line\\x0abreak");
}
