#include "tests/support/temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace microseg::test {

std::string make_temp_dir(const std::string& tag) {
    std::string tmpl = "/tmp/microseg-" + tag + "-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

void write_readable_file(const std::string& path, const std::string& text) {
    write_file(path, text);
    ::chmod(path.c_str(), 0644);
}

TempDir::TempDir(const std::string& tag) : path(make_temp_dir(tag)) { ::chmod(path.c_str(), 0755); }

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

std::string TempDir::file(const std::string& name, const std::string& text) const {
    std::string p = path + "/" + name;
    write_readable_file(p, text);
    return p;
}

}  // namespace microseg::test
