#include "model/diagnostic_groups.hpp"

#include <cstdint>
#include <map>
#include <utility>

namespace microseg {

std::string message_shape(std::string_view message) {
    std::string out;
    for (std::size_t i = 0; i < message.size(); ++i) {
        char c = message[i];
        if (c == '\'') {
            auto close = message.find('\'', i + 1);
            if (close == std::string_view::npos) {
                out += message.substr(i);
                break;
            }
            out += "'#'";
            i = close;
        } else if (c >= '0' && c <= '9') {
            while (i + 1 < message.size() && message[i + 1] >= '0' && message[i + 1] <= '9') ++i;
            out += '#';
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<ShownDiagnostic> group_repeated_warnings(const std::vector<Diagnostic>& items) {
    std::map<std::pair<std::string_view, std::string>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].severity == Severity::warning) groups[{items[i].kind, message_shape(items[i].message)}].push_back(i);
    // Index -> how many to count after it; SIZE_MAX marks an item left out.
    std::vector<std::size_t> more(items.size(), 0);
    for (const auto& [key, members] : groups) {
        if (members.size() <= kGroupAbove) continue;
        more[members[kRepeatsShown - 1]] = members.size() - kRepeatsShown;
        for (std::size_t j = kRepeatsShown; j < members.size(); ++j) more[members[j]] = SIZE_MAX;
    }
    std::vector<ShownDiagnostic> shown;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (more[i] != SIZE_MAX) shown.push_back({&items[i], more[i]});
    return shown;
}

std::string format_more_like_it(const Diagnostic& shown, std::size_t more) {
    return fmt::format("    ... and {} more like this [{}]", more, shown.kind);
}

}  // namespace microseg
