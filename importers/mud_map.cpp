// The MUD map file: which class of the user's policy each MUD peer (controller, DNS name,
// network...) is. Read through the compiler's syntax tree so that the map gets the policy's
// YAML rules (no aliases, no yes/no booleans, located errors) without a second YAML reader.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "compiler/syntax_tree.hpp"
#include "importers/mud.hpp"
#include "model/file_io.hpp"

namespace microseg::mud {
namespace {

constexpr std::array<const char*, 8> kSections = {"controller", "my-controller", "manufacturer", "same-manufacturer",
                                                  "model", "local-networks", "dnsname", "network"};

bool is_class_name(const std::string& s) {
    if (s.empty() || s.size() > 63 || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

Result<std::string> class_value(const syntax::Tree& tree, const syntax::Node& node) {
    if (node.kind != syntax::NodeKind::scalar || !is_class_name(node.text)) {
        return make_error("expected a class name ([A-Za-z0-9][A-Za-z0-9_.-]*)", tree.location(node), kMudStructure);
    }
    return node.text;
}

Result<MudMap::Section> read_section(const syntax::Tree& tree, const syntax::Node& value) {
    MudMap::Section section;
    if (value.kind == syntax::NodeKind::scalar) {
        auto name = class_value(tree, value);
        if (!name) return name.error();
        section.every = *name;
        return section;
    }
    if (value.kind != syntax::NodeKind::map)
        return make_error("expected a class name or a mapping key -> class", tree.location(value), kMudStructure);
    for (std::size_t i = 0; i < tree.map_size(value); ++i) {
        const auto& key = tree.key(value, i);
        auto name = class_value(tree, tree.value(value, i));
        if (!name) return name.error();
        section.by_key[key.text] = *name;
    }
    return section;
}

}  // namespace

std::optional<std::string> MudMap::lookup(const std::string& section, const std::string& key) const {
    auto s = sections.find(section);
    if (s == sections.end()) return std::nullopt;
    if (auto k = s->second.by_key.find(key); k != s->second.by_key.end()) return k->second;
    return s->second.every;
}

Result<MudMap> parse_mud_map(const std::string& text, const std::string& file_name) {
    Diagnostics diags;
    std::size_t budget = 100000;
    if (!syntax::check_text_bytes(text, file_name, diags)) return diags.items().front();
    auto tree = syntax::parse_yaml(text, file_name, diags, budget);
    if (diags.has_errors()) {
        for (const auto& d : diags.items())
            if (d.severity == Severity::error) return d;
    }
    MudMap map;
    if (tree.empty() || tree.root().kind == syntax::NodeKind::null) return map;
    if (tree.root().kind != syntax::NodeKind::map)
        return make_error("a MUD map is a mapping of sections", tree.location(tree.root()), kMudStructure);
    for (std::size_t i = 0; i < tree.map_size(tree.root()); ++i) {
        const auto& key = tree.key(tree.root(), i);
        if (std::find(kSections.begin(), kSections.end(), key.text) == kSections.end()) {
            return make_error(fmt::format("unknown section '{}': expected one of controller, my-controller, "
                                          "manufacturer, same-manufacturer, model, local-networks, dnsname, network",
                                          key.text),
                              tree.location(key), kMudStructure);
        }
        auto section = read_section(tree, tree.value(tree.root(), i));
        if (!section) return section.error();
        map.sections[key.text] = std::move(*section);
    }
    return map;
}

Result<MudMap> read_mud_map(const std::string& path) {
    auto text = read_text_file(path, kMaxMudFileBytes);
    if (!text) return text.error();
    return parse_mud_map(*text, path);
}

std::string sanitise_class_name(const std::string& raw) {
    std::string out;
    for (char c : raw) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 60) out.resize(60);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? std::string("mud-device") : out;
}

std::pair<int, int> line_column(const std::string& text, std::size_t byte) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

}  // namespace microseg::mud
