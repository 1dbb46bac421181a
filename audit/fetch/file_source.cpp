#include "audit/fetch/file_source.hpp"

#include <algorithm>
#include <filesystem>

#include "model/config_file.hpp"
#include "model/file_io.hpp"

namespace microseg {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The regular files of `dir` by lower-cased name; of names equal but for case, the first in
// sorted order, so that the answer does not depend on the order the file system lists them in.
std::unordered_map<std::string, std::string> files_by_lower_name(const std::string& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file(ec)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::unordered_map<std::string, std::string> out;
    for (const auto& f : files) out.try_emplace(lower(f.filename().string()), f.string());
    return out;
}

}  // namespace

std::optional<std::string> SavedFileDirectory::find(std::string_view switch_name,
                                                    const std::vector<std::string>& extensions) {
    std::vector<std::string> names;
    for (const auto& ext : extensions)
        for (auto& n : config_file_candidates(switch_name, ext)) names.push_back(std::move(n));
    std::error_code ec;
    for (const auto& n : names)
        if (fs::is_regular_file(fs::path(dir_) / n, ec)) return (fs::path(dir_) / n).string();
    if (!by_lower_name_) by_lower_name_ = files_by_lower_name(dir_);
    for (const auto& n : names)
        if (auto it = by_lower_name_->find(lower(n)); it != by_lower_name_->end()) return it->second;
    return std::nullopt;
}

FetchResult FileSource::fetch(const FetchTarget& target) {
    const Platform& p = platform(target.platform);
    auto names = config_file_candidates(target.name, p.extension);
    std::string path;
    std::error_code ec;
    for (const auto& n : names)
        if (path.empty() && std::filesystem::exists(dir_ + "/" + n, ec)) path = dir_ + "/" + n;
    if (path.empty())
        return NotAudited{NotAuditedKind::missing, fmt::format("{}/{} does not exist", dir_, names.front())};
    auto text = read_text_file(path);
    if (!text) return NotAudited{NotAuditedKind::io_error, fmt::format("{}: {}", path, text.error().message)};
    if (!has_end_marker(p, *text))
        return NotAudited{NotAuditedKind::truncated, fmt::format("{} does not end with '{}'", path, p.config_end_marker)};
    return FetchedConfig{std::move(text).value(), {fmt::format("read from {}", path)}};
}

}  // namespace microseg
