// The nftables parser on hand-written rulesets in the form `nft list ruleset` prints: sets,
// ranges, negation, jump/goto inlining, conntrack, several base chains, and robustness on
// truncated and garbled text.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "model/acl_diff.hpp"
#include "model/as_built.hpp"
#include "model/file_io.hpp"

using namespace microseg;

namespace {

Packet tcp(const char* src, const char* dst, std::uint16_t dport, bool established = false) {
    Packet p;
    p.protocol = Protocol::tcp;
    p.source = *IpAddress::parse(src);
    p.destination = *IpAddress::parse(dst);
    p.source_port = 40000;
    p.destination_port = dport;
    p.established = established;
    return p;
}

Packet udp(const char* src, const char* dst, std::uint16_t dport) {
    auto p = tcp(src, dst, dport);
    p.protocol = Protocol::udp;
    return p;
}

const std::vector<AclEntry>& forward(const ParsedConfig& c) { return c.as_built.svis.at(0).acl.entries; }

// As `nft list ruleset` prints it (handles included, as with -a).
const char* kPrinted = R"(table inet filter { # handle 7
	set mgmt { # handle 3
		type ipv4_addr
		flags interval
		elements = { 10.9.0.0/16, 10.8.8.8,
			     10.7.7.0-10.7.7.15 }
	}

	chain forward { # handle 1
		type filter hook forward priority filter; policy drop;
		ct state established,related accept # handle 4
		ct state invalid drop
		ip saddr { 10.1.0.0/24, 10.2.0.0/24 } jump from_clinic comment "clinical"
		ip saddr @mgmt tcp dport { 22, 8000-8010 } counter packets 12 bytes 720 accept
		ip saddr 10.3.0.0/24 ip daddr != 10.0.0.0/8 udp dport != 53 accept
		ip saddr 10.4.0.0/24 goto from_lab
		ip6 saddr 2001:db8:1::/64 meta l4proto ipv6-icmp accept
		log prefix "forward drop: " level info flags all drop
	}

	chain from_clinic {
		ip daddr 10.5.0.0/24 tcp dport 443 accept
		meta l4proto icmp ip daddr 10.5.0.0/24 accept
		ip daddr 10.6.0.0/24 drop
		th dport 514 accept
	}

	chain from_lab {
		tcp dport 80 accept
	}
}
table bridge iso {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ip saddr 10.1.0.0/24 ip daddr 10.1.0.0/24 drop
	}
}
)";

}  // namespace

