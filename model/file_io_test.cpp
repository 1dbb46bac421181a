#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>

#include "model/file_io.hpp"

using namespace microseg;
namespace fs = std::filesystem;

TEST_CASE("atomic write replaces a file and leaves no temp behind") {
    auto dir = fs::temp_directory_path() / fmt::format("microseg-io-{}", ::getpid());
    fs::create_directories(dir);
    auto path = (dir / "out.txt").string();
    REQUIRE(write_file_atomically(path, "first\n"));
    REQUIRE(write_file_atomically(path, "second\n", 0600));
    auto back = read_text_file(path);
    REQUIRE(back);
    CHECK(*back == "second\n");
    struct stat st{};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    auto bad = write_file_atomically((dir / "no-such-dir" / "x").string(), "x");
    CHECK_FALSE(bad);
    fs::remove_all(dir);
}

TEST_CASE("reading refuses directories, missing and oversized files") {
    auto dir = fs::temp_directory_path().string();
    CHECK(read_text_file(dir).error().message == "is a directory, not a file");
    CHECK(read_text_file("/no/such/file").error().message.starts_with("cannot open"));
    auto path = fs::temp_directory_path() / fmt::format("microseg-big-{}", ::getpid());
    REQUIRE(write_file_atomically(path.string(), std::string(100, 'x')));
    CHECK(read_text_file(path.string(), 10).error().message == "file is 100 bytes; the limit is 10 bytes");
    fs::remove(path);
}

TEST_CASE("a batch replaces its files only when committed, and cleans up when dropped") {
    auto dir = fs::temp_directory_path() / fmt::format("microseg-batch-{}", ::getpid());
    fs::create_directories(dir / "sub");
    auto a = (dir / "a.cfg").string(), b = (dir / "sub" / "b.cfg").string();
    REQUIRE(write_file_atomically(a, "old a\n"));
    auto count = [&](const fs::path& d) { return std::distance(fs::directory_iterator(d), fs::directory_iterator()); };
    {
        AtomicFileBatch dropped;
        REQUIRE(dropped.stage(a, "never\n"));
        CHECK(count(dir) == 3);  // a.cfg, its temp, sub
    }
    CHECK(count(dir) == 2);
    CHECK(*read_text_file(a) == "old a\n");

    AtomicFileBatch batch;
    REQUIRE(batch.stage(a, "new a\n"));
    REQUIRE(batch.stage(b, "new b\n", 0600));
    CHECK(*read_text_file(a) == "old a\n");  // nothing replaced before commit
    CHECK_FALSE(fs::exists(b));
    REQUIRE(batch.commit());
    CHECK(*read_text_file(a) == "new a\n");
    CHECK(*read_text_file(b) == "new b\n");
    struct stat st{};
    REQUIRE(::stat(b.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(count(dir) == 2);
    CHECK(count(dir / "sub") == 1);
    CHECK_FALSE(batch.stage((dir / "no-such-dir" / "x").string(), "x"));

    // A rename that fails (a directory stands where the file goes) stops the commit there.
    fs::create_directories(dir / "c.cfg" / "full");
    AtomicFileBatch blocked;
    REQUIRE(blocked.stage(a, "newer a\n"));
    REQUIRE(blocked.stage((dir / "c.cfg").string(), "c\n"));
    REQUIRE(blocked.stage(b, "never b\n"));
    CHECK_FALSE(blocked.commit());
    CHECK(*read_text_file(a) == "newer a\n");
    CHECK(*read_text_file(b) == "new b\n");
    CHECK(count(dir) == 3);  // a.cfg, c.cfg/, sub: no temp left behind
    fs::remove_all(dir);
}
