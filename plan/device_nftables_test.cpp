// The simulated Linux router (plan/device_nftables.cpp) on tests/fixtures/nftables/
// debian-router.nft, an `nft list ruleset` of a Debian 12 router written from the nftables
// wiki and nft(8), not from microseg's output: what it reads back, and nft's transaction
// rules (one here-document is all or nothing; a delete of a missing table fails it).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "audit/drift/drift_router.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "plan/device.hpp"
#include "plan/test_fixture.hpp"

using namespace microseg;

namespace {

std::string fixture_path(const std::string& name) {
    return std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/nftables/" + name;
}

std::string read_fixture(const std::string& name) { return test::fixture_text("nftables/" + name); }

// The block of table `header` ("table inet filter {") in a ruleset text, up to its closing
// line "}" at the start of a line.
std::string table_block(const std::string& text, const std::string& header) {
    auto start = text.find(header);
    REQUIRE_MESSAGE(start != std::string::npos, header);
    auto end = text.find("\n}\n", start);
    REQUIRE(end != std::string::npos);
    return text.substr(start, end + 3 - start);
}

std::vector<std::string> heredoc(std::vector<std::string> lines) {
    lines.insert(lines.begin(), "nft -f - <<'EOF'");
    lines.push_back("EOF");
    return lines;
}

}  // namespace

TEST_CASE("nft list ruleset text is held table by table and prints back byte for byte") {
    const auto text = read_fixture("debian-router.nft");
    auto device = simulated_device(PlatformId::nftables, text);
    CHECK(device->running_config() == text);
    auto parsed = parser_for(PlatformId::nftables)(device->running_config());
    REQUIRE(parsed.router);
    CHECK(parsed.router->has_forward);
    CHECK(parsed.router->conntrack_line > 0);
}

TEST_CASE("one here-document is one transaction: a delete of a missing table undoes all of it") {
    const auto text = read_fixture("debian-router.nft");
    auto device = simulated_device(PlatformId::nftables, text);
    auto refused = device->type(heredoc({"flush ruleset", "table inet microseg", "delete table inet microseg",
                                         "delete table inet absent"}));
    REQUIRE(refused);
    CHECK(refused->message.find("No such file or directory") != std::string::npos);
    CHECK(refused->message.find("delete table inet absent") != std::string::npos);
    CHECK(device->running_config() == text);  // the flush and the delete before it did not happen
    // The same delete, declared first, cannot fail: the idiom the emitted file uses.
    CHECK_FALSE(device->type(heredoc({"table inet absent", "delete table inet absent"})));
    CHECK(device->running_config() == text);
}

TEST_CASE("declare, delete, declare again replaces one table; the other tables stay byte for byte") {
    const auto text = read_fixture("debian-router.nft");
    auto device = simulated_device(PlatformId::nftables, text);
    auto refused = device->type(heredoc({"# a comment { with a brace", "table inet microseg",
                                         "delete table inet microseg", "table inet microseg {",
                                         "\tchain forward {  # the only chain",
                                         "\t\ttype filter hook forward priority filter; policy drop;",
                                         "\t\tip saddr 10.20.64.0/22 tcp dport 443 accept", "\t}", "}"}));
    REQUIRE_FALSE(refused);
    const auto after = device->running_config();
    CHECK(after.find("jump from_workstation") == std::string::npos);
    CHECK(after.find("\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n"
                     "\t\tip saddr 10.20.64.0/22 tcp dport 443 accept\n\t}\n") != std::string::npos);
    CHECK(after.find("the only chain") == std::string::npos);  // comments are not held
    CHECK(table_block(after, "table inet filter {") == table_block(text, "table inet filter {"));
    CHECK(table_block(after, "table ip nat {") == table_block(text, "table ip nat {"));
    CHECK(table_block(after, "table bridge microseg {") == table_block(text, "table bridge microseg {"));
    // nft lists tables in the order they were made: the new one last.
    CHECK(after.find("table bridge microseg {") < after.find("table inet microseg {"));
}

TEST_CASE("nft statements on the command line, conntrack, and what the router does not run") {
    const auto text = read_fixture("debian-router.nft");
    auto device = simulated_device(PlatformId::nftables, text);
    CHECK_FALSE(device->type({"nft delete table bridge microseg"}));
    CHECK(device->running_config().find("table bridge microseg") == std::string::npos);
    auto again = device->type({"sudo nft delete table bridge microseg"});
    REQUIRE(again);
    CHECK(again->message.find("No such file or directory") != std::string::npos);
    CHECK_FALSE(device->type({"nft add table bridge microseg"}));
    CHECK(device->running_config().ends_with("table bridge microseg {\n}\n"));
    const auto before = device->running_config();
    CHECK_FALSE(device->type({"conntrack -D -s 10.20.64.0/22 -p tcp --dport 80", "nft list ruleset", "# note"}));
    CHECK(device->running_config() == before);
    auto unknown = device->type({"systemctl restart nftables"});
    REQUIRE(unknown);
    CHECK(unknown->message.find("systemctl restart nftables") != std::string::npos);
    CHECK(device->running_config() == before);
}

TEST_CASE("a here-document left open goes on in the next call; a text nft refuses is kept as it is") {
    auto device = simulated_device(PlatformId::nftables, "");
    CHECK_FALSE(device->type({"nft -f - <<END", "table inet microseg {"}));
    CHECK(device->running_config().empty());  // not applied before its end marker
    CHECK_FALSE(device->type({"}", "END"}));
    CHECK(device->running_config() == "table inet microseg {\n}\n");

    const std::string broken = "table inet filter {\n\tchain input {\n";
    auto unreadable = simulated_device(PlatformId::nftables, broken);
    CHECK(unreadable->running_config() == broken);
    auto refused = unreadable->type({"nft add table inet microseg"});
    REQUIRE(refused);
    CHECK(refused->message.find("could not be read") != std::string::npos);
}

TEST_CASE("a file compile wrote is a running ruleset too, and reads back clean") {
    auto compiled = compile_policy_file(fixture_path("policy.yaml"));
    REQUIRE(compiled.ok());
    const Policy& policy = *compiled.policy;
    const Switch* sw = policy.find_switch("debian-gw");
    REQUIRE(sw);
    auto emitted = emitter_for(PlatformId::nftables).emit(policy, *sw);
    REQUIRE(emitted);
    auto device = simulated_device(PlatformId::nftables, emitted->text);
    const auto running = device->running_config();
    CHECK(running.starts_with("table inet microseg {\n\tchain forward {\n"));
    CHECK(running.find("# microseg policy") == std::string::npos);  // nft keeps no comments
    auto parsed = parser_for(PlatformId::nftables)(running);
    auto intent = switch_intent(policy, *sw);
    REQUIRE(intent);
    CHECK(diff_router(policy, *intent, parsed).empty());
}
