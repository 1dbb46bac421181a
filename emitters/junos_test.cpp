#include <doctest/doctest.h>

#include <map>
#include <set>

#include "emitters/test_fixture.hpp"

using namespace microseg;
using test::contains_line;

namespace {

struct Term {
    std::vector<std::string> from;
    std::vector<std::string> then;
};

// filter -> term -> conditions and actions, from the set lines.
std::map<std::string, std::map<std::string, Term>> parse_filters(const std::string& text) {
    std::map<std::string, std::map<std::string, Term>> out;
    const std::string prefix = "set firewall family inet filter ";
    for (const auto& line : test::lines_starting(text, prefix)) {
        std::string rest = line.substr(prefix.size());
        auto filter = rest.substr(0, rest.find(' '));
        rest = rest.substr(filter.size() + 6);  // " term "
        auto term = rest.substr(0, rest.find(' '));
        rest = rest.substr(term.size() + 1);
        auto& t = out[filter][term];
        if (rest.starts_with("from ")) t.from.push_back(rest.substr(5));
        else if (rest.starts_with("then ")) t.then.push_back(rest.substr(5));
        else FAIL("unexpected filter line: " << line);
    }
    return out;
}

}  // namespace

TEST_CASE("Junos: set-style only, every line a set command or the header") {
    auto p = test::sample_policy(PlatformId::junos);
    auto out = emitter_for(PlatformId::junos).emit(p, p.switches()[0]);
    REQUIRE(out);
    auto lines = test::lines_starting(out->text, "");
    CHECK(lines.front().starts_with("# microseg policy"));
    for (std::size_t i = 1; i < lines.size(); ++i) CHECK(lines[i].starts_with("set "));
}

TEST_CASE("Junos: one term per intended entry; accept or discard ends each; replies stateless") {
    auto p = test::sample_policy(PlatformId::junos);
    auto out = emitter_for(PlatformId::junos).emit(p, p.switches()[0]);
    REQUIRE(out);
    auto filters = parse_filters(out->text);
    REQUIRE(filters.size() == 2);
    const auto& modality = filters.at("ms-in-imaging-modality");
    CHECK(modality.size() == intended_acl(p, *p.find_class("imaging-modality")).entries.size());
    std::size_t terms = 0;
    for (const auto& [name, filter] : filters) {
        terms += filter.size();
        for (const auto& [term, t] : filter) {
            CAPTURE(term);
            REQUIRE_FALSE(t.then.empty());
            bool deny = term == "deny-rest";
            CHECK(t.then.back() == (deny ? "discard" : "accept"));
            if (deny) CHECK(t.from.empty());  // matches everything that is left
            else CHECK_FALSE(t.from.empty());  // nothing else permits everything
        }
    }
    CHECK(out->ace_count == terms + 3);  // and the pumps' isolation filter: gateway, peers, rest
    const auto& reply = modality.at("t0050");
    CHECK(reply.from == std::vector<std::string>{"source-address 10.120.0.0/24", "destination-address 172.31.200.0/24",
                                                 "protocol tcp", "source-port 5938", "tcp-established"});
    CHECK(modality.at("t0060").from == std::vector<std::string>{"source-address 10.120.0.0/24",
                                                                 "destination-address 10.200.0.0/21", "protocol udp",
                                                                 "source-port 161", "destination-port 1024-65535"});
    CHECK(modality.at("t0040").from.back() == "icmp-type echo-reply");
    CHECK(modality.at("deny-rest").then == std::vector<std::string>{"syslog", "discard"});
}

TEST_CASE("Junos: VLANs, irb, interface ranges, trunk members, isolation") {
    auto p = test::sample_policy(PlatformId::junos);
    auto text = emitter_for(PlatformId::junos).emit(p, p.switches()[0])->text;
    CHECK(contains_line(text, "set vlans infusion-pump vlan-id 110"));
    CHECK(text.find("no-local-switching") == std::string::npos);  // ELS: the port filter isolates
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump unit 0 family ethernet-switching "
                              "filter input ms-iso-infusion-pump"));
    CHECK(contains_line(text, "set vlans imaging-modality l3-interface irb.120"));
    CHECK_FALSE(contains_line(text, "set vlans pacs l3-interface irb.130"));
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump member-range ge-0/0/1 to ge-0/0/8"));
    CHECK(contains_line(text, "set interfaces interface-range ms-imaging-modality member ge-0/0/12"));
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump unit 0 family ethernet-switching vlan members infusion-pump"));
    CHECK(test::lines_starting(text, "set interfaces xe-0/1/0 unit 0 family ethernet-switching vlan members").size() == 3);
    CHECK(contains_line(text, "set interfaces irb unit 110 family inet address 10.110.0.1/22"));
    CHECK(contains_line(text, "set interfaces irb unit 110 family inet filter input ms-in-infusion-pump"));
}
