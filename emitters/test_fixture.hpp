#pragma once
// A hand-built policy for the emitters' unit tests (no YAML: the compiler is tested on its
// own). It has what every emitter must get right: an isolated class, an external class, a
// class with two adjacent subnets, a shared VLAN, flows both ways and a trunk.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "model/file_io.hpp"

#include "emitters/emitter.hpp"
#include "model/policy.hpp"

namespace microseg::test {

inline DeviceClass make_class(std::string name, std::optional<int> vlan, std::vector<const char*> subnets,
                              bool external = false) {
    DeviceClass c;
    c.name = std::move(name);
    c.vlan = vlan;
    for (const char* s : subnets) c.subnets.push_back(*Cidr::parse(s));
    c.addresses = AddressSet(c.subnets);
    c.external = external;
    return c;
}

inline Service make_service(std::string name, std::vector<const char*> ports) {
    Service s;
    s.name = std::move(name);
    for (const char* p : ports) s.ports.push_back(*ServicePort::parse(p));
    return s;
}

// Flows: modality -> pacs (dicom, dicom-tls); workstation -> pacs (pacs-web: 443, 8443);
// vendor-vpn -> modality (vendor-remote 5938); pump -> pump-server (https, ntp);
// workstation -> modality (icmp, snmp); modality -> modality (ssh, L2 only).
// sample_parts is the same, to edit before making a Policy of it.
inline PolicyParts sample_parts(PlatformId platform = PlatformId::cisco_ios) {
    PolicyParts p;
    p.name = "st-mary";
    p.version_hash = "sha256:0123abcd";
    p.services = builtin_services();
    p.services.push_back(make_service("pacs-web", {"tcp/443", "tcp/8443"}));
    p.services.push_back(make_service("vendor-remote", {"tcp/5938"}));
    std::sort(p.services.begin(), p.services.end(), [](auto& a, auto& b) { return a.name < b.name; });
    p.classes = {make_class("infusion-pump", 110, {"10.110.0.0/22"}),
                 make_class("imaging-modality", 120, {"10.120.0.0/24"}),
                 make_class("pacs", 130, {"10.130.0.0/26"}),
                 make_class("pump-server", 140, {"10.140.0.0/25", "10.140.0.128/25"}),
                 make_class("workstation", 200, {"10.200.0.0/21"}),
                 make_class("vendor-vpn", {}, {"172.31.200.0/24"}, true),
                 make_class("internet", {}, {"0.0.0.0/0"}, true)};
    p.classes[0].isolate = true;
    p.flows = {{"imaging-modality", "pacs", {"dicom", "dicom-tls"}, "store images", {}, {}},
               {"workstation", "pacs", {"pacs-web"}, "", {}, {}},
               {"vendor-vpn", "imaging-modality", {"vendor-remote"}, "", {}, {}},
               {"infusion-pump", "pump-server", {"https", "ntp"}, "", {}, {}},
               {"workstation", "imaging-modality", {"icmp", "snmp"}, "", {}, {}},
               {"imaging-modality", "imaging-modality", {"ssh"}, "", {}, {}}};
    Switch sw;
    sw.name = "acc-sw-01";
    sw.platform = platform;
    sw.gateway_for = {"infusion-pump", "imaging-modality"};
    auto port_prefix = platform == PlatformId::junos ? std::string("ge-0/0/")
                       : platform == PlatformId::arista_eos ? std::string("Ethernet") : std::string("Gi1/0/");
    for (int i = 1; i <= 8; ++i) sw.ports.push_back({port_prefix + std::to_string(i), "infusion-pump", {}});
    for (int i = 9; i <= 10; ++i) sw.ports.push_back({port_prefix + std::to_string(i), "imaging-modality", {}});
    sw.ports.push_back({port_prefix + "12", "imaging-modality", {}});
    sw.trunks = {{platform == PlatformId::junos ? "xe-0/1/0" : "Te1/1/1", {110, 120, 130}, {}}};
    p.switches = {sw};
    return p;
}

inline Policy sample_policy(PlatformId platform = PlatformId::cisco_ios) { return Policy(sample_parts(platform)); }

// The lines of `text` that start with `prefix`.
inline std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        if (line.starts_with(prefix)) out.emplace_back(line);
        pos = end + 1;
    }
    return out;
}

inline bool contains_line(const std::string& text, std::string_view line) {
    return text.find(std::string("\n") + std::string(line) + "\n") != std::string::npos;
}

// Loads `ruleset` with `nft -c -f` (check mode) inside a private network namespace, so the
// host's ruleset is never touched. Returns nft's output; `ran` tells whether the check could
// run at all (it needs root, unshare and nft).
struct NftCheck {
    bool ran = false;
    int status = -1;
    std::string output;
};

inline NftCheck nft_check(const std::string& ruleset) {
    NftCheck r;
    if (::geteuid() != 0 || std::system("command -v unshare >/dev/null && command -v nft >/dev/null") != 0)
        return r;
    char dir_template[] = "/tmp/microseg-nft-XXXXXX";
    if (!::mkdtemp(dir_template)) return r;
    std::string dir = dir_template, file = dir + "/ruleset.nft", log = dir + "/out.txt";
    if (!write_file_atomically(file, ruleset)) return r;
    r.status = std::system(fmt::format("unshare -n nft -c -f '{}' >'{}' 2>&1", file, log).c_str());
    auto out = read_text_file(log);
    r.output = out ? *out : "";
    // unshare itself failing (no CAP_SYS_ADMIN in a container) is "could not run", not a verdict.
    r.ran = r.output.find("unshare:") == std::string::npos;
    std::remove(file.c_str());
    std::remove(log.c_str());
    ::rmdir(dir.c_str());
    return r;
}

// The nft check could not run: a failure under CI (CI=true), else a visible skip message.
inline bool nft_unavailable_is_failure() {
    const char* ci = std::getenv("CI");
    return ci && std::string_view(ci) == "true";
}

}  // namespace microseg::test
