#include <doctest/doctest.h>

#include "model/config_file.hpp"
#include "model/policy.hpp"

using namespace microseg;

TEST_CASE("file names cannot be steered by policy text, and safe names stay as they are") {
    CHECK(config_file_name("../../etc/passwd", PlatformId::cisco_ios).find('/') == std::string::npos);
    CHECK(config_file_name("../../etc/passwd", PlatformId::cisco_ios).ends_with(".ios"));
    CHECK(config_file_name("acc-sw-01", PlatformId::nftables) == "acc-sw-01.nft");
    CHECK(config_file_name("ACC_sw_01", PlatformId::junos) == "ACC_sw_01.junos");
}

TEST_CASE("a name the file rules rewrite gets a hash, and is looked up under that name first") {
    auto dotted = config_file_name("clinic.sw-01", PlatformId::cisco_ios);
    CHECK(dotted.starts_with("clinic_sw-01_"));
    CHECK(dotted.ends_with(".ios"));
    CHECK(dotted != config_file_name("clinic_sw-01", PlatformId::cisco_ios));  // no collision
    auto candidates = config_file_candidates("clinic.sw-01", "ios");
    REQUIRE(candidates.size() == 2);
    CHECK(candidates[0] == dotted);
    CHECK(candidates[1] == "clinic.sw-01.ios");  // as an archive names it
    CHECK(config_file_candidates("acc-sw-01", "ios") == std::vector<std::string>{"acc-sw-01.ios"});
    CHECK(config_file_candidates("../x", "ios").size() == 1);  // never the raw unsafe name
}

TEST_CASE("the header line is written and read back in one place, for every platform") {
    PolicyParts parts;
    parts.name = "st mary";  // free text may hold spaces
    parts.version_hash = "0728ae1411f54b6d";
    const Policy p(parts);
    for (const auto& platform : platforms()) {
        CAPTURE(platform.name);
        Switch sw;
        sw.name = "clinic.sw-01";
        sw.platform = platform.id;
        auto line = header_line(p, sw);
        auto header = parse_header_line(line);
        REQUIRE(header);
        CHECK(header->policy_name == "st mary");
        // The switch's own content hash, not the policy text's.
        CHECK(header->version != "0728ae1411f54b6d");
        CHECK(header->version.size() == 16);
        CHECK(header->switch_name == "clinic.sw-01");
        CHECK(header_matches(*header, p, sw));
        auto header_in_text = find_header(line + "\r\nhostname x\n");
        REQUIRE(header_in_text);
        CHECK(header_in_text->switch_name == "clinic.sw-01");
        Switch other = sw;
        other.name = "clinic.sw-02";
        CHECK_FALSE(header_matches(*header, p, other));  // another switch's config
        PolicyParts newer_parts = parts;
        newer_parts.version_hash = "0728ae1411f54b6e";
        const Policy newer(newer_parts);
        CHECK(header_matches(*header, newer, sw));  // the policy text changed, not this switch
        Switch trunked = sw;
        trunked.trunks.push_back({"uplink1", {10}, {}});
        CHECK_FALSE(header_matches(*header, p, trunked));  // what the switch must carry changed
    }
}

TEST_CASE("a header cannot be forged by policy text, and other first lines are not headers") {
    PolicyParts parts;
    parts.name = "x\nflush ruleset";
    parts.version_hash = "v1";
    const Policy p(std::move(parts));
    Switch sw;
    sw.name = "acc-sw-01";
    auto line = header_line(p, sw);
    CHECK(line.find('\n') == std::string::npos);
    CHECK_FALSE(parse_header_line("hostname acc-sw-01"));
    CHECK_FALSE(parse_header_line("!microseg"));
    CHECK_FALSE(parse_header_line("! microseg policy x"));  // no version, no switch
    CHECK_FALSE(find_header("hostname a\n! microseg policy a version b switch c\n"));  // first line only
}
