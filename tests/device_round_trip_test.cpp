// The round trip a real network makes: every example compiled, each config printed the way its
// switch shows it (tests/support/device_printer.hpp: full interface names, one block per port,
// split VLAN lists, comments dropped, Junos order, the real `nft list ruleset`), then
// `microseg diff --dir` on those files. Whenever the compiled config is clean, the printed one
// must be too.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "emitters/test_fixture.hpp"
#include "model/config_file.hpp"
#include "tests/support/device_printer.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace microseg;

TEST_CASE("compile -> print as the device does -> diff is clean, every example and platform") {
    for (std::string example : {"clinic", "hospital", "health-system"}) {
        CAPTURE(example);
        auto policy_path = fmt::format("{}/examples/{}/policy.yaml", MICROSEG_SOURCE_DIR, example);
        auto compiled = compile_policy_file(policy_path);
        REQUIRE(compiled.ok());
        const Policy& policy = *compiled.policy;
        test::TempDir dir("round-trip");
        std::size_t printed = 0;
        for (const auto& sw : policy.switches()) {
            CAPTURE(sw.name);
            auto emitted = emitter_for(sw.platform).emit(policy, sw);
            REQUIRE(emitted);
            auto device = test::print_as_device(sw.platform, sw.name, emitted->text);
            if (!device.text) {
                if (test::nft_unavailable_is_failure()) FAIL(device.why_not);
                MESSAGE("not printed (", device.why_not, "): ", sw.name);
                continue;
            }
            CHECK(*device.text != emitted->text);  // the printer changed something
            dir.file(config_file_name(sw), *device.text);
            ++printed;
        }
        auto diff = testing::run_microseg({"diff", "--at", microseg::testing::kPolicyDay, policy_path, "--dir", dir.path}, {"MICROSEG_REDACT_KEY=k"});
        CHECK_MESSAGE(diff.exit_code == (printed == policy.switches().size() ? 0 : 2), diff.out, diff.err);
        CHECK_MESSAGE(diff.out.find(fmt::format("{} clean, 0 drifted, 0 unknown", printed)) != std::string::npos, diff.out);
    }
}

TEST_CASE("the device printer prints what devices print") {
    auto policy = test::sample_policy(PlatformId::cisco_ios);
    auto ios = emitter_for(PlatformId::cisco_ios).emit(policy, policy.switches()[0]);
    REQUIRE(ios);
    auto printed = test::print_as_device(PlatformId::cisco_ios, "acc-sw-01", ios->text);
    REQUIRE(printed.text);
    CHECK(printed.text->find("interface range") == std::string::npos);
    CHECK(printed.text->find("\ninterface GigabitEthernet1/0/1\n") != std::string::npos);
    CHECK(printed.text->find("\ninterface TenGigabitEthernet1/1/1\n") != std::string::npos);
    CHECK(printed.text->find("switchport trunk allowed vlan add ") != std::string::npos);
    CHECK(printed.text->find("microseg policy") == std::string::npos);  // IOS keeps no comments
    CHECK(printed.text->starts_with("Building configuration...\n\nCurrent configuration : "));
}
