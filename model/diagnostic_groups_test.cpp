#include "model/diagnostic_groups.hpp"

#include <doctest/doctest.h>

using namespace microseg;

namespace {

Diagnostics warnings(std::size_t n, std::string_view kind, std::string_view service) {
    Diagnostics d;
    for (std::size_t i = 0; i < n; ++i)
        d.warning({"p.yaml", static_cast<int>(i + 1), 5}, std::string(kind),
                  fmt::format("flow allows clear-text service '{}'; its encrypted twin '{}s' exists", service, service));
    return d;
}

}  // namespace

TEST_CASE("message shape: quoted names and numbers blanked") {
    CHECK(message_shape("VLAN 110 mixes life-criticality class 'pump' with entry class 'kiosk'") ==
          "VLAN # mixes life-criticality class '#' with entry class '#'");
    CHECK(message_shape("expired on 2027-03-31: left out") == "expired on #-#-#: left out");
    CHECK(message_shape("an unclosed 'quote") == "an unclosed 'quote");
}

TEST_CASE("repeated warnings: past 20, the first five of a group shown, the rest counted after the fifth") {
    Diagnostics d = warnings(20, "clear-text", "dicom");
    d.append(warnings(2, "clear-text", "http"));  // the same shape: one group of 22
    for (int i = 0; i < 25; ++i) d.error({"p.yaml", 50 + i, 1}, "unknown-class", fmt::format("unknown class 'x{}'", i));
    auto shown = group_repeated_warnings(d.items());
    REQUIRE(shown.size() == 5 + 25);  // errors are never grouped
    CHECK(shown[0].diagnostic->location.line == 1);
    CHECK(shown[0].more_like_it == 0);
    CHECK(shown[4].diagnostic->location.line == 5);
    CHECK(shown[4].more_like_it == 17);
    CHECK(format_more_like_it(*shown[4].diagnostic, 17) == "    ... and 17 more like this [clear-text]");
    CHECK(shown[5].diagnostic->severity == Severity::error);
}

TEST_CASE("repeated warnings: a group of 20 is shown whole; each kind is its own group") {
    Diagnostics d = warnings(20, "clear-text", "dicom");
    d.append(warnings(21, "expired-flow", "x"));
    auto shown = group_repeated_warnings(d.items());
    CHECK(shown.size() == 20 + 5);
    for (std::size_t i = 0; i < 20; ++i) CHECK(shown[i].more_like_it == 0);
    CHECK(shown[24].more_like_it == 16);
}
