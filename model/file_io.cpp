#include "model/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace microseg {
namespace {

Diagnostic io_error(const std::string& path, std::string what) {
    return make_error(std::move(what), SourceLocation{path, 0, 0}, "io");
}

}  // namespace

Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(path, fmt::format("cannot open: {}", std::strerror(errno)));
    struct stat st{};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        ::close(fd);
        return io_error(path, S_ISDIR(st.st_mode) ? "is a directory, not a file" : "cannot stat");
    }
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
        ::close(fd);
        return io_error(path, fmt::format("file is {} bytes; the limit is {} bytes", st.st_size, max_bytes));
    }
    std::string text;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            return io_error(path, fmt::format("read failed: {}", std::strerror(errno)));
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > max_bytes) {
            ::close(fd);
            return io_error(path, fmt::format("input exceeds the limit of {} bytes", max_bytes));
        }
    }
    ::close(fd);
    return text;
}

Result<bool> write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
    std::string tmp = path + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) return io_error(path, fmt::format("cannot create a temp file: {}", std::strerror(errno)));
    auto fail = [&](const char* what) {
        int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return io_error(path, fmt::format("{}: {}", what, std::strerror(e)));
    };
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("write failed");
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, mode) != 0) return fail("chmod failed");
    if (::fsync(fd) != 0) return fail("fsync failed");
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        return io_error(path, fmt::format("close failed: {}", std::strerror(errno)));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return io_error(path, fmt::format("rename failed: {}", std::strerror(e)));
    }
    return true;
}

}  // namespace microseg
