// Issue 19 as each platform renders it: DHCP relay and management access before any deny,
// the management VLAN on every trunk, internal_space denied before a broad permit.
#include <doctest/doctest.h>

#include <map>

#include "emitters/test_fixture.hpp"

using namespace microseg;

namespace {

// The sample, plus operators who own the switch address, a DHCP server class, a broad
// external flow and in-band management on VLAN 99.
Policy mgmt_policy(PlatformId platform) {
    auto p = test::sample_parts(platform);
    p.classes.push_back(test::make_class("netops", 99, {"10.0.0.0/24"}));
    p.classes.back().management = true;
    for (auto& c : p.classes)
        if (c.name == "pump-server") c.dhcp_server = true;
    p.flows.push_back({"imaging-modality", "internet", {"https"}, "", {}, {}});
    auto& sw = p.switches[0];
    sw.address = "10.0.0.11";
    sw.management_vlan = 99;
    sw.gateway_for.push_back("netops");
    return Policy(std::move(p));
}

// Each ACL's lines (or Junos terms' lines) in file order, by ACL name.
std::map<std::string, std::vector<std::string>> acl_lines(const std::string& text, PlatformId platform) {
    std::map<std::string, std::vector<std::string>> out;
    std::string current;
    for (const auto& line : test::lines_starting(text, "")) {
        if (platform == PlatformId::junos) {
            const std::string head = "set firewall family inet filter ";
            if (!line.starts_with(head)) continue;
            out[line.substr(head.size(), line.find(' ', head.size()) - head.size())].push_back(line);
        } else if (line.starts_with("ip access-list")) {
            current = line;
        } else if (!current.empty() && line.starts_with(" ")) {
            out[current].push_back(line);
        } else {
            current.clear();
        }
    }
    return out;
}

std::size_t first_with(const std::vector<std::string>& lines, std::string_view what) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].find(what) != std::string::npos) return i;
    return lines.size();
}

}  // namespace

TEST_CASE("IOS, EOS, Junos: every SVI ACL permits DHCP relay before its first deny; operators reach the switch") {
    for (auto platform : {PlatformId::cisco_ios, PlatformId::arista_eos, PlatformId::junos}) {
        CAPTURE(platform);
        auto p = mgmt_policy(platform);
        auto out = emitter_for(platform).emit(p, p.switches()[0]);
        REQUIRE(out);
        auto acls = acl_lines(out->text, platform);
        const std::string deny = platform == PlatformId::junos ? "then discard" : "deny";
        int svi_acls = 0;
        for (const auto& [name, lines] : acls) {
            if (name.find("iso") != std::string::npos || name.find("ISO") != std::string::npos) continue;
            CAPTURE(name);
            ++svi_acls;
            CHECK(first_with(lines, "255.255.255.255") < first_with(lines, deny));
            CHECK(first_with(lines, deny) < lines.size());
        }
        CHECK(svi_acls == 3);
        auto ops = std::find_if(acls.begin(), acls.end(), [](const auto& kv) {
            return kv.first.find("netops") != std::string::npos || kv.first.find("NETOPS") != std::string::npos;
        });
        REQUIRE(ops != acls.end());
        CHECK(first_with(ops->second, "10.0.0.11") < first_with(ops->second, deny));
    }
}

TEST_CASE("IOS, EOS, Junos: the management VLAN rides every trunk") {
    for (auto platform : {PlatformId::cisco_ios, PlatformId::arista_eos, PlatformId::junos}) {
        CAPTURE(platform);
        auto p = mgmt_policy(platform);
        auto out = emitter_for(platform).emit(p, p.switches()[0]);
        REQUIRE(out);
        if (platform == PlatformId::junos) CHECK(out->text.find("vlan members") != std::string::npos);
        else CHECK(out->text.find("switchport trunk allowed vlan 99,110,120,130") != std::string::npos);
    }
}

TEST_CASE("nftables: internal_space dropped before the broad permit; DHCP and operators first") {
    auto p = mgmt_policy(PlatformId::nftables);
    auto out = emitter_for(PlatformId::nftables).emit(p, p.switches()[0]);
    REQUIRE(out);
    const auto& t = out->text;
    auto space = t.find("ip daddr 10.0.0.0/8 drop");
    auto broad = t.find("ip daddr 0.0.0.0/0 tcp dport 443 accept");
    REQUIRE(space != std::string::npos);
    REQUIRE(broad != std::string::npos);
    CHECK(space < broad);
    CHECK(t.find("ip daddr 172.16.0.0/12 drop") < broad);
    CHECK(t.find("ip daddr 10.140.0.0/24 udp dport 67 accept") != std::string::npos);
    CHECK(t.find("ip daddr 10.0.0.11/32 tcp dport 22 accept") != std::string::npos);
    if (auto check = test::nft_check(t); check.ran) CHECK(check.status == 0);
}
