// Port isolation on every platform (model/isolation_acl.hpp): the isolation ACL or filter is
// defined once and applied on every access port of the isolated class, and on no other port.
// The sample policy isolates infusion-pump (ports 1-8, VLAN 110, gateway 10.110.0.1).
#include <doctest/doctest.h>

#include "emitters/test_fixture.hpp"
#include "model/isolation_acl.hpp"

using namespace microseg;
using test::contains_line;

namespace {

std::string emitted(const Policy& p) {
    auto out = emitter_for(p.switches()[0].platform).emit(p, p.switches()[0]);
    REQUIRE(out);
    return out->text;
}

std::string junos_text(JunosStyle style) {
    auto parts = test::sample_parts(PlatformId::junos);
    parts.switches[0].junos_style = style;
    return emitted(Policy(std::move(parts)));
}

// The interface blocks of an IOS-style config (header line -> body), as the emitter writes them.
std::vector<std::pair<std::string, std::string>> interface_blocks(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t at = text.find("\ninterface "); at != std::string::npos; at = text.find("\ninterface ", at + 1)) {
        auto eol = text.find('\n', at + 1);
        auto end = text.find("\n!", eol);
        out.emplace_back(text.substr(at + 1, eol - at - 1), text.substr(eol + 1, end - eol));
    }
    return out;
}

}  // namespace

TEST_CASE("isolation ACL: gateway first, then the isolated peers denied, then the rest permitted") {
    auto parts = test::sample_parts();
    parts.classes[3].isolate = true;  // pump-server, VLAN 140: another L2 domain, not a peer
    Policy p(std::move(parts));
    auto entries = isolation_entries(p, *p.find_class("infusion-pump"));
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].action == AclAction::permit);
    CHECK(entries[0].destination.str() == "10.110.0.1/32");
    CHECK(entries[1].action == AclAction::deny);
    CHECK(entries[1].source.str() == "10.110.0.0/22");
    CHECK(entries[1].destination.str() == "10.110.0.0/22");
    CHECK(entries[2].action == AclAction::permit);
    CHECK(entries[2].source.is_any());
    CHECK(entries[2].destination.is_any());
}

TEST_CASE("isolation ACL: isolated classes sharing a VLAN deny each other too; one per isolated class on the switch") {
    auto parts = test::sample_parts();
    parts.classes.push_back(test::make_class("pump-b", 110, {"10.111.0.0/24"}));
    parts.classes.back().isolate = true;
    parts.switches[0].ports.push_back({"Gi1/0/20", "pump-b", {}});
    Policy p(std::move(parts));
    auto entries = isolation_entries(p, *p.find_class("infusion-pump"));
    std::vector<std::string> denied;
    for (const auto& e : entries)
        if (e.action == AclAction::deny) denied.push_back(e.destination.str());
    CHECK(denied == std::vector<std::string>{"10.110.0.0/22", "10.111.0.0/24"});
    auto intent = switch_intent(p, p.switches()[0]);
    REQUIRE(intent);
    const auto& acls = intent->isolation_acls;  // switch_intent fills them (model/isolation_acl.hpp)
    REQUIRE(acls.size() == 2);
    CHECK(acls[0].name == "iso-infusion-pump");
    CHECK(acls[1].name == "iso-pump-b");
}

TEST_CASE("IOS: every isolated access port carries the port ACL MS_ISO_<CLASS> in; protected stays an extra") {
    auto p = test::sample_policy();
    auto text = emitted(p);
    CHECK(contains_line(text, "ip access-list extended MS_ISO_INFUSION-PUMP"));
    CHECK(contains_line(text, " permit ip 10.110.0.0 0.0.3.255 host 10.110.0.1"));
    CHECK(contains_line(text, " deny ip 10.110.0.0 0.0.3.255 10.110.0.0 0.0.3.255 log"));
    CHECK(contains_line(text, " permit ip any any"));
    // The ACL is defined before the interface that applies it is configured.
    CHECK(text.find("ip access-list extended MS_ISO_INFUSION-PUMP") < text.find("interface Vlan110"));
    std::size_t isolated = 0, open = 0;
    for (const auto& [header, body] : interface_blocks(text)) {
        CAPTURE(header);
        bool pump = body.find("switchport access vlan 110\n") != std::string::npos;
        bool acl = body.find(" ip access-group MS_ISO_INFUSION-PUMP in\n") != std::string::npos;
        CHECK(pump == acl);
        CHECK(pump == (body.find(" switchport protected\n") != std::string::npos));
        (acl ? isolated : open) += 1;
    }
    CHECK(isolated == 1);  // "interface range Gi1/0/1 - 8": all eight pump ports
    CHECK(open >= 4);      // modality ports, the trunk, the SVIs
    CHECK(text.find("interface range Gi1/0/1 - 8\n") != std::string::npos);
}

