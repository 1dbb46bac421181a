#include "model/config_file.hpp"

#include <fmt/format.h>

#include "model/naming.hpp"
#include "model/policy.hpp"
#include "model/switch_hash.hpp"
#include "model/switch_intent.hpp"

namespace microseg {
namespace {

// A header field is free text made safe for a comment line; it may hold spaces, so a header is
// read back by its keywords, not split on blanks.
std::string header_field(std::string_view text, std::size_t max_length) {
    return safe_comment(text, max_length);
}

constexpr std::size_t kNameField = 64;
constexpr std::size_t kVersionField = 80;

}  // namespace

std::string config_file_stem(std::string_view switch_name) {
    static const NameRules file_rules{"", 80, "_-", false, false, {}};
    return safe_identifier(switch_name, file_rules);
}

std::string config_file_name(std::string_view switch_name, PlatformId platform_id) {
    return fmt::format("{}.{}", config_file_stem(switch_name), platform(platform_id).extension);
}

std::string config_file_name(const Switch& sw) { return config_file_name(sw.name, sw.platform); }

std::vector<std::string> config_file_candidates(std::string_view switch_name, std::string_view extension) {
    auto with_ext = [&](std::string_view stem) {
        return extension.empty() ? std::string(stem) : fmt::format("{}.{}", stem, extension);
    };
    std::vector<std::string> out{with_ext(config_file_stem(switch_name))};
    if (can_name_file(switch_name) && with_ext(switch_name) != out.front()) out.push_back(with_ext(switch_name));
    return out;
}

bool can_name_file(std::string_view n) {
    if (n.empty() || n.front() == '.' || n.size() > 200) return false;
    for (char c : n)
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

std::string header_line(const Policy& policy, const Switch& sw) {
    return header_line(policy, sw, switch_content_hash(policy, sw));
}

std::string header_line(const Policy& policy, const Switch& sw, const std::string& content_hash) {
    return fmt::format("{} microseg policy {} version {} switch {}", sw.platform_info().comment_prefix,
                       header_field(policy.name(), kNameField), header_field(content_hash, kVersionField),
                       header_field(sw.name, kNameField));
}

std::optional<ConfigHeader> parse_header_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    std::string_view rest;
    for (const auto& p : platforms()) {
        auto lead = fmt::format("{} microseg policy ", p.comment_prefix);
        if (line.starts_with(lead)) {
            rest = line.substr(lead.size());
            break;
        }
    }
    if (rest.empty()) return std::nullopt;
    // Policy names are free text (spaces allowed): the last " version " and " switch " split it.
    auto sw = rest.rfind(" switch ");
    if (sw == std::string_view::npos) return std::nullopt;
    auto version = rest.substr(0, sw).rfind(" version ");
    if (version == std::string_view::npos) return std::nullopt;
    return ConfigHeader{std::string(rest.substr(0, version)),
                        std::string(rest.substr(version + 9, sw - version - 9)),
                        std::string(rest.substr(sw + 8))};
}

std::optional<ConfigHeader> find_header(std::string_view text) {
    return parse_header_line(text.substr(0, text.find('\n')));
}

bool header_matches(const ConfigHeader& header, const Policy& policy, const Switch& sw) {
    auto intent = switch_intent(policy, sw);
    return intent && header_matches(header, policy, sw, *intent);
}

bool header_matches(const ConfigHeader& header, const Policy& policy, const Switch& sw, const SwitchIntent& intent) {
    return header_matches(header, sw, switch_content_hash(policy, sw, intent));
}

bool header_matches(const ConfigHeader& header, const Switch& sw, const std::string& content_hash) {
    return header.version == header_field(content_hash, kVersionField) &&
           header.switch_name == header_field(sw.name, kNameField);
}

}  // namespace microseg
