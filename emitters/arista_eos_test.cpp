#include <doctest/doctest.h>

#include <charconv>

#include "emitters/ios_style.hpp"
#include "emitters/test_fixture.hpp"

using namespace microseg;
using test::contains_line;

TEST_CASE("EOS: prefix notation, numbered ACL lines, EOS interface ranges") {
    auto p = test::sample_policy(PlatformId::arista_eos);
    auto out = emitter_for(PlatformId::arista_eos).emit(p, p.switches()[0]);
    REQUIRE(out);
    const auto& text = out->text;
    CHECK(contains_line(text, "ip access-list MS_IN_IMAGING-MODALITY"));
    CHECK(text.find("ip access-list extended") == std::string::npos);
    CHECK(text.find("permit tcp 10.120.0.0/24 10.130.0.0/26 eq 104\n") != std::string::npos);
    CHECK(text.find("permit tcp 10.120.0.0/24 eq 5938 172.31.200.0/24 established\n") != std::string::npos);
    CHECK(text.find("permit udp 10.120.0.0/24 eq 161 10.200.0.0/21 range 1024 65535\n") != std::string::npos);
    CHECK(contains_line(text, "interface Ethernet1-8"));
    CHECK(contains_line(text, "interface Ethernet9-10"));
    CHECK(contains_line(text, "   ip address 10.110.0.1/22"));
    CHECK(contains_line(text, "   ip access-group MS_IN_INFUSION-PUMP in"));
}

TEST_CASE("EOS: sequence numbers rise by 10 inside each ACL") {
    auto p = test::sample_policy(PlatformId::arista_eos);
    auto text = emitter_for(PlatformId::arista_eos).emit(p, p.switches()[0])->text;
    int last = 0;
    std::size_t numbered = 0;
    for (const auto& line : test::lines_starting(text, "   ")) {
        int seq = 0;
        auto body = std::string_view(line).substr(3);
        auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), seq);
        if (ec != std::errc()) continue;  // not an ACL line
        CHECK((seq == 10 || seq == last + 10));
        last = seq;
        ++numbered;
    }
    CHECK(numbered > 10);
}

TEST_CASE("EOS: isolation is an ingress port ACL on the isolated class's ports only") {
    auto p = test::sample_policy(PlatformId::arista_eos);
    auto out = emitter_for(PlatformId::arista_eos).emit(p, p.switches()[0]);
    REQUIRE(out);
    const auto& text = out->text;
    CHECK(text.find("interface Ethernet1-8\n   description microseg infusion-pump\n   switchport mode access\n"
                    "   switchport access vlan 110\n   ip access-group MS_ISO_INFUSION-PUMP in\n!")
          != std::string::npos);
    CHECK(test::lines_starting(text, "   ip access-group MS_ISO_").size() == 1);
    // Gateway reachable, peers denied, the rest left to the SVI ACL.
    CHECK(contains_line(text, "   20 permit ip 10.110.0.0/22 host 10.110.0.1"));
    CHECK(contains_line(text, "   40 deny ip 10.110.0.0/22 10.110.0.0/22 log"));
    CHECK(contains_line(text, "   60 permit ip any any"));
    // The isolation ACL's 3 entries count towards the budget too.
    std::size_t svi_entries = intended_acl(p, *p.find_class("infusion-pump")).entries.size() +
                              intended_acl(p, *p.find_class("imaging-modality")).entries.size();
    CHECK(out->ace_count == svi_entries + 3);
}
