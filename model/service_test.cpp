#include <doctest/doctest.h>

#include "model/service.hpp"

using namespace microseg;

TEST_CASE("service ports parse: protocols, ports and ranges") {
    auto p = ServicePort::parse("tcp/443");
    REQUIRE(p);
    CHECK(p->protocol == Protocol::tcp);
    CHECK(p->ports == PortRange{443, 443});
    auto r = ServicePort::parse("udp/16384-32767");
    REQUIRE(r);
    CHECK(fmt::format("{}", *r) == "udp/16384-32767");
    CHECK(ServicePort::parse("icmp")->protocol == Protocol::icmp);
    CHECK(ServicePort::parse("ip")->protocol == Protocol::ip);
}

TEST_CASE("bad service ports say why") {
    CHECK(ServicePort::parse("tcp/70000").error().message ==
          "bad port '70000' in 'tcp/70000': ports are decimal numbers 0-65535");
    CHECK(ServicePort::parse("tcp/010").error().message ==
          "bad port '010' in 'tcp/010': ports are decimal numbers 0-65535");
    CHECK(ServicePort::parse("tcp/90-80").error().message ==
          "bad port range 'tcp/90-80': 90 is greater than 80");
    CHECK(ServicePort::parse("tcp").error().message == "'tcp' needs a port: tcp/N or tcp/N-M");
    CHECK(ServicePort::parse("icmp/8").error().message == "'icmp' takes no port");
    CHECK_FALSE(ServicePort::parse("sctp/9"));
    CHECK_FALSE(ServicePort::parse("tcp/"));
    CHECK_FALSE(ServicePort::parse("tcp/-5"));
}

TEST_CASE("port ranges overlap and cover") {
    CHECK(PortRange{100, 200}.overlaps({200, 300}));
    CHECK_FALSE(PortRange{100, 199}.overlaps({200, 300}));
    CHECK(ServicePort{Protocol::ip, {}}.covers(*ServicePort::parse("udp/53")));
    CHECK(ServicePort::parse("tcp/1-1024")->covers(*ServicePort::parse("tcp/443")));
    CHECK_FALSE(ServicePort::parse("tcp/1-1024")->covers(*ServicePort::parse("udp/53")));
}

TEST_CASE("compaction merges adjacent ranges of one protocol") {
    auto c = compact_service_ports({*ServicePort::parse("tcp/81"), *ServicePort::parse("tcp/80"),
                                    *ServicePort::parse("udp/53"), *ServicePort::parse("tcp/82-90"),
                                    *ServicePort::parse("tcp/80")});
    REQUIRE(c.size() == 2);
    CHECK(fmt::format("{}", c[0]) == "tcp/80-90");
    CHECK(fmt::format("{}", c[1]) == "udp/53");
    auto all = compact_service_ports({*ServicePort::parse("tcp/80"), *ServicePort::parse("ip")});
    REQUIRE(all.size() == 1);
    CHECK(all[0].protocol == Protocol::ip);
}

TEST_CASE("built-in catalogue covers the medical services") {
    for (const char* name : {"dicom", "dicom-tls", "hl7-mllp", "http", "https", "ssh", "telnet",
                             "rdp", "smb", "dns", "ntp", "syslog", "snmp", "ldap", "ldaps",
                             "kerberos", "ipp", "lpd", "sip", "rtp", "vnc"}) {
        CHECK_MESSAGE(find_builtin_service(name) != nullptr, name);
    }
    const auto* dicom = find_builtin_service("dicom");
    REQUIRE(dicom);
    CHECK(dicom->clear_text);
    CHECK(dicom->tls_twin == "dicom-tls");
    REQUIRE(dicom->ports.size() == 2);
    CHECK(fmt::format("{}", dicom->ports[0]) == "tcp/104");
    CHECK(fmt::format("{}", dicom->ports[1]) == "tcp/11112");
    CHECK_FALSE(find_builtin_service("dicom-tls")->clear_text);
    CHECK(find_builtin_service("rtp")->ports[0].protocol == Protocol::udp);
    CHECK(find_builtin_service("no-such") == nullptr);
    // Every twin named is itself in the catalogue.
    for (const auto& s : builtin_services())
        if (!s.tls_twin.empty()) CHECK_MESSAGE(find_builtin_service(s.tls_twin), s.tls_twin);
}
