#include "model/spelling.hpp"

#include <algorithm>

namespace microseg {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t give_up_above) {
    std::size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (gap > give_up_above) return gap;
    const std::size_t w = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * w);
    for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        d[i * w] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t v = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = v;
        }
    }
    return d[a.size() * w + b.size()];
}

std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
    const std::size_t limit = name.size() <= 4 ? 1 : 2;
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (auto c : candidates) {
        std::size_t d = edit_distance(name, c, limit);
        if (d < best_distance || (d == best_distance && !best.empty() && c < best)) {
            best = c;
            best_distance = d;
        }
    }
    return best_distance <= limit ? std::string(best) : std::string();
}

}  // namespace microseg
