// Table-driven: each bad policy must produce exactly this error message at this line:col.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/compiler.hpp"

using namespace microseg;

namespace {

struct BadCase {
    const char* name;
    const char* yaml;
    int line;
    int column;
    const char* message;
};

// Shared classes so each case shows only the line that is wrong.
const char* kHead =
    "version: 1\n"                                                        // 1
    "classes:\n"                                                          // 2
    "  pump: {vlan: 110, subnets: [10.110.0.0/22], criticality: life}\n"  // 3
    "  pacs: {vlan: 130, subnets: [10.130.0.0/26], phi: true}\n"          // 4
    "  internet: {external: true, subnets: [0.0.0.0/0], entry: true}\n";  // 5

const std::vector<BadCase> kCases = {
    {"internal_space not a CIDR", "version: 1\ninternal_space: [10.0.0.0/8, fish]\n", 2, 30,
     "bad internal_space entry 'fish': not an IPv4 or IPv6 address"},
    {"second management class",
     "version: 1\nclasses:\n  a: {vlan: 5, management: true}\n  b: {vlan: 6, management: true}\n", 4, 28,
     "class 'b' is marked management, but class 'a' already is at <text>:3:28; a policy has one management class"},
    {"management_vlan not a VLAN id", "version: 1\nswitches:\n  - {name: s1, platform: junos, management_vlan: 0}\n", 3,
     50, "management_vlan of switch 's1' must be a VLAN id from 1 to 4094, not '0'"},
    {"unknown top key", "version: 1\nclases: {}\n", 2, 1, "unknown key 'clases' in the policy; did you mean 'classes'?"},
    {"missing version", "name: x\n", 1, 1, "the policy needs 'version: 1'"},
    {"version 2", "version: 2\n", 1, 10, "version must be 1, not '2'"},
    {"unknown class key", "version: 1\nclasses:\n  a: {vlna: 3, subnets: [10.0.0.0/8]}\n", 3, 7,
     "unknown key 'vlna' in class 'a'; did you mean 'vlan'?"},
    {"vlan octal", "version: 1\nclasses:\n  a: {vlan: 010, subnets: [10.0.0.0/8]}\n", 3, 13,
     "vlan of class 'a' must be a decimal number from 1 to 4094, not '010'"},
    {"vlan hex", "version: 1\nclasses:\n  a: {vlan: 0x10, subnets: [10.0.0.0/8]}\n", 3, 13,
     "vlan of class 'a' must be a decimal number from 1 to 4094, not '0x10'"},
    {"vlan too big", "version: 1\nclasses:\n  a: {vlan: 4095, subnets: [10.0.0.0/8]}\n", 3, 13,
     "vlan of class 'a' must be a decimal number from 1 to 4094, not '4095'"},
    {"vlan zero", "version: 1\nclasses:\n  a: {vlan: 0, subnets: [10.0.0.0/8]}\n", 3, 13,
     "vlan of class 'a' must be a decimal number from 1 to 4094, not '0'"},
    {"devices negative", "version: 1\nclasses:\n  a: {vlan: 5, devices: -1}\n", 3, 25,
     "devices of class 'a' must be a decimal number from 0 to 100000000, not '-1'"},
    {"devices exponent", "version: 1\nclasses:\n  a: {vlan: 5, devices: 1e3}\n", 3, 25,
     "devices of class 'a' must be a decimal number from 0 to 100000000, not '1e3'"},
    {"boolean yes", "version: 1\nclasses:\n  a: {vlan: 5, isolate: yes}\n", 3, 25,
     "isolate of class 'a' must be true or false, not 'yes'"},
    {"bad criticality", "version: 1\nclasses:\n  a: {vlan: 5, criticality: lfe}\n", 3, 29,
     "criticality must be life, high, medium or low, not 'lfe'; did you mean 'life'?"},
    {"host bits", "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.1/24]}\n", 3, 26,
     "bad subnet '10.0.0.1/24': host bits set; the network is 10.0.0.0/24"},
    {"bad prefix", "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/33]}\n", 3, 26,
     "bad subnet '10.0.0.0/33': prefix length must be a number from 0 to 32"},
    {"internal without vlan", "version: 1\nclasses:\n  a: {subnets: [10.0.0.0/8]}\n", 3, 3,
     "internal class 'a' needs a vlan (or 'external: true')"},
    {"external with vlan", "version: 1\nclasses:\n  a: {external: true, vlan: 5}\n", 3, 29,
     "external class 'a' cannot have a vlan: it is outside the switched network"},
    {"name with space", "version: 1\nclasses:\n  \"a b\": {vlan: 5}\n", 3, 3,
     "class name 'a b' is not valid: names are 1-63 letters, digits, '_', '.', '-' and start with a "
     "letter or digit"},
    {"vlan conflict", "version: 1\nclasses:\n  a: {vlan: 5}\n  b: {vlan: 5}\n", 4, 13,
     "VLAN 5 is claimed by class 'a' at <text>:3:13 and by class 'b'; both need 'shared_vlan: true' to share it"},
    {"overlap", "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/16]}\n  b: {vlan: 6, subnets: [10.0.4.0/24]}\n",
     4, 26, "subnet 10.0.4.0/24 of class 'b' overlaps 10.0.0.0/16 of class 'a' at <text>:3:26"},
    {"gateway_address outside", "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/24], gateway_address: 10.0.1.1}\n",
     3, 57, "gateway_address 10.0.1.1 is not inside the subnets of class 'a'"},
    {"duplicate key", "version: 1\nclasses:\n  a: {vlan: 5, vlan: 6}\n", 3, 16,
     "duplicate key 'vlan': first given at <text>:3:7"},
    {"unknown flow class", "",
     7, 12, "unknown class 'pmp'; did you mean 'pump'?"},
    {"unknown service", "", 7, 39, "unknown service 'dicon'; did you mean 'dicom'?"},
    {"flow missing to", "", 7, 5, "a flow needs 'to'"},
    {"flow empty services", "", 7, 38, "a flow needs at least one service"},
    {"flow bad date", "", 7, 56, "expires must be a date YYYY-MM-DD, not '2027-02-30'"},
    {"bad port", "version: 1\nservices:\n  x: [tcp/70000]\n", 3, 7,
     "bad port '70000' in 'tcp/70000': ports are decimal numbers 0-65535"},
    {"port range backwards", "version: 1\nservices:\n  x: [udp/20-10]\n", 3, 7,
     "bad port range 'udp/20-10': 20 is greater than 10"},
    {"unknown platform", "", 7, 26, "unknown platform 'cisco-ois'; did you mean 'cisco-ios'? (platforms: cisco-ios, arista-eos, junos, nftables)"},
    {"interface conflict", "", 11, 7,
     "interface Gi1/0/5 of switch 's1' is given to class 'pump' at <text>:10:7 and to class 'pacs'"},
    {"port external class", "", 9, 22, "external class 'internet' cannot have a switch port: it is outside the switched network"},
    {"gateway twice", "", 8, 43,
     "class 'pump' already has its gateway at <text>:7:43; a class is filtered on one switch"},
    {"ssh_port zero", "", 7, 43, "ssh_port of switch 's1' must be a decimal number from 1 to 65535, not '0'"},
    {"trunk vlan range", "", 9, 25, "trunk VLAN '5000' must be an id from 1 to 4094 or a range N-M"},
    {"bad interface range", "", 9, 13, "bad interface range 'Gi1/0/9-2': the range runs backwards (9 > 2)"},
    {"anchor", "version: 1\nclasses:\n  a: &x {vlan: 5}\n", 3, 6, "anchors (&x) are not allowed in a policy"},
    {"yaml syntax", "version: 1\nclasses: [a\n", 3, 1, "YAML syntax error: end of sequence flow not found"},
    {"two documents", "version: 1\n---\nversion: 1\n", 2, 1, "a policy file holds one YAML document; a second one starts here"},
    {"flow to class without subnets", "version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/8]}\n  b: {vlan: 6}\n"
     "flows:\n  - {from: a, to: b, services: [https]}\n", 6, 19, "flow to class 'b', which has no subnets"},
};

// Cases written after kHead, so the line numbers above stay readable.
std::string yaml_of(const BadCase& c) {
    std::string name = c.name;
    std::string head = kHead;
    if (name == "unknown flow class") return head + "flows:\n  - {from: pmp, to: pacs, services: [https]}\n";
    if (name == "unknown service") return head + "flows:\n  - {from: pump, to: pacs, services: [dicon]}\n";
    if (name == "flow missing to") return head + "flows:\n  - {from: pump, services: [https]}\n";
    if (name == "flow empty services") return head + "flows:\n  - {from: pump, to: pacs, services: []}\n";
    if (name == "flow bad date") return head + "flows:\n  - {from: pump, to: pacs, services: [https], expires: 2027-02-30}\n";
    std::string sw = head + "switches:\n";
    if (name == "unknown platform") return sw + "  - {name: s1, platform: cisco-ois}\n";
    if (name == "interface conflict")
        return sw + "  - name: s1\n    platform: junos\n    ports:\n      Gi1/0/1-8: pump\n      Gi1/0/5: pacs\n";
    if (name == "port external class") return sw + "  - name: s1\n    platform: junos\n    ports: {Gi1/0/1: internet}\n";
    if (name == "gateway twice")
        return sw + "  - {name: s1, platform: junos, gateway: [pump]}\n  - {name: s2, platform: junos, gateway: [pump]}\n";
    if (name == "ssh_port zero") return sw + "  - {name: s1, platform: junos, ssh_port: 0}\n";
    if (name == "trunk vlan range") return sw + "  - name: s1\n    platform: junos\n    trunks: {Te1: [110, 5000]}\n";
    if (name == "bad interface range") return sw + "  - name: s1\n    platform: junos\n    ports: {Gi1/0/9-2: pump}\n";
    return c.yaml;
}

}  // namespace

TEST_CASE("each bad policy reports its error with the exact message and location") {
    CHECK(kCases.size() >= 30);
    CompileOptions options;
    options.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{1}};
    for (const auto& c : kCases) {
        CAPTURE(c.name);
        auto result = compile_policy_text(yaml_of(c), "<text>", options);
        CHECK_FALSE(result.ok());
        bool found = false;
        for (const auto& d : result.diagnostics.items())
            if (d.severity == Severity::error && d.message == c.message && d.location.line == c.line &&
                d.location.column == c.column && d.location.file == "<text>")
                found = true;
        if (!found)
            for (const auto& d : result.diagnostics.items()) MESSAGE(format_diagnostic(d));
        CHECK(found);
    }
}

