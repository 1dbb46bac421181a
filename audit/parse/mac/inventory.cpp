#include "audit/parse/mac/inventory.hpp"

#include <algorithm>

#include "audit/parse/mac/mac_table_text.hpp"

namespace microseg {

using namespace mac_text;

const InventoryDevice* Inventory::find(const MacAddress& mac) const {
    auto it = by_mac.find(mac);
    return it == by_mac.end() ? nullptr : &devices[it->second];
}

std::variant<std::vector<std::string>, std::string> split_csv_record(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else fields.back() += c;
        } else if (c == '"') {
            auto& f = fields.back();
            if (was_quoted || f.find_first_not_of(" \t") != std::string::npos)
                return std::string("a quote inside an unquoted field");
            f.clear();
            quoted = was_quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
            was_quoted = false;
        } else if (was_quoted) {
            if (c != ' ' && c != '\t') return std::string("text after a closing quote");
        } else {
            fields.back() += c;
        }
    }
    if (quoted) return std::string("unterminated quote");
    for (auto& f : fields) {
        auto b = f.find_first_not_of(" \t");
        auto e = f.find_last_not_of(" \t");
        f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
    }
    return fields;
}

namespace {

struct Columns {
    int mac = 0, ip = 1, device_class = 2, name = 3;
};

// A header row names the columns; it is recognised by a first field that is not a MAC address
// and names a known column.
std::optional<Columns> header_columns(const std::vector<std::string>& fields) {
    Columns c{-1, -1, -1, -1};
    bool any = false;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string f = lower(fields[i]);
        int* slot = f == "mac" || f == "mac address" || f == "mac_address" ? &c.mac
                    : f == "ip" || f == "ip address" || f == "ip_address"  ? &c.ip
                    : f == "class" || f == "device class" || f == "device_class" ? &c.device_class
                    : f == "name" || f == "hostname"                        ? &c.name
                                                                            : nullptr;
        if (slot && *slot < 0) *slot = static_cast<int>(i), any = true;
    }
    if (!any) return std::nullopt;
    return c;
}

std::string field(const std::vector<std::string>& fields, int column) {
    return column >= 0 && static_cast<std::size_t>(column) < fields.size() ? fields[static_cast<std::size_t>(column)]
                                                                          : std::string();
}

std::string class_list(const Policy& policy) {
    std::vector<std::string> names;
    for (const auto& c : policy.classes()) names.push_back(c.name);
    if (names.size() > 12) {
        names.resize(12);
        names.push_back("...");
    }
    return fmt::format("{}", fmt::join(names, ", "));
}

class InventoryReader {
public:
    InventoryReader(const std::string& file, const Policy& policy, Diagnostics& diags)
        : file_(file), policy_(policy), diags_(diags) {
        inv_.file = file;
    }

    void line(int number, std::string_view text) {
        if (number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // spreadsheet BOM
        auto start = text.find_first_not_of(" \t");
        if (start == std::string_view::npos || text[start] == '#' || errors_ >= kMaxInventoryErrors) return;
        auto split = split_csv_record(text);
        if (auto* why = std::get_if<std::string>(&split)) return error(number, *why);
        auto& fields = std::get<0>(split);
        if (!seen_record_ && !parse_mac_address(fields[0])) {
            seen_record_ = true;
            if (auto header = header_columns(fields)) {
                if (header->mac < 0 || header->device_class < 0)
                    return error(number, "the header row needs a 'mac' and a 'class' column");
                cols_ = *header;
                return;
            }
        }
        seen_record_ = true;
        record(number, fields);
    }

    Inventory take() { return std::move(inv_); }

private:
    void error(int number, std::string message) {
        ++errors_;
        diags_.error(SourceLocation{file_, number, 1}, "inventory", std::move(message));
    }

    void record(int number, const std::vector<std::string>& fields) {
        std::string mac_text = field(fields, cols_.mac), cls = field(fields, cols_.device_class);
        auto mac = parse_mac_address(mac_text);
        if (!mac)
            return error(number, fmt::format("'{}' is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, "
                                              "aabb.ccdd.eeff or aabbccddeeff)", clip(mac_text)));
        if (cls.empty()) return error(number, "no class (columns: mac,ip,class[,name])");
        const DeviceClass* dc = policy_.find_class(cls);
        if (!dc) return error(number, fmt::format("unknown class '{}'; the policy's classes are: {}", clip(cls), class_list(policy_)));
        InventoryDevice d{*mac, std::nullopt, cls, field(fields, cols_.name), number};
        if (std::string ip = field(fields, cols_.ip); !ip.empty()) {
            d.ip = IpAddress::parse(ip);
            if (!d.ip) return error(number, fmt::format("'{}' is not an IP address", clip(ip)));
            check_subnet(d);
        }
        if (auto it = inv_.by_mac.find(*mac); it != inv_.by_mac.end())
            return error(number, fmt::format("{} is listed twice (first at line {})", *mac, inv_.devices[it->second].line));
        inv_.by_mac.emplace(*mac, inv_.devices.size());
        inv_.devices.push_back(std::move(d));
    }

    void check_subnet(const InventoryDevice& d) {
        const DeviceClass* owner = policy_.class_of(*d.ip);
        if (owner && !owner->external && owner->name != d.device_class)
            diags_.warning(SourceLocation{file_, d.line, 1}, "inventory-subnet",
                           fmt::format("{} is in {}'s subnet, but the inventory says {}", d.ip->str(), owner->name,
                                       d.device_class));
    }

    const std::string& file_;
    const Policy& policy_;
    Diagnostics& diags_;
    Inventory inv_;
    Columns cols_;
    bool seen_record_ = false;
    std::size_t errors_ = 0;
};

}  // namespace

Inventory parse_inventory(std::string_view text, const std::string& file, const Policy& policy, Diagnostics& diagnostics) {
    InventoryReader reader(file, policy, diagnostics);
    for_each_line(text, [&](int number, std::string_view line) { reader.line(number, line); });
    return reader.take();
}

}  // namespace microseg