TEST_CASE("nft parser: the printed form with sets, ranges, negation and jump/goto chains") {
    auto c = parse_nftables(kPrinted);
    CHECK_MESSAGE(c.warnings.empty(), (c.warnings.empty() ? "" : c.warnings[0].text + ": " + c.warnings[0].reason));
    REQUIRE(c.router);
    CHECK(c.router->has_forward);
    CHECK(c.router->conntrack_line == 11);
    REQUIRE(c.acls.count("forward"));
    CHECK(c.acls.at("forward").fully_understood);
    CHECK(c.acls.at("forward").line == 9);
    const auto& f = forward(c);
    // The jump chain, under the jump rule's source match.
    CHECK(acl_permits(f, tcp("10.1.0.9", "10.5.0.1", 443)));
    CHECK(acl_permits(f, tcp("10.2.0.9", "10.5.0.1", 443)));
    CHECK_FALSE(acl_permits(f, tcp("10.1.0.9", "10.5.0.1", 80)));
    CHECK_FALSE(acl_permits(f, tcp("10.7.0.9", "10.5.0.1", 443)));  // not in the jump's set
    Packet ping = tcp("10.1.0.9", "10.5.0.7", 0);
    ping.protocol = Protocol::icmp;
    CHECK(acl_permits(f, ping));
    CHECK_FALSE(acl_permits(f, tcp("10.1.0.9", "10.6.0.1", 514)));  // dropped before th dport 514
    CHECK(acl_permits(f, tcp("10.1.0.9", "10.99.0.1", 514)));
    CHECK(acl_permits(f, udp("10.1.0.9", "10.99.0.1", 514)));
    // The chain returns without a verdict: later base-chain rules still apply.
    CHECK(acl_permits(f, tcp("10.9.1.1", "10.99.0.1", 8005)));
    // The named set: a prefix, a host, a range.
    CHECK(acl_permits(f, tcp("10.8.8.8", "10.99.0.1", 22)));
    CHECK(acl_permits(f, tcp("10.7.7.15", "10.99.0.1", 22)));
    CHECK_FALSE(acl_permits(f, tcp("10.7.7.16", "10.99.0.1", 22)));
    CHECK_FALSE(acl_permits(f, tcp("10.8.8.9", "10.99.0.1", 22)));
    CHECK_FALSE(acl_permits(f, tcp("10.9.1.1", "10.99.0.1", 8011)));
    // Negated address and port.
    CHECK(acl_permits(f, udp("10.3.0.1", "192.0.2.1", 123)));
    CHECK_FALSE(acl_permits(f, udp("10.3.0.1", "192.0.2.1", 53)));
    CHECK_FALSE(acl_permits(f, udp("10.3.0.1", "10.200.0.1", 123)));
    // goto from the base chain: the policy decides what the goto chain leaves.
    CHECK(acl_permits(f, tcp("10.4.0.1", "10.99.0.1", 80)));
    CHECK_FALSE(acl_permits(f, tcp("10.4.0.1", "10.99.0.1", 22)));
    // IPv6 by family.
    Packet ping6 = ping;
    ping6.source = *IpAddress::parse("2001:db8:1::5");
    ping6.destination = *IpAddress::parse("2001:db8:9::5");
    CHECK(acl_permits(f, ping6));
    // Every entry points at a line of the ruleset.
    for (int line : c.acls.at("forward").entry_lines) CHECK((line >= 9 && line <= 30));
    // The bridge table: isolation inside 10.1.0.0/24.
    CHECK(c.router->has_bridge);
    CHECK_FALSE(acl_permits(c.router->bridge.entries, tcp("10.1.0.1", "10.1.0.2", 80)));
    CHECK(acl_permits(c.router->bridge.entries, tcp("10.2.0.1", "10.2.0.2", 80)));
}

TEST_CASE("nft parser: the nft -f input form, deletes, two base chains in series") {
    auto c = parse_nftables(
        "# microseg policy p version abc switch fw\n"
        "table inet old { chain forward { type filter hook forward priority 0; policy accept; } }\n"
        "table inet old\ndelete table inet old\n"
        "table ip a {\n chain f { type filter hook forward priority 0; policy accept; tcp dport 23 drop; }\n}\n"
        "table ip b {\n chain f {\n  type filter hook forward priority 10; policy drop;\n  tcp dport { 22, 23 } accept\n }\n}\n");
    CHECK(c.warnings.empty());
    CHECK(c.microseg_header == "# microseg policy p version abc switch fw");
    const auto& f = forward(c);
    CHECK(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 22)));
    CHECK_FALSE(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 23)));  // table a drops it
    CHECK_FALSE(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 80)));  // table b drops it
    Packet v6 = tcp("10.0.0.1", "10.0.0.2", 80);
    v6.source = *IpAddress::parse("2001:db8::1");
    v6.destination = *IpAddress::parse("2001:db8::2");
    CHECK(acl_permits(f, v6));  // no ip6/inet chain filters IPv6
    CHECK(c.router->conntrack_line == 0);
}

TEST_CASE("nft parser: what it cannot model is a warning and makes the filter not fully understood") {
    auto c = parse_nftables(
        "table inet filter {\n"
        "\tchain forward {\n"
        "\t\ttype filter hook forward priority filter; policy drop;\n"
        "\t\tiifname \"eth0\" accept\n"
        "\t\ttcp dport 22 limit rate 3/minute accept\n"
        "\t\tip protocol gre accept\n"
        "\t\ttcp dport 80 accept\n"
        "\t}\n"
        "\tfrobnicate everything\n"
        "}\n"
        "add rule inet filter forward accept\n");
    REQUIRE(c.warnings.size() == 5);
    CHECK(c.warnings[0].line == 4);
    CHECK(c.warnings[0].reason.find("iifname") != std::string::npos);
    CHECK(c.warnings[1].line == 5);
    CHECK(c.warnings[2].line == 6);
    CHECK(c.warnings[3].line == 9);
    CHECK(c.warnings[4].line == 11);
    CHECK_FALSE(c.acls.at("forward").fully_understood);
    CHECK(acl_permits(forward(c), tcp("10.0.0.1", "10.0.0.2", 80)));
}

