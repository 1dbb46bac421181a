// nftables' change form (emitters/nftables_change.cpp) on the fixture router
// (tests/fixtures/nftables: a Debian 12 `nft list ruleset` written from the nftables wiki and
// its policy): the one step typed into the simulated router (plan/device_nftables.cpp) gives
// the target's microseg tables and leaves Debian's own tables byte for byte; the router drift
// check finds it clean; the rollback restores the text it started from; the optional
// conntrack commands name the flow the change removes.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "audit/drift/drift_router.hpp"
#include "audit/parse/registry.hpp"
#include "compiler/compiler.hpp"
#include "emitters/change_form.hpp"
#include "emitters/emitter.hpp"
#include "emitters/nftables_ruleset.hpp"
#include "plan/device.hpp"
#include "plan/test_fixture.hpp"

using namespace microseg;

namespace {

std::string fixture_path(const std::string& name) {
    return std::string(MICROSEG_SOURCE_DIR) + "/tests/fixtures/nftables/" + name;
}

std::string read_fixture(const std::string& name) { return test::fixture_text("nftables/" + name); }

// The fixture policy, or (guest_http = false) the same with the guest Wi-Fi's http to the
// internet taken away: a flow only the router filters.
Policy fixture_policy(bool guest_http) {
    auto text = read_fixture("policy.yaml");
    if (!guest_http) {
        const std::string flow = "services: [http, https, dns], reason: \"waiting-room Wi-Fi\"";
        auto at = text.find(flow);
        REQUIRE(at != std::string::npos);
        text.replace(at, flow.size(), "services: [https, dns], reason: \"waiting-room Wi-Fi\"");
    }
    auto compiled = compile_policy_text(text, fixture_path("policy.yaml"));
    REQUIRE(compiled.ok());
    return std::move(*compiled.policy);
}

const Switch& router(const Policy& p) {
    const Switch* sw = p.find_switch("debian-gw");
    REQUIRE(sw);
    return *sw;
}

// Everything a ChangeRequest refers to, kept alive together.
struct Change {
    Policy policy;
    ParsedConfig current;
    std::string current_text;
    SwitchIntent target;
    std::string target_text;
};

ParsedConfig parse(const std::string& text) { return parser_for(PlatformId::nftables)(text); }

// From `running` to what compile writes for the router under `policy`.
Change forward_change(Policy policy, const std::string& running) {
    const Switch& sw = router(policy);
    auto emitted = emitter_for(PlatformId::nftables).emit(policy, sw);
    REQUIRE(emitted);
    auto intent = switch_intent(policy, sw);
    REQUIRE(intent);
    auto target = change_writer_for(PlatformId::nftables).in_device_names(*intent, sw);
    auto current = parse(running);
    return Change{std::move(policy), std::move(current), running, std::move(target), emitted->text};
}

ChangeForm write(const Change& c, bool rollback = false) {
    ChangeRequest request{c.policy, router(c.policy), c.current, c.current_text, c.target, c.target_text, rollback};
    return change_writer_for(PlatformId::nftables).write(request);
}

// Back from `now` to `original`, the text the plan started from.
Change rollback_change(Policy policy, const std::string& now, const std::string& original) {
    auto current = parse(now);
    auto target = parse(original).as_built;
    return Change{std::move(policy), std::move(current), now, std::move(target), original};
}

std::string typed(const std::string& running, const ChangeForm& form) {
    auto device = simulated_device(PlatformId::nftables, running);
    for (const auto& step : form.steps) {
        auto refused = device->type(step.commands);
        REQUIRE_MESSAGE(!refused, step.title << ": " << (refused ? refused->message : ""));
    }
    return device->running_config();
}

std::string table_block(const std::string& text, const std::string& header) {
    auto start = text.find(header);
    REQUIRE_MESSAGE(start != std::string::npos, header);
    return text.substr(start, text.find("\n}\n", start) + 3 - start);
}

void check_microseg_tables_equal(const std::string& running, const std::string& target_file) {
    auto have = read_nft_ruleset(running);
    auto want = read_nft_ruleset(target_file);
    REQUIRE(have);
    REQUIRE(want);
    for (const auto& family : microseg_table_families()) {
        CAPTURE(family);
        REQUIRE(have->find(family, "microseg"));
        REQUIRE(want->find(family, "microseg"));
        CHECK(have->find(family, "microseg")->body == want->find(family, "microseg")->body);
    }
}

}  // namespace

