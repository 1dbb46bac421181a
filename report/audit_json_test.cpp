#include <doctest/doctest.h>

#include "report/audit_json.hpp"

using namespace microseg;
using namespace microseg::report;

namespace {

// As audit/drift/render.cpp render_json writes it.
const char* kAudit = R"({
  "policy": "st-mary",
  "version": "abc123",
  "switches": [
    {
      "name": "acc-icu-01",
      "platform": "ios",
      "source": "/tmp/acc-icu-01.ios",
      "status": "drifted",
      "carries_current_intent": true,
      "findings": [
        {"kind": "acl-exposure", "impact": "exposure", "subject": "ACL on Vlan200",
         "message": "permits tcp/3389 \u003cnew\u003e", "line": 42, "example_packet": "10.200.0.1 -> 10.110.0.1 tcp/3389"},
        {"kind": "vlan-missing", "impact": "outage", "subject": "VLAN 110", "message": "missing", "line": 0}
      ],
      "live_only_flows": [{"from": "a", "to": "b", "service": "tcp/3389", "port": "tcp/3389"}],
      "unparsed_lines": 3
    },
    {"name": "core-fw-01", "platform": "nftables", "source": "", "status": "not audited", "reason": "no saved config",
     "carries_current_intent": false, "findings": [], "live_only_flows": [], "unparsed_lines": 0}
  ],
  "new_lateral_paths": [{"from": "guest-wifi", "to": "ehr", "hops": ["guest-wifi -> ehr [ssh] live"]}],
  "exit_code": 2
}
)";

}  // namespace

TEST_CASE("an audit result written by microseg diff --format json reads back field by field") {
    auto r = parse_audit_json(kAudit, "audit.json");
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->policy == "st-mary");
    CHECK(r->version == "abc123");
    REQUIRE(r->switches.size() == 2);
    const auto& s = r->switches[0];
    CHECK(s.name == "acc-icu-01");
    CHECK(s.status == "drifted");
    REQUIRE(s.findings.size() == 2);
    CHECK(s.findings[0].impact == "exposure");
    CHECK(s.findings[0].message == "permits tcp/3389 <new>");
    CHECK(s.findings[0].line == 42);
    CHECK(s.findings[0].example_packet == "10.200.0.1 -> 10.110.0.1 tcp/3389");
    CHECK(s.findings[1].line == 0);
    CHECK(s.live_only.size() == 1);
    CHECK(s.unparsed_lines == 3);
    CHECK(r->switches[1].status == "not audited");
    CHECK(r->switches[1].reason == "no saved config");
    CHECK_FALSE(r->switches[1].carries_current_intent);
    REQUIRE(r->new_paths.size() == 1);
    CHECK(r->new_paths[0].hops.size() == 1);
}

TEST_CASE("text that is not an audit result gets a located error") {
    struct Case {
        const char* text;
        const char* message;
        int line;
    };
    const Case cases[] = {
        {"{\"policy\": \"p\", \"version\": \"v\", \"switches\": [", "not valid JSON", 1},
        {"", "expected a JSON object", 0},
        {"[1, 2]", "expected a JSON object", 1},
        {"just some text", "expected a JSON object", 1},
        {"{\"policy\": \"p\", \"version\": \"v\"}", "'switches' is missing", 1},
        {"{\"policy\": \"p\", \"version\": \"v\", \"switches\": {}}", "'switches' must be a list", 1},
        {"{\"policy\": \"p\", \"version\": \"v\",\n \"switches\": [{\"name\": \"s\", \"status\": \"fine\"}]}",
         "'status' is 'fine', expected one of", 2},
        {"{\"policy\": \"p\", \"version\": \"v\", \"switches\": [{\"name\": \"s\", \"status\": \"clean\",\n"
         " \"findings\": [{\"kind\": \"k\", \"impact\": \"exposure\", \"subject\": \"x\", \"message\": \"m\",\n"
         " \"line\": \"twelve\"}]}]}",
         "'line' must be a whole number", 3},
        {"{\"policy\": [\"p\"], \"version\": \"v\", \"switches\": []}", "'policy' must be a string", 1},
        {"{\"policy\": \"p\", \"version\": \"v\", \"switches\": [7]}", "a switch must be an object", 1},
    };
    for (const auto& c : cases) {
        auto r = parse_audit_json(c.text, "bad.json");
        REQUIRE_MESSAGE(!r, c.text);
        CHECK_MESSAGE(r.error().message.find(c.message) != std::string::npos, c.text, " -> ", r.error().message);
        CHECK(r.error().location.file == "bad.json");
        CHECK_MESSAGE(r.error().location.line == c.line, c.text, " -> ", r.error().location.line);
    }
}

TEST_CASE("deep nesting is an error, not a crash") {
    std::string deep(100000, '[');
    auto r = parse_audit_json(deep, "deep.json");
    CHECK_FALSE(r);
}
