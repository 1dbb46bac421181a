// needs-conntrack: tftp and active ftp cannot work through a stateless gateway (DESIGN.md,
// "Return traffic"); behind nftables, or inside one VLAN, there is nothing to warn about.
#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/compiler.hpp"

using namespace microseg;

namespace {

// `{server}` and `{client}` are the platforms of the server's and the clients' gateways.
std::string policy_text(std::string_view server, std::string_view client) {
    return fmt::format(R"(version: 1
classes:
  imaging: {{vlan: 120, subnets: [10.120.0.0/24], shared_vlan: true}}
  boot-server: {{vlan: 140, subnets: [10.140.0.0/24]}}
  archive: {{vlan: 120, subnets: [10.121.0.0/24], shared_vlan: true}}
flows:
  - {{from: imaging, to: boot-server, services: [tftp, ntp]}}
  - {{from: imaging, to: boot-server, services: [ftp]}}
  - {{from: imaging, to: archive, services: [tftp]}}
switches:
  - {{name: core, platform: {}, gateway: [boot-server]}}
  - {{name: acc, platform: {}, gateway: [imaging, archive]}}
)",
                       server, client);
}

std::vector<std::string> conntrack_warnings(const std::string& text) {
    auto r = compile_policy_text(text, "t.yaml");
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error) FAIL(format_diagnostic(d));
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics.items())
        if (d.kind == "needs-conntrack") out.push_back(fmt::format("{}:{}: {}", d.location.line, d.location.column, d.message));
    return out;
}

}  // namespace

TEST_CASE("needs-conntrack: tftp and active ftp through a stateless server gateway") {
    // imaging -> archive (tftp) stays inside VLAN 120: no gateway, no warning.
    auto w = conntrack_warnings(policy_text("cisco-ios", "nftables"));
    CHECK(w == std::vector<std::string>{
                   "7:5: service 'tftp' cannot work through core (cisco-ios, no conntrack): its server opens "
                   "traffic that no reply entry permits",
                   "8:5: service 'ftp' cannot work through core (cisco-ios, no conntrack): its server opens "
                   "traffic that no reply entry permits"});
}

TEST_CASE("needs-conntrack: the client's stateless gateway stands in the way too; nftables at both ends does not") {
    auto w = conntrack_warnings(policy_text("nftables", "junos"));
    REQUIRE(w.size() == 2);
    CHECK(w[0].find("through acc (junos") != std::string::npos);

    CHECK(conntrack_warnings(policy_text("nftables", "nftables")).empty());
}