TEST_CASE("one nft transaction takes the router to the target's microseg tables and touches nothing else") {
    const auto running = read_fixture("debian-router.nft");
    const auto change = forward_change(fixture_policy(false), running);
    auto form = write(change);
    REQUIRE(form.steps.size() == 1);
    const auto& commands = form.steps[0].commands;
    REQUIRE(commands.size() > 2);
    CHECK(commands.front() == "nft -f - <<'MICROSEG'");
    CHECK(commands.back() == "MICROSEG");

    const auto after = typed(running, form);
    check_microseg_tables_equal(after, change.target_text);
    CHECK(table_block(after, "table inet filter {") == table_block(running, "table inet filter {"));
    CHECK(table_block(after, "table ip nat {") == table_block(running, "table ip nat {"));
    CHECK(after.find("tcp dport 80") == std::string::npos);  // the guest's http is gone

    // The drift check of a router finds the new state clean against the changed policy, and
    // not against the old one (the change is real).
    auto parsed = parse(after);
    const Switch& sw = router(change.policy);
    CHECK(diff_router(change.policy, *switch_intent(change.policy, sw), parsed).empty());
    const Policy before = fixture_policy(true);
    CHECK_FALSE(diff_router(before, *switch_intent(before, router(before)), parsed).empty());
    // A plan on the state after is empty.
    CHECK(write(forward_change(fixture_policy(false), after)).steps.empty());
}

TEST_CASE("the rollback puts back the text the router ran, byte for byte") {
    const auto running = read_fixture("debian-router.nft");
    const auto after = typed(running, write(forward_change(fixture_policy(false), running)));
    REQUIRE(after != running);
    auto rollback = write(rollback_change(fixture_policy(false), after, running), /*rollback=*/true);
    REQUIRE(rollback.steps.size() == 1);
    CHECK(rollback.steps[0].commands.front() == "nft -f - <<'MICROSEG'");
    CHECK(typed(after, rollback) == running);
    // Nothing to roll back once it is back.
    CHECK(write(rollback_change(fixture_policy(false), running, running), true).steps.empty());
}

TEST_CASE("a router that ran no microseg tables gets them, and the rollback deletes them again") {
    const auto fixture = read_fixture("debian-router.nft");
    auto bare = read_nft_ruleset(fixture);
    REQUIRE(bare);
    REQUIRE_FALSE(bare->apply("delete table inet microseg\ndelete table bridge microseg\n"));
    const auto running = bare->print();
    // Why the form declares a table before deleting it: a bare delete fails the whole file.
    auto device = simulated_device(PlatformId::nftables, running);
    auto refused = device->type({"nft -f - <<'X'", "delete table inet microseg", "X"});
    REQUIRE(refused);
    CHECK(refused->message.find("No such file or directory") != std::string::npos);
    CHECK(device->running_config() == running);

    const auto after = typed(running, write(forward_change(fixture_policy(true), running)));
    check_microseg_tables_equal(after, forward_change(fixture_policy(true), running).target_text);
    auto rollback = write(rollback_change(fixture_policy(true), after, running), /*rollback=*/true);
    REQUIRE(rollback.steps.size() == 1);
    CHECK(typed(after, rollback) == running);
}

TEST_CASE("the sessions of a removed flow: a note and one conntrack -D naming that flow") {
    const auto running = read_fixture("debian-router.nft");
    auto form = write(forward_change(fixture_policy(false), running));
    CHECK(form.optional_commands == std::vector<std::string>{"conntrack -D -s 10.20.64.0/22 -p tcp --dport 80"});
    REQUIRE(form.notes.size() == 1);
    CHECK(form.notes[0].find("live on in conntrack until they time out") != std::string::npos);
    // Undoing it removes nothing the router permitted: no conntrack commands, no note.
    const auto after = typed(running, form);
    auto rollback = write(rollback_change(fixture_policy(false), after, running), true);
    CHECK(rollback.optional_commands.empty());
    CHECK(rollback.notes.empty());
    // The fixture policy as it is removes no flow either (the text differs: counters, sets).
    auto same_flows = write(forward_change(fixture_policy(true), running));
    CHECK(same_flows.steps.size() == 1);
    CHECK(same_flows.optional_commands.empty());
}