TEST_CASE("nft parser: no forward chain means an unfiltered router") {
    auto c = parse_nftables("table inet filter {\n chain input { type filter hook input priority 0; policy drop; }\n}\n");
    REQUIRE(c.router);
    CHECK_FALSE(c.router->has_forward);
    CHECK(acl_permits(forward(c), tcp("10.0.0.1", "10.0.0.2", 80)));
}

TEST_CASE("nft parser: truncated and garbled rulesets give warnings, never a crash") {
    std::string text = kPrinted;
    for (std::size_t cut = 0; cut < text.size(); cut += 7) {
        auto c = parse_nftables(std::string_view(text).substr(0, cut));
        REQUIRE(c.router);
        // Cut inside a table: the ruleset is incomplete, and says so.
        bool inside = cut > 25 && cut < text.find("}\ntable bridge");
        if (inside) {
            CHECK_MESSAGE(!c.warnings.empty(), "cut at ", cut);
            if (c.acls.count("forward")) CHECK_MESSAGE(!c.acls.at("forward").fully_understood, "cut at ", cut);
        }
    }
    std::mt19937 rng(42);
    const std::string junk = "{}\";#,!=@-/\n\t x";
    for (int round = 0; round < 400; ++round) {
        std::string g = text;
        for (int k = 0; k < 1 + round % 9; ++k) {
            auto at = rng() % g.size();
            switch (rng() % 3) {
                case 0: g[at] = junk[rng() % junk.size()]; break;
                case 1: g.erase(at, rng() % 20); break;
                default: g.insert(at, g.substr(rng() % g.size(), rng() % 40)); break;
            }
            if (g.empty()) g = "}";
        }
        auto c = parse_nftables(g);
        CHECK(c.router);
    }
    auto binary = parse_nftables(std::string("\0\xff\xfe{{{{}}}}\"\n@@@ != -", 22));
    CHECK(binary.router);
}

TEST_CASE("nft parser: throughput on a large ruleset (the hospital router's chains, repeated)") {
    auto golden = read_text_file(std::string(MICROSEG_SOURCE_DIR) + "/tests/golden/hospital/core-fw-01.nft");
    REQUIRE(golden);
    // One table: the forward chain's jumps and the source-class chains copied `copies` times
    // under new names, so every copy is read, stored and flattened.
    std::string dispatch, chains;
    std::istringstream in(*golden);
    std::vector<std::string> jumps, chain_text;
    bool in_chain = false;
    std::string current;
    for (std::string l; std::getline(in, l);) {
        if (l.find(" jump ") != std::string::npos) jumps.push_back(l);
        if (l.starts_with("\tchain from_")) in_chain = true, current.clear();
        if (in_chain) current += l + "\n";
        if (in_chain && l == "\t}") chain_text.push_back(current), in_chain = false;
    }
    REQUIRE(jumps.size() >= 3);
    REQUIRE(chain_text.size() == jumps.size());
    const int copies = 3000;
    std::string text = "table inet microseg {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n"
                       "\t\tct state established,related accept\n";
    std::string body;
    for (int k = 0; k < copies; ++k) {
        for (const auto& j : jumps) text += j + fmt::format("_{}\n", k);
        for (const auto& c : chain_text) {
            auto renamed = c;
            auto brace = renamed.find(" {");
            renamed.insert(brace, fmt::format("_{}", k));
            body += "\n" + renamed;
        }
    }
    text += "\t}\n" + body + "}\n";
    auto start = std::chrono::steady_clock::now();
    auto c = parse_nftables(text);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(c.warnings.empty());
    CHECK(c.acls.at("forward").fully_understood);
    // 34 entries per copy since issue 19: four internal_space drops replace one drop per class subnet.
    CHECK(forward(c).size() > static_cast<std::size_t>(copies) * 30);
    MESSAGE(fmt::format("nft parse: {:.1f} MB, {} lines, {} entries in {:.3f} s = {:.1f} MB/s", text.size() / 1e6,
                        std::count(text.begin(), text.end(), '\n'), forward(c).size(), seconds,
                        text.size() / 1e6 / seconds));
    // The same chains with no jump to them: reading alone, without the flattened entries.
    std::string unreferenced = "table inet microseg {\n\tchain forward {\n\t\ttype filter hook forward priority "
                               "filter; policy drop;\n\t}\n" + body + "}\n";
    start = std::chrono::steady_clock::now();
    auto r = parse_nftables(unreferenced);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(r.warnings.empty());
    MESSAGE(fmt::format("nft read only (no jumps): {:.1f} MB in {:.3f} s = {:.1f} MB/s", unreferenced.size() / 1e6,
                        seconds, unreferenced.size() / 1e6 / seconds));
}

