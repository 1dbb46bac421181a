// The built-in service catalogue: what hospital networks carry, with ports from IANA and the
// vendors' documentation, and whether the protocol protects what it carries.
#include <algorithm>
#include <stdexcept>

#include "model/service.hpp"

namespace microseg {
namespace {

struct CatalogueEntry {
    const char* name;
    std::vector<const char*> ports;
    bool clear_text;
    const char* tls_twin;
    std::uint16_t reply_port = 0;   // Service::reply_port
    bool needs_conntrack = false;   // Service::needs_conntrack
};

const std::vector<CatalogueEntry>& catalogue() {
    static const std::vector<CatalogueEntry> entries = {
        {"dicom", {"tcp/104", "tcp/11112"}, true, "dicom-tls"},
        {"dicom-tls", {"tcp/2762"}, false, ""},
        {"dns", {"udp/53", "tcp/53"}, true, ""},
        {"ftp", {"tcp/20-21"}, true, "sftp", 0, true},  // active ftp: data from port 20
        {"hl7-mllp", {"tcp/2575"}, true, "hl7-mllp-tls"},
        {"hl7-mllp-tls", {"tcp/2576"}, false, ""},
        {"http", {"tcp/80"}, true, "https"},
        {"https", {"tcp/443"}, false, ""},
        {"icmp", {"icmp"}, true, ""},
        {"ipp", {"tcp/631"}, true, "ipps"},
        {"ipps", {"tcp/443"}, false, ""},
        {"kerberos", {"tcp/88", "udp/88"}, false, ""},
        {"ldap", {"tcp/389"}, true, "ldaps"},
        {"ldaps", {"tcp/636"}, false, ""},
        {"lpd", {"tcp/515"}, true, ""},
        {"mqtt", {"tcp/1883"}, true, "mqtt-tls"},
        {"mqtt-tls", {"tcp/8883"}, false, ""},
        {"ntp", {"udp/123"}, true, "", 123},  // servers and peers answer to port 123
        {"radius", {"udp/1812-1813"}, true, ""},
        {"rdp", {"tcp/3389"}, false, ""},
        {"rtp", {"udp/16384-32767"}, true, "srtp"},
        {"sftp", {"tcp/22"}, false, ""},
        {"sip", {"udp/5060", "tcp/5060"}, true, "sips"},
        {"sips", {"tcp/5061"}, false, ""},
        {"smb", {"tcp/445"}, false, ""},
        {"snmp", {"udp/161"}, true, ""},
        {"snmp-trap", {"udp/162"}, true, ""},
        {"srtp", {"udp/16384-32767"}, false, ""},
        {"ssh", {"tcp/22"}, false, ""},
        {"syslog", {"udp/514"}, true, "syslog-tls"},
        {"syslog-tls", {"tcp/6514"}, false, ""},
        {"telnet", {"tcp/23"}, true, "ssh"},
        {"tftp", {"udp/69"}, true, "", 0, true},  // answers from a new port
        {"vnc", {"tcp/5900-5901"}, true, ""},
    };
    return entries;
}

std::vector<Service> build_catalogue() {
    std::vector<Service> out;
    for (const auto& e : catalogue()) {
        Service s;
        s.name = e.name;
        s.clear_text = e.clear_text;
        s.tls_twin = e.tls_twin;
        s.builtin = true;
        s.reply_port = e.reply_port;
        s.needs_conntrack = e.needs_conntrack;
        for (const char* p : e.ports) {
            auto parsed = ServicePort::parse(p);
            if (!parsed) throw std::logic_error(fmt::format("bad built-in service port {}", p));
            s.ports.push_back(*parsed);
        }
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const Service& a, const Service& b) { return a.name < b.name; });
    return out;
}

}  // namespace

const std::vector<Service>& builtin_services() {
    static const std::vector<Service> services = build_catalogue();
    return services;
}

const Service* find_builtin_service(std::string_view name) {
    const auto& all = builtin_services();
    auto it = std::lower_bound(all.begin(), all.end(), name,
                               [](const Service& s, std::string_view n) { return s.name < n; });
    return it != all.end() && it->name == name ? &*it : nullptr;
}

}  // namespace microseg
