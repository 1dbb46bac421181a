#include "audit/parse/junos/ports.hpp"

#include <algorithm>
#include <charconv>

namespace microseg {

std::optional<int> junos_number(std::string_view s, int lo, int hi) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

void junos_add_ids(std::vector<int>& ids, int lo, int hi) {
    bool after = ids.empty() || ids.back() < lo;
    for (int i = lo; i <= hi; ++i) ids.push_back(i);
    if (after) return;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

bool junos_member_ids(const JunosVlans& vlans, std::string_view m, std::vector<int>& out) {
    if (auto it = vlans.find(m); it != vlans.end()) {
        out.insert(out.end(), it->second.ids.begin(), it->second.ids.end());
    } else if (m == "all") {
        for (const auto& [name, v] : vlans) out.insert(out.end(), v.ids.begin(), v.ids.end());
    } else if (m == "default") {
        out.push_back(1);
    } else {
        auto dash = m.find('-');
        auto a = junos_number(m.substr(0, dash), 1, 4094);
        auto b = dash == std::string_view::npos ? a : junos_number(m.substr(dash + 1), 1, 4094);
        if (!a || !b || *a > *b) return false;
        for (int v = *a; v <= *b; ++v) out.push_back(v);
    }
    return true;
}

void junos_resolve_range(const JunosVlans& vlans, JunosRange& r) {
    r.ids.clear();
    r.clean = true;
    for (const auto& [m, line] : r.port.members) r.clean = junos_member_ids(vlans, m, r.ids) && r.clean;
    std::sort(r.ids.begin(), r.ids.end());
    r.ids.erase(std::unique(r.ids.begin(), r.ids.end()), r.ids.end());
}

}  // namespace microseg