TEST_CASE("EOS: the isolation ACL is unchanged by the move to the model") {
    auto p = test::sample_policy(PlatformId::arista_eos);
    auto text = emitted(p);
    CHECK(text.find("ip access-list MS_ISO_INFUSION-PUMP\n   10 remark gateway\n   20 permit ip 10.110.0.0/22 host "
                    "10.110.0.1\n   30 remark isolated peers\n   40 deny ip 10.110.0.0/22 10.110.0.0/22 log\n"
                    "   50 remark the rest is filtered at the SVI\n   60 permit ip any any\n!")
          != std::string::npos);
    CHECK(test::lines_starting(text, "   ip access-group MS_ISO_INFUSION-PUMP in").size() == 1);
}

TEST_CASE("Junos ELS: an ethernet-switching port filter with ip- match names on the isolated range; no no-local-switching") {
    auto text = junos_text(JunosStyle::els);
    const std::string f = "set firewall family ethernet-switching filter ms-iso-infusion-pump term ";
    CHECK(contains_line(text, f + "t0010 from ip-source-address 10.110.0.0/22"));
    CHECK(contains_line(text, f + "t0010 from ip-destination-address 10.110.0.1/32"));
    CHECK(contains_line(text, f + "t0010 then accept"));
    CHECK(contains_line(text, f + "t0020 from ip-source-address 10.110.0.0/22"));
    CHECK(contains_line(text, f + "t0020 from ip-destination-address 10.110.0.0/22"));
    CHECK(contains_line(text, f + "t0020 then discard"));
    CHECK(contains_line(text, f + "accept-rest then accept"));
    CHECK(test::lines_starting(text, f).size() == 7);
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump unit 0 family ethernet-switching filter "
                              "input ms-iso-infusion-pump"));
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump member-range ge-0/0/1 to ge-0/0/8"));
    // Only the isolated class's range is filtered.
    CHECK(test::lines_starting(text, "set interfaces interface-range ms-imaging-modality unit 0 family "
                                     "ethernet-switching filter").empty());
    CHECK(text.find("no-local-switching") == std::string::npos);
    CHECK(text.find(" source-address") == text.find(" source-address 10.1"));  // inet filters keep theirs
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump unit 0 family ethernet-switching "
                              "interface-mode access"));
    CHECK(contains_line(text, "set vlans infusion-pump l3-interface irb.110"));
    CHECK(contains_line(text, "set interfaces irb unit 110 family inet address 10.110.0.1/22"));
}

TEST_CASE("Junos non-ELS: port-mode, vlan.N, inet-named port filter match conditions, no-local-switching as an extra") {
    auto text = junos_text(JunosStyle::non_els);
    const std::string f = "set firewall family ethernet-switching filter ms-iso-infusion-pump term ";
    CHECK(contains_line(text, f + "t0010 from source-address 10.110.0.0/22"));
    CHECK(contains_line(text, f + "t0020 from destination-address 10.110.0.0/22"));
    CHECK(contains_line(text, f + "t0020 then discard"));
    CHECK(text.find("ip-source-address") == std::string::npos);
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump unit 0 family ethernet-switching filter "
                              "input ms-iso-infusion-pump"));
    CHECK(contains_line(text, "set interfaces interface-range ms-infusion-pump unit 0 family ethernet-switching "
                              "port-mode access"));
    CHECK(contains_line(text, "set interfaces xe-0/1/0 unit 0 family ethernet-switching port-mode trunk"));
    CHECK(text.find("interface-mode") == std::string::npos);
    CHECK(contains_line(text, "set vlans infusion-pump l3-interface vlan.110"));
    CHECK(contains_line(text, "set interfaces vlan unit 110 family inet address 10.110.0.1/22"));
    CHECK(contains_line(text, "set interfaces vlan unit 110 family inet filter input ms-in-infusion-pump"));
    CHECK(text.find("irb") == std::string::npos);
    CHECK(contains_line(text, "set vlans infusion-pump no-local-switching"));
    CHECK_FALSE(contains_line(text, "set vlans imaging-modality no-local-switching"));
}

TEST_CASE("a policy without isolated classes has no isolation ACL on any platform") {
    for (auto id : {PlatformId::cisco_ios, PlatformId::arista_eos, PlatformId::junos}) {
        auto parts = test::sample_parts(id);
        parts.classes[0].isolate = false;
        auto text = emitted(Policy(std::move(parts)));
        CAPTURE(platform(id).name);
        CHECK(text.find("MS_ISO_") == std::string::npos);
        CHECK(text.find("ms-iso-") == std::string::npos);
        CHECK(text.find("switchport protected") == std::string::npos);
    }
}