// The flattened list's storage is kept between parses on a thread (parse_nftables.cpp): a
// ruleset parsed after a larger one, and again after it, must come out the same.
TEST_CASE("nft parser: storage kept between parses does not carry one ruleset into the next") {
    std::string big = "table ip f {\n chain fwd {\n  type filter hook forward priority 0; policy drop;\n";
    for (int i = 0; i < 5'000; ++i) big += fmt::format("  ip daddr 10.{}.{}.0/24 tcp dport 22 accept\n", i / 256, i % 256);
    big += " }\n}\n";
    auto first = parse_nftables(kPrinted);
    auto large = parse_nftables(big);
    auto again = parse_nftables(kPrinted);
    // The rules, the policy (ip only) and the catch-all (both families).
    CHECK(large.as_built.svis.at(0).acl.entries.size() == 5'000 + 1 + 2);
    CHECK(again.as_built.svis.at(0).acl.entries == first.as_built.svis.at(0).acl.entries);
    CHECK(again.acls.at("forward").entry_lines == first.acls.at("forward").entry_lines);
}

// The parser reads plain IPv4 prefixes itself (audit/parse/nftables/values.hpp), and must accept exactly
// what Cidr::parse accepts: `10.0.0.0/0` (host bits under a /0) once slipped through.
TEST_CASE("nft parser: IPv4 prefixes are read as Cidr::parse reads them") {
    for (const char* prefix : {"10.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "10.0.0.1/08", "010.0.0.0/8", "10.0.0.1/32",
                               "10.0.0.1/31", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8",
                               "1.2.3.4/3x", "255.255.255.255/32", "10.0.0.0/00", "1.2.3.0/24/1"}) {
        auto c = parse_nftables(fmt::format("table ip f {{\n chain fwd {{\n  type filter hook forward priority 0; "
                                            "policy drop;\n  ip daddr {} accept\n }}\n}}\n",
                                            prefix));
        CHECK_MESSAGE(c.warnings.empty() == Cidr::parse(prefix).has_value(), prefix);
    }
}

// Chain blocks of one name are one chain, as in nft: rules in the order read, the last policy.
TEST_CASE("nft parser: a chain given in two blocks is one chain") {
    auto c = parse_nftables(
        "table ip f {\n chain fwd {\n  type filter hook forward priority 0; policy drop;\n  jump more\n }\n"
        " chain more { tcp dport 22 accept; }\n chain fwd { tcp dport 23 accept; policy accept; }\n"
        " chain more { tcp dport 24 drop; }\n}\n");
    CHECK(c.warnings.empty());
    const auto& f = forward(c);
    CHECK(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 22)));
    CHECK(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 23)));
    CHECK_FALSE(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 24)));  // the jumped chain's second block
    CHECK(acl_permits(f, tcp("10.0.0.1", "10.0.0.2", 25)));         // the second block's policy
}
