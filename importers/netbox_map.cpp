// The --map file of `import netbox`: NetBox's role, tag and platform slugs in the policy's
// words. A key it does not know is an error, located, so that a misspelt section is not
// silently ignored and every device left unplaced.
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include "importers/netbox.hpp"

namespace microseg::importers {
namespace {

SourceLocation where(const std::string& file, const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    return m.line < 0 ? SourceLocation{file} : SourceLocation{file, m.line + 1, m.column + 1};
}

// A map of names to names, or an error at the first entry that is not one.
Result<std::map<std::string, std::string>> name_map(const std::string& file, const YAML::Node& node,
                                                    const std::string& section) {
    std::map<std::string, std::string> out;
    if (!node.IsMap()) return make_error(fmt::format("{}: must be a map of names", section), where(file, node), "bad-type");
    for (const auto& entry : node) {
        if (!entry.first.IsScalar() || !entry.second.IsScalar())
            return make_error(fmt::format("{}: each entry is `slug: name`", section), where(file, entry.first), "bad-type");
        out[entry.first.Scalar()] = entry.second.Scalar();
    }
    return out;
}

Result<std::set<std::string>> name_list(const std::string& file, const YAML::Node& node, const std::string& section) {
    std::set<std::string> out;
    if (!node.IsSequence()) return make_error(fmt::format("{}: must be a list of slugs", section), where(file, node), "bad-type");
    for (const auto& item : node) {
        if (!item.IsScalar()) return make_error(fmt::format("{}: each item is a slug", section), where(file, item), "bad-type");
        out.insert(item.Scalar());
    }
    return out;
}

// Stores one top-level section of the map; an error for a key that is not a section.
Result<bool> read_section(const std::string& file, const std::string& key, const YAML::Node& value, NetboxMap& map) {
    if (key == "switch_roles") {
        auto list = name_list(file, value, key);
        if (!list) return list.error();
        map.switch_roles = std::move(*list);
        map.has_switch_roles = true;
        return true;
    }
    std::map<std::string, std::string>* target = key == "roles"       ? &map.roles
                                                 : key == "tags"      ? &map.tags
                                                 : key == "platforms" ? &map.platforms
                                                 : key == "gateways"  ? &map.gateways
                                                                      : nullptr;
    if (!target)
        return make_error(fmt::format("unknown key '{}': the map has roles, tags, switch_roles, platforms and gateways", key),
                          where(file, value), "unknown-key");
    auto names = name_map(file, value, key);
    if (!names) return names.error();
    *target = std::move(*names);
    if (key == "roles") map.has_roles = true;
    return true;
}

}  // namespace

Result<NetboxMap> read_netbox_map(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) return text.error();
    YAML::Node root;
    try {
        root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
        return make_error(e.msg, SourceLocation{path, e.mark.line + 1, e.mark.column + 1}, "yaml-syntax");
    }
    NetboxMap map;
    if (root.IsNull()) return map;
    if (!root.IsMap()) return make_error("the map must be a YAML map", where(path, root), "bad-type");
    for (const auto& entry : root) {
        auto done = read_section(path, entry.first.as<std::string>(""), entry.second, map);
        if (!done) return done.error();
    }
    return map;
}

std::string sanitise_name(const std::string& text) {
    std::string out;
    for (char c : text) {
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (keep) {
            out += lower;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 63) out.resize(63);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

}  // namespace microseg::importers
