// The column-mapped inventory reader (see audit/parse/mac/inventory.hpp): a NAC export read
// through --columns and --class-map, where a row that cannot be used is listed, not fatal.
#include <algorithm>

#include "audit/parse/mac/inventory.hpp"
#include "audit/parse/mac/mac_table_text.hpp"

namespace microseg {

using namespace mac_text;

namespace {

std::string trimmed(std::string_view s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// The slot of `key` in the map, or null.
std::string* column_slot(InventoryColumnMap& map, std::string_view key) {
    if (key == "mac") return &map.mac;
    if (key == "class") return &map.device_class;
    if (key == "ip") return &map.ip;
    if (key == "name") return &map.name;
    return nullptr;
}

// Index of the header column named `name`: exactly first, then ignoring case and blanks.
int find_column(const std::vector<std::string>& header, const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    std::string wanted = lower(trimmed(name));
    for (std::size_t i = 0; i < header.size(); ++i)
        if (lower(trimmed(header[i])) == wanted) return static_cast<int>(i);
    return -1;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(fmt::format("\"{}\"", clip(n)));
    return fmt::format("{}", fmt::join(out, ", "));
}

constexpr std::size_t kMaxIpWarnings = 20;  // one per row would flood a 10,000-row export

class MappedInventoryReader {
public:
    MappedInventoryReader(const std::string& file, const Policy& policy, const InventoryColumnMap& map,
                          Diagnostics& diags)
        : file_(file), policy_(policy), map_(map), diags_(diags) {
        inv_.file = file;
        inv_.column_mapped = true;
        for (const auto& [profile, cls] : map.class_map) lower_class_map_.emplace(lower(trimmed(profile)), cls);
    }

    void line(int number, std::string_view text) {
        if (number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // spreadsheet BOM
        auto start = text.find_first_not_of(" \t");
        if (start == std::string_view::npos || text[start] == '#' || failed_) return;
        auto split = split_csv_record(text);
        if (auto* why = std::get_if<std::string>(&split)) {
            if (!have_header_) return fail(number, *why);
            return unmapped(number, std::string(clip(text)), "", *why);
        }
        auto& fields = std::get<0>(split);
        if (!have_header_) return header(number, fields);
        record(number, fields);
    }

    Inventory take() {
        if (!have_header_ && !failed_) fail(1, "no header row: --columns names the columns of the export's first row");
        return std::move(inv_);
    }

private:
    void fail(int number, std::string message) {
        failed_ = true;
        diags_.error(SourceLocation{file_, number, 1}, "inventory", std::move(message));
    }

    void header(int number, const std::vector<std::string>& fields) {
        have_header_ = true;
        const std::pair<const char*, const std::string*> wanted[] = {
            {"mac", &map_.mac}, {"class", &map_.device_class}, {"ip", &map_.ip}, {"name", &map_.name}};
        int* slots[] = {&mac_, &class_, &ip_, &name_};
        for (std::size_t i = 0; i < std::size(wanted); ++i) {
            const auto& [key, name] = wanted[i];
            if (name->empty()) continue;
            *slots[i] = find_column(fields, *name);
            if (*slots[i] < 0)
                return fail(number, fmt::format("the header has no column \"{}\" ({}= in --columns); its columns are: {}",
                                                clip(*name), key, quoted_list(fields)));
        }
    }

    std::string field(const std::vector<std::string>& fields, int column) const {
        return column >= 0 && static_cast<std::size_t>(column) < fields.size() ? fields[static_cast<std::size_t>(column)]
                                                                              : std::string();
    }

    void unmapped(int number, std::string mac, std::string profile, std::string reason) {
        inv_.unmapped.push_back(UnmappedInventoryRow{number, std::move(mac), std::move(profile), std::move(reason)});
    }

    // The policy class of a profile: itself when the policy has it, else through the class map
    // (exactly, then ignoring case and blanks).
    std::optional<std::string> class_of(const std::string& profile) const {
        if (policy_.find_class(profile)) return profile;
        if (auto it = map_.class_map.find(profile); it != map_.class_map.end()) return it->second;
        if (auto it = lower_class_map_.find(lower(trimmed(profile))); it != lower_class_map_.end()) return it->second;
        return std::nullopt;
    }

    void record(int number, const std::vector<std::string>& fields) {
        std::string mac_text = field(fields, mac_), profile = field(fields, class_);
        if (mac_text.empty()) return unmapped(number, mac_text, profile, "no MAC address");
        auto mac = parse_mac_address(mac_text);
        if (!mac) return unmapped(number, std::string(clip(mac_text)), profile, "not a MAC address");
        if (profile.empty()) return unmapped(number, mac_text, profile, "no profile");
        auto cls = class_of(profile);
        if (!cls) return unmapped(number, mac_text, profile, "a profile that is neither a class of the policy nor in the class map");
        if (!policy_.find_class(*cls))
            return unmapped(number, mac_text, profile, fmt::format("the class map's '{}' is not a class of the policy", *cls));
        if (auto it = inv_.by_mac.find(*mac); it != inv_.by_mac.end())
            return unmapped(number, mac_text, profile, fmt::format("listed twice (first at line {})", inv_.devices[it->second].line));
        InventoryDevice d{*mac, std::nullopt, *cls, field(fields, name_), number};
        if (std::string ip = field(fields, ip_); !ip.empty()) {
            d.ip = IpAddress::parse(ip);
            if (!d.ip && ++ip_warnings_ <= kMaxIpWarnings)
                diags_.warning(SourceLocation{file_, number, 1}, "inventory",
                               fmt::format("'{}' is not an IP address; the device is placed by its MAC alone", clip(ip)));
        }
        inv_.by_mac.emplace(*mac, inv_.devices.size());
        inv_.devices.push_back(std::move(d));
    }

    const std::string& file_;
    const Policy& policy_;
    const InventoryColumnMap& map_;
    Diagnostics& diags_;
    std::map<std::string, std::string> lower_class_map_;
    Inventory inv_;
    int mac_ = -1, class_ = -1, ip_ = -1, name_ = -1;
    bool have_header_ = false, failed_ = false;
    std::size_t ip_warnings_ = 0;
};

}  // namespace

std::variant<InventoryColumnMap, std::string> parse_column_map(std::string_view spec) {
    InventoryColumnMap map;
    std::size_t start = 0;
    while (start <= spec.size()) {
        auto comma = spec.find(',', start);
        std::string_view item = spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        start = comma == std::string_view::npos ? spec.size() + 1 : comma + 1;
        auto eq = item.find('=');
        if (eq == std::string_view::npos)
            return fmt::format("'{}' is not key=column (keys: mac, class, ip, name)", trimmed(item));
        std::string key = lower(trimmed(item.substr(0, eq))), column = trimmed(item.substr(eq + 1));
        std::string* slot = column_slot(map, key);
        if (!slot) return fmt::format("unknown key '{}' (keys: mac, class, ip, name)", key);
        if (!slot->empty()) return fmt::format("'{}' is given twice", key);
        if (column.empty()) return fmt::format("'{}=' names no column", key);
        *slot = column;
    }
    if (map.mac.empty() || map.device_class.empty())
        return std::string("mac= and class= are required (e.g. mac=MAC Address,class=Profile)");
    return map;
}

Inventory parse_mapped_inventory(std::string_view text, const std::string& file, const Policy& policy,
                                 const InventoryColumnMap& columns, Diagnostics& diagnostics) {
    MappedInventoryReader reader(file, policy, columns, diagnostics);
    for_each_line(text, [&](int number, std::string_view line) { reader.line(number, line); });
    return reader.take();
}

}  // namespace microseg
