#include "tests/support/device_printer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "model/interface_name.hpp"
#include "model/interface_range.hpp"
#include "tests/support/temp_dir.hpp"

namespace microseg::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string joined(const std::vector<std::string>& lines, std::string_view eol = "\n") {
    std::string out;
    for (const auto& l : lines) out += l + std::string(eol);
    return out;
}

// "interface range Gi1/0/1 - 24" (IOS) or "interface Ethernet1-4" (EOS): the ports, full names.
std::vector<std::string> ports_of_header(PlatformId platform, std::string header) {
    header = header.substr(header.starts_with("interface range ") ? 16 : 10);
    std::string compact;
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header.compare(i, 3, " - ") == 0) compact += '-', i += 2;
        else compact += header[i];
    auto names = expand_interface_range(compact);
    std::vector<std::string> out;
    if (!names) return {canonical_interface(platform, header)};
    for (const auto& n : *names) out.push_back(canonical_interface(platform, n));
    return out;
}

// "switchport trunk allowed vlan 110,200,210" split as IOS prints a long list: the first items,
// then `add` lines (two items a line here, so that every list of three or more is split).
std::vector<std::string> split_vlan_list(const std::string& line) {
    static const std::string kw = "switchport trunk allowed vlan ";
    auto at = line.find(kw);
    if (at == std::string::npos) return {line};
    std::string indent = line.substr(0, at), list = line.substr(at + kw.size());
    std::vector<std::string> items;
    std::istringstream in(list);
    for (std::string item; std::getline(in, item, ',');) items.push_back(item);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < items.size(); i += 2) {
        std::string chunk;
        for (std::size_t j = i; j < std::min(items.size(), i + 2); ++j) chunk += (chunk.empty() ? "" : ",") + items[j];
        out.push_back(indent + kw + (i == 0 ? "" : "add ") + chunk);
    }
    return out;
}

// One block per port, full names, comments dropped (IOS and EOS keep no `!` comment text).
std::vector<std::string> expand_interfaces(PlatformId platform, const std::vector<std::string>& lines, bool split_trunks) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        if (l.starts_with("!") && l != "!") continue;
        if (!l.starts_with("interface ")) {
            out.push_back(l);
            continue;
        }
        std::vector<std::string> body;
        while (i + 1 < lines.size() && lines[i + 1].starts_with(" ")) {
            auto split = split_trunks ? split_vlan_list(lines[++i]) : std::vector<std::string>{lines[++i]};
            body.insert(body.end(), split.begin(), split.end());
        }
        for (const auto& port : ports_of_header(platform, l)) {
            out.push_back("interface " + port);
            out.insert(out.end(), body.begin(), body.end());
            out.push_back("!");
        }
        if (i + 1 < lines.size() && lines[i + 1] == "!") ++i;  // the block's own separator
    }
    return out;
}

std::string print_ios(const std::string& hostname, const std::string& compiled) {
    auto body = expand_interfaces(PlatformId::cisco_ios, lines_of(compiled), true);
    std::vector<std::string> head = {"!", "! Last configuration change at 09:14:02 UTC Thu Dec 3 2026 by netops",
                                     "! NVRAM config last updated at 09:14:05 UTC Thu Dec 3 2026 by netops", "!",
                                     "version 17.9", "service timestamps debug datetime msec",
                                     "service timestamps log datetime msec", "service password-encryption",
                                     "platform punt-keepalive disable-kernel-core", "!", "hostname " + hostname, "!",
                                     "vrf definition Mgmt-vrf", " !", " address-family ipv4", " exit-address-family",
                                     "!", "no aaa new-model", "switch 1 provision c9300-48p", "!",
                                     "spanning-tree mode rapid-pvst", "spanning-tree extend system-id", "!"};
    head.insert(head.end(), body.begin(), body.end());
    auto text = joined(head);
    return fmt::format("Building configuration...\n\nCurrent configuration : {} bytes\n{}", text.size(), text);
}

std::string print_eos(const std::string& hostname, const std::string& compiled) {
    auto body = expand_interfaces(PlatformId::arista_eos, lines_of(compiled), false);
    std::vector<std::string> head = {"! Command: show running-config",
                                     "! device: " + hostname + " (DCS-7280SR3-48YC8, EOS-4.30.1F)", "!",
                                     "! boot system flash:/EOS-4.30.1F.swi", "!", "no aaa root", "!",
                                     "transceiver qsfp default-mode 4x10G", "!", "hostname " + hostname, "!",
                                     "spanning-tree mode mstp", "!"};
    head.insert(head.end(), body.begin(), body.end());
    return joined(head);
}

// Junos prints top-level hierarchies in its own order, whatever order they were loaded in.
int junos_rank(const std::string& line) {
    static const std::vector<std::string> order = {"version", "system", "chassis", "interfaces", "snmp",
                                                   "forwarding-options", "routing-options", "protocols",
                                                   "policy-options", "firewall", "switch-options", "vlans"};
    std::istringstream in(line);
    std::string set, top;
    in >> set >> top;
    auto it = std::find(order.begin(), order.end(), top);
    return static_cast<int>(it - order.begin());
}

std::string print_junos(const std::string& hostname, const std::string& compiled) {
    std::vector<std::string> lines = {"set version 21.4R3-S5.4", "set system host-name " + hostname,
                                      "set system root-authentication encrypted-password \"$6$abc$def\"",
                                      "set system services ssh root-login deny", "set protocols lldp interface all",
                                      "set protocols rstp interface all"};
    for (auto& l : lines_of(compiled))
        if (!l.empty() && !l.starts_with("#")) lines.push_back(l);
    std::stable_sort(lines.begin(), lines.end(),
                     [](const std::string& a, const std::string& b) { return junos_rank(a) < junos_rank(b); });
    return joined(lines);
}

PrintedConfig print_nft(const std::string& compiled) {
    if (::geteuid() != 0 || std::system("command -v unshare >/dev/null && command -v nft >/dev/null") != 0)
        return {std::nullopt, "nft list ruleset needs root, unshare and nft"};
    TempDir dir("printer");
    auto file = dir.file("ruleset.nft", compiled);
    auto out = dir / "listed.nft";
    int rc = std::system(fmt::format("unshare -n sh -c \"nft -f '{}' && nft list ruleset\" >'{}' 2>&1", file, out).c_str());
    auto listed = read_file(out);
    if (rc != 0) return {std::nullopt, "nft failed: " + listed.substr(0, listed.find('\n'))};
    return {listed, {}};
}

}  // namespace

PrintedConfig print_as_device(PlatformId platform, const std::string& hostname, const std::string& compiled) {
    using Printer = PrintedConfig (*)(const std::string& hostname, const std::string& compiled);
    // One row per platform of model/platform.cpp (README "Adding a platform").
    static const PlatformEntry<Printer> kPrinters[] = {
        {PlatformId::cisco_ios, [](const std::string& h, const std::string& c) { return PrintedConfig{print_ios(h, c), {}}; }},
        {PlatformId::arista_eos, [](const std::string& h, const std::string& c) { return PrintedConfig{print_eos(h, c), {}}; }},
        {PlatformId::junos, [](const std::string& h, const std::string& c) { return PrintedConfig{print_junos(h, c), {}}; }},
        {PlatformId::nftables, [](const std::string&, const std::string& c) { return print_nft(c); }},
    };
    return platform_entry(kPrinters, platform, "device printer")(hostname, compiled);
}

}  // namespace microseg::test
