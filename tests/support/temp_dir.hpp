#pragma once
// Temp directories and small file helpers every test binary shares.

#include <string>

namespace microseg::test {

// A fresh "/tmp/microseg-<tag>-XXXXXX" directory; throws when it cannot be made.
std::string make_temp_dir(const std::string& tag);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
// write_file, mode 0644: sshd's session user reads it.
void write_readable_file(const std::string& path, const std::string& text);

// A fresh 0755 temp directory (sshd's session user reads files in it), removed with its contents
// at the end of scope.
struct TempDir {
    std::string path;
    explicit TempDir(const std::string& tag = "test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    // Writes `path`/`name` readable by the session user; returns its path.
    std::string file(const std::string& name, const std::string& text) const;
    // The path of `name` inside, not created.
    std::string operator/(const std::string& name) const { return path + "/" + name; }
};

}  // namespace microseg::test
