#include <doctest/doctest.h>

#include "model/naming.hpp"

using namespace microseg;

TEST_CASE("clean names keep their spelling behind the prefix") {
    CHECK(safe_identifier("infusion-pump", ios_acl_rules()) == "MS_IN_INFUSION-PUMP");
    CHECK(safe_identifier("infusion-pump", nft_name_rules()) == "from_infusion-pump");
    CHECK(safe_identifier("pacs", junos_name_rules()) == "pacs");
    CHECK(safe_identifier("ws+guest", ios_vlan_rules()) == "ws+guest");
}

TEST_CASE("a newline, quote or space never survives, and a hash keeps names apart") {
    auto a = safe_identifier("a b", nft_name_rules());
    auto b = safe_identifier("a_b", nft_name_rules());
    CHECK(a != b);
    CHECK(b == "from_a_b");
    CHECK(a.starts_with("from_a_b_"));
    for (const char* evil : {"x\ny", "x\"; drop", "x'y", "x y", "x\ttable", "x\\", "x\r"}) {
        auto id = safe_identifier(evil, nft_name_rules());
        CAPTURE(id);
        CHECK(id.find_first_of(" \n\r\t\"'\\;") == std::string::npos);
        CHECK(id.size() <= 64);
    }
}

TEST_CASE("keywords and over-long names are rewritten; limits hold") {
    NameRules bare = nft_name_rules();
    bare.prefix = "";
    auto fwd = safe_identifier("fwd", bare);
    CHECK(fwd != "fwd");
    CHECK(fwd.starts_with("fwd_"));
    CHECK(safe_identifier("fwd", nft_name_rules()) == "from_fwd");  // the prefix suffices
    std::string long_name(200, 'a');
    auto vlan = safe_identifier(long_name, ios_vlan_rules());
    CHECK(vlan.size() == 32);
    CHECK(vlan != safe_identifier(long_name + "b", ios_vlan_rules()));
    CHECK(safe_identifier("1st-floor", junos_name_rules()).front() == 'v');
    CHECK(safe_identifier("", junos_name_rules()).size() > 1);
}

TEST_CASE("a set of names maps one to one") {
    auto m = safe_identifiers({"a b", "a_b", "a-b", "a b"}, nft_name_rules());
    REQUIRE(m);
    CHECK(m->size() == 3);
    CHECK(m->at("a b") != m->at("a_b"));
}

TEST_CASE("free text and interface names") {
    CHECK(safe_comment("to pacs\nend\n") == "to pacs_end_");
    CHECK(safe_comment("a\"b'c") == "a_b_c");
    CHECK(safe_comment(std::string(300, 'x')).size() == 100);
    CHECK(is_safe_interface_name("GigabitEthernet1/0/1"));
    CHECK(is_safe_interface_name("ge-0/0/1.100"));
    CHECK_FALSE(is_safe_interface_name("Gi1/0/1\n shutdown"));
    CHECK_FALSE(is_safe_interface_name("Gi1/0/1 x"));
    CHECK_FALSE(is_safe_interface_name(""));
}
