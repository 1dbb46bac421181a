#include "cli/inventory_flags.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "cli/cli_common.hpp"
#include "model/file_io.hpp"

namespace microseg::cli {
namespace {

// Prints the inventory's diagnostics with the offending line; true when it has errors.
bool report_inventory(const Diagnostics& diags, std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        auto nl = text.find('\n', start);
        lines.push_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    for (const auto& d : diags.items()) {
        auto n = static_cast<std::size_t>(d.location.line);
        fmt::print(stderr, "{}\n", format_diagnostic(d, n >= 1 && n <= lines.size() ? lines[n - 1] : std::string_view()));
    }
    return diags.has_errors();
}

void class_map_error(const std::string& file, const YAML::Mark& mark, std::string_view message) {
    if (mark.line < 0) fmt::print(stderr, "{}: error: {}\n", file, message);  // e.g. an empty file
    else fmt::print(stderr, "{}:{}:{}: error: {}\n", file, mark.line + 1, mark.column + 1, message);
}

// --class-map: a YAML mapping of NAC profile -> policy class; every class must be the policy's.
bool load_class_map(const std::string& file, const Policy& policy, std::map<std::string, std::string>& out) {
    auto text = read_text_file(file);
    if (!text) {
        print_error(format_diagnostic(text.error()));
        return false;
    }
    YAML::Node root;
    try {
        root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
        class_map_error(file, e.mark, e.msg);
        return false;
    }
    if (!root.IsMap()) {
        class_map_error(file, root.Mark(), "a class map is a mapping of NAC profile: class");
        return false;
    }
    for (const auto& item : root) {
        if (!item.first.IsScalar() || !item.second.IsScalar()) {
            class_map_error(file, item.first.Mark(), "each entry is \"NAC profile\": class");
            return false;
        }
        auto cls = item.second.as<std::string>();
        if (!policy.find_class(cls)) {
            class_map_error(file, item.second.Mark(), fmt::format("'{}' is not a class of the policy", cls));
            return false;
        }
        out[item.first.as<std::string>()] = cls;
    }
    return true;
}

}  // namespace

void add_inventory_flags(CLI::App* cmd, InventoryFlags& flags, bool required) {
    auto* inventory = cmd->add_option("--inventory", flags.inventory, "CSV of mac,ip,class[,name], or a NAC export with --columns");
    if (required) inventory->required();
    auto* columns = cmd->add_option("--columns", flags.columns,
                                    "the inventory is a NAC export: its header's columns, mac=COL,class=COL[,ip=COL][,name=COL]")
                        ->needs(inventory);
    cmd->add_option("--class-map", flags.class_map, "YAML mapping of NAC profile -> class (with --columns)")->needs(columns);
}

// The inventory, plain or (with --columns) a NAC export read through its column map; nothing
// on a usage error, already reported.
std::optional<Inventory> read_inventory(const InventoryFlags& a, const Policy& policy) {
    auto text = read_text_file(a.inventory);
    if (!text) {
        print_error(format_diagnostic(text.error()));
        return std::nullopt;
    }
    Diagnostics diags;
    Inventory inventory;
    if (a.columns.empty()) {
        inventory = parse_inventory(*text, a.inventory, policy, diags);
    } else {
        auto map = parse_column_map(a.columns);
        if (auto* why = std::get_if<std::string>(&map)) {
            print_error(fmt::format("--columns: {}", *why));
            return std::nullopt;
        }
        auto& columns = std::get<InventoryColumnMap>(map);
        if (!a.class_map.empty() && !load_class_map(a.class_map, policy, columns.class_map)) return std::nullopt;
        inventory = parse_mapped_inventory(*text, a.inventory, policy, columns, diags);
    }
    if (report_inventory(diags, *text)) return std::nullopt;
    return inventory;
}

}  // namespace microseg::cli
