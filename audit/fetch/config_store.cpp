#include "audit/fetch/config_store.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/parse/redact.hpp"
#include "model/config_file.hpp"
#include "model/file_io.hpp"

namespace microseg {
namespace {

Diagnostic key_error(const std::string& path, std::string what) {
    return make_error(std::move(what), SourceLocation{path, 0, 0}, "redaction-key");
}

Result<HashKey> read_key_file(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        return key_error(path, "redaction key file is readable by others; chmod 600 it");
    auto text = read_text_file(path, 64);
    if (!text) return text.error();
    HashKey key{};
    if (text->size() != key.size())
        return key_error(path, fmt::format("redaction key file holds {} bytes, expected {}", text->size(), key.size()));
    std::memcpy(key.data(), text->data(), key.size());
    return key;
}

// Written to a temp file and then link()ed into place: the key appears whole or not at all,
// and of two processes creating it at once, one wins and both use the winner's key.
Result<bool> create_key_file(const std::string& path) {
    HashKey key{};
    if (::getrandom(key.data(), key.size(), 0) != static_cast<ssize_t>(key.size()))
        return key_error(path, fmt::format("no random bytes: {}", std::strerror(errno)));
    std::string tmp = path + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());  // mkstemp creates 0600
    if (fd < 0) return key_error(path, fmt::format("cannot create: {}", std::strerror(errno)));
    bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    int linked = written ? ::link(tmp.c_str(), path.c_str()) : -1;
    int err = errno;
    ::unlink(tmp.c_str());
    if (!written) return key_error(path, "cannot write the new key");
    if (linked != 0 && err != EEXIST) return key_error(path, fmt::format("cannot create: {}", std::strerror(err)));
    return true;
}

}  // namespace

std::string default_redaction_key_path() {
    const char* home = std::getenv("HOME");
    return home && *home ? std::string(home) + "/.config/microseg/redact.key" : std::string();
}

Result<HashKey> load_or_create_key_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
            std::filesystem::create_directories(parent, ec);
            if (ec) return key_error(path, fmt::format("cannot create {}: {}", parent.string(), ec.message()));
            std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
        }
        auto created = create_key_file(path);
        if (!created) return created.error();
    }
    return read_key_file(path);
}

Result<HashKey> load_redaction_key() {
    if (const char* text = std::getenv("MICROSEG_REDACT_KEY"); text && *text) return key_from_text(text);
    std::string path = default_redaction_key_path();
    if (path.empty()) return key_error("", "no MICROSEG_REDACT_KEY and no HOME for the redaction key file");
    return load_or_create_key_file(path);
}

Result<std::string> ConfigStore::save(const FetchTarget& target, const FetchedConfig& config) const {
    std::string name = config_file_name(target.name, target.platform);
    if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
        return make_error(fmt::format("cannot create directory: {}", std::strerror(errno)), {dir_, 0, 0}, "io");
    std::string path = dir_ + "/" + name;
    auto redacted = redact_config(target.platform, config.text, key_);
    auto written = write_file_atomically(path, redacted.text, 0600);
    if (!written) return written.error();
    return path;
}

Result<bool> ConfigStore::save_if_complete(const FetchTarget& target, const FetchResult& result) const {
    if (!result.ok()) return false;
    // Checked again here, not only by the source: a copy that is not a whole configuration
    // must never replace the last good one, whoever produced it.
    if (target.content == FetchContent::config && config_problem(platform(target.platform), result.config().text))
        return false;
    auto saved = save(target, result.config());
    if (!saved) return saved.error();
    return true;
}

}  // namespace microseg
