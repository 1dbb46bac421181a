#include <doctest/doctest.h>

#include "emitters/emitter.hpp"
#include "emitters/test_fixture.hpp"
#include "model/config_file.hpp"
#include "model/switch_hash.hpp"

using namespace microseg;

TEST_CASE("every platform in the table has an emitter, and each renders the sample") {
    for (const auto& platform : platforms()) {
        CAPTURE(platform.name);
        auto p = test::sample_policy(platform.id);
        auto out = emitter_for(platform.id).emit(p, p.switches()[0]);
        REQUIRE(out);
        CHECK(out->ace_count > 0);
        // The first line names policy, the switch's own content hash and switch, in the platform's
        // comment syntax; not the policy text's hash, which changes with every edit of any switch.
        auto first = out->text.substr(0, out->text.find('\n'));
        CHECK(first == fmt::format("{} microseg policy st-mary version {} switch acc-sw-01", platform.comment_prefix,
                                   switch_content_hash(p, p.switches()[0])));
        CHECK(first.find("sha256:0123abcd") == std::string::npos);
        CHECK(parse_header_line(first));
    }
}

TEST_CASE("output is byte-identical whatever the order of classes, flows and ports") {
    for (const auto& platform : platforms()) {
        CAPTURE(platform.name);
        auto a = test::sample_policy(platform.id);
        auto parts = test::sample_parts(platform.id);
        std::reverse(parts.classes.begin(), parts.classes.end());
        std::reverse(parts.flows.begin(), parts.flows.end());
        std::reverse(parts.switches[0].ports.begin(), parts.switches[0].ports.end());
        std::reverse(parts.switches[0].gateway_for.begin(), parts.switches[0].gateway_for.end());
        Policy b(std::move(parts));
        auto x = emitter_for(platform.id).emit(a, a.switches()[0]);
        auto y = emitter_for(platform.id).emit(b, b.switches()[0]);
        REQUIRE(x);
        REQUIRE(y);
        CHECK(x->text == y->text);
        CHECK(x->ace_count == y->ace_count);
    }
}

TEST_CASE("over the ACE budget is an error naming the switch; tcam_budget overrides") {
    auto p = test::sample_policy();
    auto ok = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0]);
    REQUIRE(ok);
    auto parts = p.parts();
    parts.switches[0].tcam_budget = static_cast<int>(ok->ace_count) - 1;
    Policy tight(parts);
    auto over = emitter_for(PlatformId::cisco_ios).emit(tight, tight.switches()[0]);
    REQUIRE_FALSE(over);
    CHECK(over.error().message.find("switch 'acc-sw-01'") != std::string::npos);
    CHECK(over.error().kind == "over-budget");
    parts.switches[0].tcam_budget = static_cast<int>(ok->ace_count);
    Policy enough(std::move(parts));
    CHECK(emitter_for(PlatformId::cisco_ios).emit(enough, enough.switches()[0]));
}

TEST_CASE("an unsafe interface name or an IPv6 SVI on an IPv4-only platform renders nothing") {
    auto parts = test::sample_parts();
    parts.switches[0].ports.push_back({"Gi1/0/40\n shutdown", "pacs", {}});
    Policy p(std::move(parts));
    auto bad = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0]);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("unsafe interface name") != std::string::npos);
    auto v6_parts = test::sample_parts(PlatformId::junos);
    v6_parts.classes[1].subnets.push_back(*Cidr::parse("2001:db8:120::/64"));
    v6_parts.classes[1].addresses = AddressSet(v6_parts.classes[1].subnets);
    Policy v6(v6_parts);
    auto junos = emitter_for(PlatformId::junos).emit(v6, v6.switches()[0]);
    REQUIRE_FALSE(junos);
    CHECK(junos.error().message.find("IPv6") != std::string::npos);
    v6_parts.switches[0].platform = PlatformId::nftables;
    Policy v6_nft(std::move(v6_parts));
    CHECK(emitter_for(PlatformId::nftables).emit(v6_nft, v6_nft.switches()[0]));
}
