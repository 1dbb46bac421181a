// Includes: relative paths, read-once, cycles with their chain, definitions in two files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "compiler/compiler.hpp"
#include "compiler/loader.hpp"

using namespace microseg;
namespace fs = std::filesystem;

namespace {

struct TempTree {
    fs::path root;
    explicit TempTree(const char* name) {
        root = fs::temp_directory_path() / fmt::format("microseg-inc-{}-{}", name, ::getpid());
        fs::remove_all(root);
        fs::create_directories(root);
    }
    ~TempTree() { fs::remove_all(root); }
    std::string write(const std::string& rel, const std::string& text) const {
        auto p = root / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }
};

bool has_error(const CompileResult& r, const std::string& file, int line, int col, const std::string& message) {
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error && d.location.file == file && d.location.line == line &&
            d.location.column == col && d.message == message)
            return true;
    for (const auto& d : r.diagnostics.items()) MESSAGE(format_diagnostic(d));
    return false;
}

}  // namespace

TEST_CASE("includes resolve relative to the including file and merge sections") {
    TempTree t("merge");
    auto top = t.write("site/policy.yaml",
                       "version: 1\nname: st-mary\ninclude: [lib/services.yaml, lib/classes.yaml]\n"
                       "flows:\n  - {from: ws, to: pacs, services: [pacs-web]}\n");
    // classes.yaml includes services.yaml again (relative to lib/): it is read once.
    t.write("site/lib/services.yaml", "services:\n  pacs-web: [tcp/443, tcp/8443]\n");
    t.write("site/lib/classes.yaml", "include: services.yaml\nclasses:\n  ws: {vlan: 200, subnets: [10.200.0.0/21]}\n"
                                     "  pacs: {vlan: 130, subnets: [10.130.0.0/26], phi: true}\n");
    auto r = compile_policy_file(top);
    REQUIRE(r.ok());
    CHECK(r.policy->name() == "st-mary");
    CHECK(r.policy->classes().size() == 2);
    REQUIRE(r.policy->find_service("pacs-web"));
    CHECK(r.policy->find_service("pacs-web")->ports.size() == 2);
    CHECK(r.sources.size() == 3);
    CHECK(r.policy->flows().size() == 1);
    // The hash covers every file's bytes in read order: changing an included file changes it.
    auto before = r.policy->version_hash();
    CHECK(before.size() == 16);
    t.write("site/lib/services.yaml", "services:\n  pacs-web: [tcp/443]\n");
    auto again = compile_policy_file(top);
    REQUIRE(again.ok());
    CHECK(again.policy->version_hash() != before);
}

TEST_CASE("the version hash is FNV-1a 64 of the bytes") {
    CHECK(fmt::format("{:016x}", compiler::fnv1a(compiler::kFnvOffset, "")) == "cbf29ce484222325");
    CHECK(fmt::format("{:016x}", compiler::fnv1a(compiler::kFnvOffset, "a")) == "af63dc4c8601ec8c");
    auto r = compile_policy_text("version: 1\n", "x.yaml");
    REQUIRE(r.ok());
    CHECK(r.policy->version_hash() == fmt::format("{:016x}", compiler::fnv1a(compiler::kFnvOffset, "version: 1\n")));
}

TEST_CASE("an include cycle is reported with its chain") {
    TempTree t("cycle");
    auto a = t.write("a.yaml", "version: 1\ninclude: [b.yaml]\n");
    auto b = t.write("b.yaml", "include: [c.yaml]\n");
    auto c = t.write("c.yaml", "include:\n  - a.yaml\n");
    auto r = compile_policy_file(a);
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, c, 2, 5, fmt::format("include cycle: {} -> {} -> {} -> {}", a, b, c, a)));
}

TEST_CASE("a class, service or switch defined in two files names both places") {
    TempTree t("twice");
    auto top = t.write("p.yaml", "version: 1\ninclude: [more.yaml]\nservices:\n  web: [tcp/80]\nclasses:\n"
                                 "  pump: {vlan: 110, subnets: [10.110.0.0/22]}\n"
                                 "switches:\n  - {name: sw1, platform: junos}\n");
    auto more = t.write("more.yaml", "services:\n  web: [tcp/81]\nclasses:\n  pump: {vlan: 111, subnets: [10.111.0.0/22]}\n"
                                     "switches:\n  - {name: sw1, platform: junos}\n");
    auto r = compile_policy_file(top);
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, more, 4, 3, fmt::format("class 'pump' is defined twice: here and at {}:6:3", top)));
    CHECK(has_error(r, more, 2, 3, fmt::format("service 'web' is defined twice: here and at {}:4:3", top)));
    CHECK(has_error(r, more, 6, 12, fmt::format("switch 'sw1' is defined twice: here and at {}:8:12", top)));
}

TEST_CASE("a missing include is a located policy error, not unreadable input") {
    TempTree t("missing");
    auto top = t.write("p.yaml", "version: 1\ninclude: nothere.yaml\n");
    auto r = compile_policy_file(top);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.input_unreadable);
    CHECK(has_error(r, top, 2, 10,
                    fmt::format("cannot include '{}': cannot open: No such file or directory", (t.root / "nothere.yaml").string())));
}
