// Hostile input never crashes or hangs: each gives one located error, quickly.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/compiler.hpp"
#include "compiler/syntax_tree.hpp"

using namespace microseg;

namespace {

// The first error, as "line:col: message [kind]".
std::string first_error(const CompileResult& r) {
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error)
            return fmt::format("{}:{}: {} [{}]", d.location.line, d.location.column, d.message, d.kind);
    return "no error";
}

std::string first_error_of(std::string_view text) { return first_error(compile_policy_text(text, "h.yaml")); }

std::filesystem::path temp_dir(const char* name) {
    auto dir = std::filesystem::temp_directory_path() / fmt::format("microseg-{}-{}", name, ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("empty input and non-map documents") {
    CHECK(first_error_of("") == "1:1: the policy file is empty [empty-policy]");
    CHECK(first_error_of("# only a comment\n") == "1:1: the policy file is empty [empty-policy]");
    CHECK(first_error_of("- a\n- b\n") == "1:1: a policy file must be a map, not a list [bad-type]");
    // "," is an endless stream of empty documents to yaml-cpp (#1040): it must still end.
    CHECK(first_error_of(",") == "1:1: a policy file holds one YAML document; a second one starts here [multiple-documents]");
}

TEST_CASE("binary bytes, NUL and invalid UTF-8 are located") {
    using namespace std::string_literals;
    CHECK(first_error_of("version: 1\nna\0me: x\n"s) ==
          "2:3: a NUL byte (byte 0x00): a policy is UTF-8 text [binary-input]");
    CHECK(first_error_of("version: 1\nname: caf\xC3\n") ==
          "2:10: invalid UTF-8 (byte 0xC3): a policy is UTF-8 text [binary-input]");
    CHECK(first_error_of("version: 1\nname: \xC0\xAF\n") ==
          "2:7: invalid UTF-8 (byte 0xC0): a policy is UTF-8 text [binary-input]");
    CHECK(first_error_of("\x7F" "ELF\x02\x01") == "1:1: a control character (byte 0x7F): a policy is UTF-8 text [binary-input]");
    // Valid UTF-8 is fine in free text.
    auto ok = compile_policy_text("version: 1\nclasses:\n  a: {vlan: 5, subnets: [10.0.0.0/8]}\n"
                                  "flows:\n  - {from: a, to: a, services: [ssh], reason: \"Zürich ✓\"}\n", "u.yaml");
    CHECK(ok.ok());
}

TEST_CASE("10,000-deep nesting is 'nesting too deep', not a crash") {
    std::string deep = "version: 1\nname: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
    CHECK(first_error_of(deep) == fmt::format("2:{}: nesting too deep: more than 64 levels [nesting-too-deep]", 6 + 64));
    std::string block = "version: 1\n";
    for (int i = 0; i < 200; ++i) block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
    CHECK(first_error(compile_policy_text(block, "b.yaml")).find("nesting too deep") != std::string::npos);
}

TEST_CASE("anchors and aliases are rejected: no alias bomb, no alias loop") {
    std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
    CHECK(first_error_of(bomb) == "1:4: anchors (&a) are not allowed in a policy [anchor-alias]");
    CHECK(first_error_of("version: 1\nx: &x [*x]\n") == "2:4: anchors (&x) are not allowed in a policy [anchor-alias]");
    CHECK(first_error_of("version: 1\nname: *y\n") ==
          "2:7: YAML syntax error: the referenced anchor is not defined [yaml-syntax]");
}

TEST_CASE("duplicate keys at every level report both places") {
    CHECK(first_error_of("version: 1\nversion: 1\n") == "2:1: duplicate key 'version': first given at h.yaml:1:1 [duplicate-key]");
    std::string many = "version: 1\nservices:\n";
    for (int i = 0; i < 40; ++i) many += fmt::format("  s{}: [tcp/{}]\n", i, 1000 + i);
    many += "  s7: [tcp/1]\n";
    CHECK(first_error_of(many) == "43:3: duplicate key 's7': first given at h.yaml:10:3 [duplicate-key]");
}

TEST_CASE("integers out of range and YAML-isms are errors, not conversions") {
    auto cls = [](std::string_view v) {
        return first_error_of(fmt::format("version: 1\nclasses:\n  a: {{vlan: 5, devices: {}}}\n", v));
    };
    CHECK(cls("99999999999999999999999") ==
          "3:25: devices of class 'a' must be a decimal number from 0 to 100000000, not '99999999999999999999999' [bad-number]");
    CHECK(cls("+5").find("not '+5'") != std::string::npos);
    CHECK(cls("5.0").find("not '5.0'") != std::string::npos);
    CHECK(cls("~").find("must be a single value, not nothing") != std::string::npos);
    CHECK(first_error_of("version: 01\n") == "1:10: version must be 1, not '01' [bad-version]");
}

TEST_CASE("a 50 MB file is refused quickly with the file named, and is not a policy error") {
    auto dir = temp_dir("big");
    auto path = (dir / "huge.yaml").string();
    {
        std::ofstream out(path);
        std::string line = "# " + std::string(98, 'x') + "\n";
        for (int i = 0; i < 500'000; ++i) out << line;
    }
    auto start = std::chrono::steady_clock::now();
    auto r = compile_policy_file(path);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 2.0);
    CHECK(r.input_unreadable);
    REQUIRE(r.diagnostics.items().size() == 1);
    CHECK(r.diagnostics.items()[0].location.file == path);
    CHECK(r.diagnostics.items()[0].message ==
          fmt::format("file is 50500000 bytes; the limit is {} bytes", syntax::kMaxPolicyFileBytes));
    std::filesystem::remove_all(dir);
}

TEST_CASE("missing files and directories are unreadable input") {
    auto dir = temp_dir("dir");
    auto r = compile_policy_file(dir.string());
    CHECK(r.input_unreadable);
    CHECK(first_error(r) == "0:0: is a directory, not a file [io]");
    auto missing = compile_policy_file((dir / "nope.yaml").string());
    CHECK(missing.input_unreadable);
    CHECK(first_error(missing) == "0:0: cannot open: No such file or directory [io]");
    std::filesystem::remove_all(dir);
}

TEST_CASE("more than one document is an error at the second") {
    CHECK(first_error_of("version: 1\n---\nname: x\n") ==
          "2:1: a policy file holds one YAML document; a second one starts here [multiple-documents]");
}
