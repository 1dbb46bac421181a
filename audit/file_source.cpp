#include "audit/file_source.hpp"

#include <filesystem>

#include "model/file_io.hpp"

namespace microseg {

FetchResult FileSource::fetch(const FetchTarget& target) {
    std::string name = saved_file_name(target);
    if (name.empty())
        return NotAudited{NotAuditedKind::io_error, fmt::format("switch name '{}' cannot name a file", target.name)};
    std::string path = dir_ + "/" + name;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return NotAudited{NotAuditedKind::missing, fmt::format("{} does not exist", path)};
    auto text = read_text_file(path);
    if (!text) return NotAudited{NotAuditedKind::io_error, fmt::format("{}: {}", path, text.error().message)};
    const Platform& p = platform(target.platform);
    if (!has_end_marker(p, *text))
        return NotAudited{NotAuditedKind::truncated, fmt::format("{} does not end with '{}'", path, p.config_end_marker)};
    return FetchedConfig{std::move(text).value(), {fmt::format("read from {}", path)}};
}

}  // namespace microseg
