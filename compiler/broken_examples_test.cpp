// examples/broken/: each policy begins with "# expect: [FILE ]L:C: message [kind]" lines; the
// compiler must report exactly those errors ({file} and {dir} stand for the paths).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/compiler.hpp"

using namespace microseg;
namespace fs = std::filesystem;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

// "file:L:C: message [kind]" for every expect line of `path`.
std::set<std::string> expected_errors(const std::string& path) {
    std::ifstream in(path);
    std::string dir = fs::path(path).parent_path().string();
    std::set<std::string> out;
    for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
        if (line.rfind("# expect: ", 0) != 0) continue;
        std::string rest = line.substr(10);
        std::string file = path;
        if (auto space = rest.find(' '); space > 5 && rest.compare(space - 5, 5, ".yaml") == 0) {
            file = dir + "/" + rest.substr(0, space);
            rest = rest.substr(space + 1);
        }
        rest = replace_all(replace_all(rest, "{file}", path), "{dir}", dir);
        out.insert(file + ":" + rest);
    }
    return out;
}

std::set<std::string> actual_errors(const CompileResult& r) {
    std::set<std::string> out;
    for (const auto& d : r.diagnostics.items())
        if (d.severity == Severity::error)
            out.insert(fmt::format("{}:{}:{}: {} [{}]", d.location.file, d.location.line, d.location.column,
                                   d.message, d.kind));
    return out;
}

std::vector<std::string> broken_policies() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(std::string(MICROSEG_SOURCE_DIR) + "/examples/broken")) {
        if (e.is_directory()) out.push_back((e.path() / "policy.yaml").string());
        else if (e.path().extension() == ".yaml") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("every broken example fails with exactly the errors its comment states") {
    auto policies = broken_policies();
    CHECK(policies.size() >= 10);
    for (const auto& path : policies) {
        CAPTURE(path);
        auto expected = expected_errors(path);
        CHECK_FALSE(expected.empty());
        auto r = compile_policy_file(path);
        CHECK_FALSE(r.ok());
        CHECK_FALSE(r.input_unreadable);
        auto actual = actual_errors(r);
        for (const auto& e : expected) {
            CAPTURE(e);
            CHECK(actual.count(e) == 1);
        }
        for (const auto& a : actual) {
            CAPTURE(a);
            CHECK(expected.count(a) == 1);
        }
    }
}
