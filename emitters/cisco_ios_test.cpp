#include <doctest/doctest.h>

#include "emitters/ios_style.hpp"
#include "emitters/test_fixture.hpp"

using namespace microseg;
using test::contains_line;

namespace {

// The entry lines (remarks skipped) of the ACL named `name`, in order.
std::vector<std::string> acl_block(const std::string& text, const std::string& header) {
    std::vector<std::string> out;
    auto pos = text.find("\n" + header + "\n");
    REQUIRE(pos != std::string::npos);
    pos += header.size() + 2;
    while (pos < text.size() && text[pos] != '!') {
        auto end = text.find('\n', pos);
        auto line = text.substr(pos, end - pos);
        if (line.find("remark ") == std::string::npos) out.push_back(line);
        pos = end + 1;
    }
    return out;
}

const IosDialect kIosNotation{" ", false, false, "ip access-list extended", nullptr, nullptr};

}  // namespace

TEST_CASE("IOS: each gateway ACL holds exactly the intended entries, in order, then deny log") {
    auto p = test::sample_policy();
    auto out = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0]);
    REQUIRE(out);
    std::size_t total = 0;
    for (const auto& name : p.switches()[0].gateway_for) {
        auto acl = intended_acl(p, *p.find_class(name));
        auto block = acl_block(out->text, "ip access-list extended " + ios_acl_name(acl.name));
        REQUIRE(block.size() == acl.entries.size());
        for (std::size_t i = 0; i < block.size(); ++i) CHECK(block[i] == " " + ios_entry(acl.entries[i], kIosNotation));
        CHECK(block.back() == " deny ip any any log");
        for (std::size_t i = 0; i + 1 < block.size(); ++i) CHECK(block[i].starts_with(" permit "));
        total += block.size();
    }
    CHECK(out->ace_count == total + 3);  // and the pumps' isolation port ACL: gateway, peers, rest
    CHECK(test::lines_starting(out->text, "ip access-list").size() == 3);
}

TEST_CASE("IOS: every flow has its entries, replies are stateless-correct") {
    auto p = test::sample_policy();
    auto text = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0])->text;
    // modality -> pacs: dicom (104, 11112) and dicom-tls (2762).
    for (int port : {104, 2762, 11112})
        CHECK(contains_line(text, fmt::format(" permit tcp 10.120.0.0 0.0.0.255 10.130.0.0 0.0.0.63 eq {}", port)));
    // pump -> pump-server over two adjacent /25s: one /24.
    CHECK(contains_line(text, " permit tcp 10.110.0.0 0.0.3.255 10.140.0.0 0.0.0.255 eq 443"));
    CHECK(contains_line(text, " permit udp 10.110.0.0 0.0.3.255 10.140.0.0 0.0.0.255 eq 123"));
    // vendor-vpn (external) -> modality: TCP reply established, to the external's subnet.
    CHECK(contains_line(text, " permit tcp 10.120.0.0 0.0.0.255 eq 5938 172.31.200.0 0.0.0.255 established"));
    // workstation -> modality: UDP reply from the service port to high ports only (issue 19:
    // else the modality could reach any UDP service of the workstations), ICMP echo-reply.
    CHECK(contains_line(text, " permit udp 10.120.0.0 0.0.0.255 eq 161 10.200.0.0 0.0.7.255 range 1024 65535"));
    CHECK(contains_line(text, " permit icmp 10.120.0.0 0.0.0.255 10.200.0.0 0.0.7.255 echo-reply"));
    // modality -> modality ssh is L2: no entry mentions port 22.
    CHECK(text.find("eq 22\n") == std::string::npos);
}

TEST_CASE("IOS: every UDP reply bounds its destination port; ntp also answers to 123") {
    auto parts = test::sample_parts();
    parts.flows.push_back({"workstation", "imaging-modality", {"ntp"}, "", {}, {}});
    Policy p(std::move(parts));
    auto text = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0])->text;
    CHECK(contains_line(text, " permit udp 10.120.0.0 0.0.0.255 eq 123 10.200.0.0 0.0.7.255 range 1024 65535"));
    CHECK(contains_line(text, " permit udp 10.120.0.0 0.0.0.255 eq 123 10.200.0.0 0.0.7.255 eq 123"));
    for (const auto& line : test::lines_starting(text, " permit udp 10.120.0.0 0.0.0.255 eq "))
        CHECK_MESSAGE((line.ends_with(" range 1024 65535") || line.ends_with(" eq 123")), line);
}

TEST_CASE("IOS: VLANs, access ranges, protected ports, trunks and SVIs") {
    auto p = test::sample_policy();
    auto text = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0])->text;
    CHECK(text.find("vlan 110\n name infusion-pump\n!") != std::string::npos);
    CHECK(text.find("vlan 130\n name pacs\n!") != std::string::npos);
    CHECK(text.find("interface range Gi1/0/1 - 8\n description microseg infusion-pump\n switchport mode access\n"
                    " switchport access vlan 110\n switchport protected\n ip access-group MS_ISO_INFUSION-PUMP in\n!")
          != std::string::npos);
    CHECK(text.find("interface range Gi1/0/9 - 10\n") != std::string::npos);
    CHECK(text.find("interface Gi1/0/12\n") != std::string::npos);
    CHECK(test::lines_starting(text, " switchport protected").size() == 1);  // pumps only
    CHECK(text.find("interface Te1/1/1\n switchport mode trunk\n switchport trunk allowed vlan 110,120,130\n")
          != std::string::npos);
    CHECK(text.find("interface Vlan110\n description microseg gateway infusion-pump\n"
                    " ip address 10.110.0.1 255.255.252.0\n ip access-group MS_IN_INFUSION-PUMP in\n")
          != std::string::npos);
    CHECK(test::lines_starting(text, "interface Vlan").size() == 2);
    CHECK(text.ends_with("!\nend\n"));
}

TEST_CASE("IOS: gateway_address and secondary subnets") {
    auto parts = test::sample_parts();
    parts.classes[3].gateway_address = IpAddress::parse("10.140.0.254");
    parts.switches[0].gateway_for.push_back("pump-server");
    Policy p(std::move(parts));
    auto text = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0])->text;
    CHECK(text.find(" ip address 10.140.0.1 255.255.255.128\n ip address 10.140.0.254 255.255.255.128 secondary\n")
          != std::string::npos);
}

TEST_CASE("IOS: a hostile class name cannot inject a line") {
    auto parts = test::sample_parts();
    for (auto& f : parts.flows) {
        if (f.from == "imaging-modality") f.from = "img\nno ip access-list extended X \"q\"";
        if (f.to == "imaging-modality") f.to = "img\nno ip access-list extended X \"q\"";
    }
    parts.classes[1].name = "img\nno ip access-list extended X \"q\"";
    parts.switches[0].gateway_for = {"infusion-pump", parts.classes[1].name};
    for (auto& port : parts.switches[0].ports)
        if (port.device_class == "imaging-modality") port.device_class = parts.classes[1].name;
    Policy p(std::move(parts));
    auto out = emitter_for(PlatformId::cisco_ios).emit(p, p.switches()[0]);
    REQUIRE(out);
    CHECK(test::lines_starting(out->text, "no ").empty());
    CHECK(out->text.find('"') == std::string::npos);
    CHECK(test::lines_starting(out->text, "ip access-list extended ").size() == 3);  // 2 SVIs, the pumps' isolation
}
