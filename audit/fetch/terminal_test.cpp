// The screen rules of the SSH fetch and the checks that decide whether a reply is a
// configuration at all, on replies written as the devices print them.

#include <doctest/doctest.h>

#include "audit/fetch/config_source.hpp"
#include "audit/fetch/terminal.hpp"

using namespace microseg;

namespace {

std::string screen(std::string_view raw) {
    Terminal t;
    t.feed(raw);
    return t.text();
}

const Platform& junos() { return platform(PlatformId::junos); }

}  // namespace

TEST_CASE("terminal: a pager erased with CR, spaces and CR leaves no indented junk") {
    // IOS-XE style backspace erase and the CR erase some platforms use (after the pager text
    // itself was taken by take_pager, the erase sequence follows the key that answered it).
    CHECK(screen("interface Vlan10\r\n\r          \r ip address 10.1.0.1 255.255.255.0\r\n") ==
          "interface Vlan10\n ip address 10.1.0.1 255.255.255.0\n");
    CHECK(screen("vlan 10\r\n --More-- \r          \rvlan 20\r\n") == "vlan 10\nvlan 20\n");
    CHECK(screen("vlan 10\r\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bvlan 20\r\n") ==
          "vlan 10\nvlan 20\n");
    CHECK(screen("a\r\r\nb\n") == "a\nb\n");  // "\r\r\n" is still one line end
}

TEST_CASE("terminal: ANSI sequences are dropped, the pager marker is taken") {
    CHECK(screen("\x1b[1A\x1b[2K\x1b[8mhostname sw1\x1b[0m\r\n") == "hostname sw1\n");
    Terminal t;
    t.feed("vlan 10\r\n---(more 42%)---");
    CHECK(t.take_pager());
    CHECK(t.text() == "vlan 10\n");
    CHECK(looks_like_prompt("admin@acc-sw-01> "));
    CHECK_FALSE(looks_like_prompt("Screen length set to 0"));
}

TEST_CASE("error answers of IOS, EOS and Junos give their first line") {
    CHECK(error_answer("                    ^\n% Invalid input detected at '^' marker.\n\n") ==
          "% Invalid input detected at '^' marker.");
    CHECK(error_answer("% Ambiguous command:  \"show run\"\n") == "% Ambiguous command:  \"show run\"");
    CHECK(error_answer("% Unknown command or computer name, or unable to find computer address\n").has_value());
    CHECK(error_answer("                 ^\nsyntax error.\n") == "syntax error.");
    CHECK(error_answer("\nunknown command.\n") == "unknown command.");
    CHECK(error_answer("error: could not open configuration database\n") ==
          "error: could not open configuration database");
    CHECK_FALSE(error_answer("Building configuration...\n\nCurrent configuration : 1234 bytes\n!\nend\n"));
    CHECK_FALSE(error_answer("## Last commit: 2026-11-30 10:12:44 UTC by admin\nset version 21.4R3-S2\n"));
}

TEST_CASE("a Junos reply is a configuration only with a top-level statement") {
    // `show configuration` (hierarchical) and `| display set`, as an EX switch prints them.
    CHECK_FALSE(config_problem(junos(), "## Last commit: 2026-11-30 10:12:44 UTC by admin\n"
                                        "version 21.4R3-S2;\nsystem {\n    host-name acc-sw-01;\n}\n"
                                        "interfaces {\n    ge-0/0/1 {\n        unit 0 {\n"
                                        "            family ethernet-switching {\n"
                                        "                vlan {\n                    members CLINICAL;\n"
                                        "                }\n            }\n        }\n    }\n}\n"));
    CHECK_FALSE(config_problem(junos(), "## Last commit: 2026-11-30 10:12:44 UTC by admin\n"
                                        "set version 21.4R3-S2\nset system host-name acc-sw-01\n"
                                        "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members CLINICAL\n"
                                        "deactivate interfaces ge-0/0/2\n"));
    // The echo of a setup command and its answer: what a reader one answer behind saw.
    CHECK(config_problem(junos(), "set cli screen-length 0\nScreen length set to 0\n").has_value());
    CHECK(config_problem(junos(), "set cli screen-width 0\n").has_value());
    CHECK(config_problem(junos(), "Screen width set to 0\n").has_value());
    CHECK(config_problem(junos(), "\n\n") == "empty answer");
    CHECK(config_problem(junos(), "system {\n    host-name acc-sw-01;\n").has_value());  // cut short
}

TEST_CASE("IOS/EOS need `end`, nftables a table or nothing at all") {
    const Platform& ios = platform(PlatformId::cisco_ios);
    CHECK_FALSE(config_problem(ios, "Building configuration...\n!\nhostname acc-sw-01\n!\nend\n"));
    CHECK(config_problem(ios, "Building configuration...\n!\nhostname acc-sw-01\n") == "ended without 'end'");
    const Platform& nft = platform(PlatformId::nftables);
    CHECK_FALSE(config_problem(nft, "table inet filter {\n\tchain forward {\n\t\ttype filter hook forward priority filter; "
                                    "policy drop;\n\t}\n}\n"));
    // An empty ruleset is what nft prints for a router with nothing loaded: a state, not a fault.
    CHECK_FALSE(config_problem(nft, ""));
    CHECK_FALSE(config_problem(nft, "\n"));
    CHECK(config_problem(nft, "# Warning: table ip filter is managed by iptables-nft\n") == "no 'table' in the ruleset");
    CHECK(config_problem(nft, "netlink: Error: cache initialization failed: Operation not permitted\n") ==
          "no 'table' in the ruleset");
    CHECK(config_problem(ios, "") == "empty answer");
    CHECK(config_problem(platform(PlatformId::junos), "\r\n") == "empty answer");
}
