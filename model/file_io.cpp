#include "model/file_io.hpp"

#include <algorithm>
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
    // A regular file's size is known: one allocation instead of a regrowth per 64 KB read.
    if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
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

namespace {

// `content` in a new temp file beside `path` (path + ".tmp-XXXXXX"), optionally fsynced.
Result<std::string> write_temp_file(const std::string& path, std::string_view content, mode_t mode, bool sync) {
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
    if (sync && ::fsync(fd) != 0) return fail("fsync failed");
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        return io_error(path, fmt::format("close failed: {}", std::strerror(errno)));
    }
    return tmp;
}

Result<bool> rename_into_place(const std::string& tmp, const std::string& path) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return io_error(path, fmt::format("rename failed: {}", std::strerror(e)));
    }
    return true;
}

std::string parent_directory(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Flushes the file system that holds `dir` (Linux syncfs: every dirty file of it, in one go).
Result<bool> sync_file_system_of(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return io_error(dir, fmt::format("cannot open: {}", std::strerror(errno)));
    int rc = ::syncfs(fd);
    int e = errno;
    ::close(fd);
    if (rc != 0) return io_error(dir, fmt::format("syncfs failed: {}", std::strerror(e)));
    return true;
}

}  // namespace

Result<bool> write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
    auto tmp = write_temp_file(path, content, mode, /*sync=*/true);
    if (!tmp) return tmp.error();
    return rename_into_place(*tmp, path);
}

AtomicFileBatch::~AtomicFileBatch() {
    for (const auto& s : staged_) ::unlink(s.temp.c_str());
}

Result<bool> AtomicFileBatch::stage(const std::string& path, std::string_view content, mode_t mode) {
    auto tmp = write_temp_file(path, content, mode, /*sync=*/false);
    if (!tmp) return tmp.error();
    staged_.push_back({std::move(*tmp), path});
    return true;
}

Result<bool> AtomicFileBatch::commit() {
    std::vector<std::string> dirs;
    for (const auto& s : staged_) dirs.push_back(parent_directory(s.path));
    std::sort(dirs.begin(), dirs.end());
    dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
    for (const auto& d : dirs)
        if (auto synced = sync_file_system_of(d); !synced) return synced;
    std::vector<Staged> staged = std::move(staged_);
    staged_.clear();
    for (std::size_t i = 0; i < staged.size(); ++i)
        if (auto renamed = rename_into_place(staged[i].temp, staged[i].path); !renamed) {
            staged_.assign(staged.begin() + static_cast<std::ptrdiff_t>(i) + 1, staged.end());
            return renamed;
        }
    return true;
}

}  // namespace microseg
