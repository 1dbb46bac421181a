#include "compiler/reader.hpp"

#include <algorithm>

#include "compiler/scalars.hpp"

namespace microseg::compiler {

bool Reader::is_map(const Node& n, std::string_view what) const {
    if (n.kind == NodeKind::map) return true;
    error(n, kinds::bad_type, fmt::format("{} must be a map, not {}", what, syntax::to_string(n.kind)));
    return false;
}

bool Reader::is_list(const Node& n, std::string_view what) const {
    if (n.kind == NodeKind::sequence) return true;
    error(n, kinds::bad_type, fmt::format("{} must be a list, not {}", what, syntax::to_string(n.kind)));
    return false;
}

std::optional<std::string> Reader::text(const Node& n, std::string_view what) const {
    if (n.kind == NodeKind::scalar) return n.text;
    error(n, kinds::bad_type, fmt::format("{} must be a single value, not {}", what, syntax::to_string(n.kind)));
    return std::nullopt;
}

std::optional<std::string> Reader::name(const Node& n, std::string_view what) const {
    auto t = text(n, what);
    if (!t) return std::nullopt;
    if (is_valid_name(*t)) return t;
    error(n, kinds::bad_name, fmt::format("{} '{}' is not valid: {}", what, *t, kNameRule));
    return std::nullopt;
}

std::optional<std::int64_t> Reader::integer(const Node& n, std::string_view what, std::int64_t min,
                                            std::int64_t max) const {
    auto t = text(n, what);
    if (!t) return std::nullopt;
    if (auto v = parse_decimal(*t, min, max)) return v;
    error(n, kinds::bad_number,
          fmt::format("{} must be a decimal number from {} to {}, not '{}'", what, min, max, *t));
    return std::nullopt;
}

std::optional<bool> Reader::boolean(const Node& n, std::string_view what) const {
    auto t = text(n, what);
    if (!t) return std::nullopt;
    if (auto v = parse_bool(*t)) return v;
    error(n, kinds::bad_boolean, fmt::format("{} must be true or false, not '{}'", what, *t));
    return std::nullopt;
}

std::vector<const Node*> Reader::one_or_list(const Node& n, std::string_view what) const {
    std::vector<const Node*> out;
    if (n.kind == NodeKind::scalar) {
        out.push_back(&n);
    } else if (n.kind == NodeKind::sequence) {
        out.reserve(n.children.size());
        for (auto id : n.children) out.push_back(&tree_.at(id));
    } else {
        error(n, kinds::bad_type, fmt::format("{} must be a value or a list, not {}", what, syntax::to_string(n.kind)));
    }
    return out;
}

void Reader::check_keys(const Node& map, const std::vector<std::string_view>& allowed,
                        std::string_view where) const {
    for (std::size_t i = 0; i < tree_.map_size(map); ++i) {
        const Node& k = tree_.key(map, i);
        if (k.kind != NodeKind::scalar) continue;  // reported by the parser
        if (std::find(allowed.begin(), allowed.end(), k.text) != allowed.end()) continue;
        error(k, kinds::unknown_key, fmt::format("unknown key '{}' in {}{}", k.text, where, did_you_mean(k.text, allowed)));
    }
}

const Node* Reader::require(const Node& map, std::string_view key, std::string_view where) const {
    if (const Node* v = tree_.find(map, key)) return v;
    error(map, kinds::missing_key, fmt::format("{} needs '{}'", where, key));
    return nullptr;
}

}  // namespace microseg::compiler
