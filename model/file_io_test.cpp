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
