// SavedFileDirectory: which saved file belongs to a switch, for `diff --dir` and `placement --macs`.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "audit/fetch/file_source.hpp"
#include "model/file_io.hpp"

using namespace microseg;
namespace fs = std::filesystem;

namespace {

// A temp directory holding the named (empty) files; removed at the end of the test.
struct SavedDir {
    fs::path path;
    explicit SavedDir(std::initializer_list<const char*> files) {
        std::string t = (fs::temp_directory_path() / "microseg-find-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()));
        path = t;
        for (const char* f : files) REQUIRE(write_file_atomically((path / f).string(), "x\n"));
    }
    ~SavedDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string at(const char* file) const { return (path / file).string(); }
    std::optional<std::string> find(std::string_view name, const std::vector<std::string>& extensions) const {
        return SavedFileDirectory(path.string()).find(name, extensions);
    }
};

}  // namespace

TEST_CASE("SavedFileDirectory: extensions in the order given, \"\" for the bare name") {
    SavedDir d({"core-01.cfg", "core-01", "core-01.txt", "acc-02"});
    CHECK(d.find("core-01", {"ios", "", "cfg"}) == d.at("core-01"));
    CHECK(d.find("core-01", {"txt", "cfg", ""}) == d.at("core-01.txt"));
    CHECK(d.find("core-01", {"cfg"}) == d.at("core-01.cfg"));
    CHECK(d.find("acc-02", {"txt", "mac", ""}) == d.at("acc-02"));
    CHECK_FALSE(d.find("acc-02", {"txt", "mac"}));
    CHECK_FALSE(d.find("acc-03", {"txt", ""}));
    CHECK_FALSE(d.find("core", {"txt", ""}));  // a prefix of a file name is not a match
}

TEST_CASE("SavedFileDirectory: an exact name wins over another case, then case is ignored in extension order") {
    SavedDir d({"CORE-01.TXT", "Core-01.cfg", "acc-02.txt"});
    CHECK(d.find("core-01", {"cfg", "txt"}) == d.at("Core-01.cfg"));
    CHECK(d.find("core-01", {"txt", "cfg"}) == d.at("CORE-01.TXT"));
    CHECK(d.find("ACC-02", {"txt"}) == d.at("acc-02.txt"));
    SavedDir exact({"sw1.txt", "SW1.txt"});
    CHECK(exact.find("SW1", {"txt"}) == exact.at("SW1.txt"));
    CHECK(exact.find("sw1", {"txt"}) == exact.at("sw1.txt"));

    // One directory object answers many switches from one listing.
    SavedFileDirectory archive(d.path.string());
    CHECK(archive.find("core-01", {"txt"}) == d.at("CORE-01.TXT"));
    CHECK_FALSE(archive.find("core-02", {"txt", "cfg"}));
    CHECK(archive.find("Acc-02", {"cfg", "txt"}) == d.at("acc-02.txt"));
    CHECK(archive.find("core-01", {"cfg"}) == d.at("Core-01.cfg"));
}

TEST_CASE("SavedFileDirectory: directories, unsafe names and a missing directory find nothing") {
    SavedDir d({"a.txt"});
    fs::create_directory(d.path / "sw2.txt");
    CHECK_FALSE(d.find("sw2", {"txt"}));
    CHECK_FALSE(d.find("../" + d.path.filename().string() + "/a", {"txt"}));
    CHECK_FALSE(d.find("", {"txt"}));
    CHECK_FALSE(d.find(".a", {"txt"}));
    CHECK_FALSE(SavedFileDirectory((d.path / "nope").string()).find("a", {"txt"}));
}
