#include "audit/nft_tables.hpp"

#include <algorithm>
#include <bit>
#include <functional>

namespace microseg::nft {

std::int64_t ChainIndex::find(const std::vector<Chain>& chains, std::string_view name) const {
    if (slots_.empty()) return -1;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = std::hash<std::string_view>{}(name) & mask;; i = (i + 1) & mask) {
        std::uint32_t slot = slots_[i];
        if (slot == 0) return -1;
        if (chains[slot - 1].name == name) return slot - 1;
    }
}

void ChainIndex::add(const std::vector<Chain>& chains) {
    if (chains.size() * 2 <= slots_.size()) return place(chains.back().name, static_cast<std::uint32_t>(chains.size() - 1));
    slots_.assign(std::max<std::size_t>(16, std::bit_ceil(chains.size() * 4)), 0);  // at most half full
    for (std::size_t i = 0; i < chains.size(); ++i) place(chains[i].name, static_cast<std::uint32_t>(i));
}

void ChainIndex::place(std::string_view name, std::uint32_t index) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = std::hash<std::string_view>{}(name) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = index + 1;
}

Chain& Table::chain(std::string_view name) {
    if (auto i = index.find(chains, name); i >= 0) return chains[static_cast<std::size_t>(i)];
    chains.emplace_back().name = name;
    index.add(chains);
    return chains.back();
}

const Chain* Table::find(std::string_view name) const {
    auto i = index.find(chains, name);
    return i >= 0 ? &chains[static_cast<std::size_t>(i)] : nullptr;
}

std::vector<const Chain*> Table::base_chains(std::string_view hook) const {
    std::vector<const Chain*> out;
    for (const auto& c : chains)
        if (c.base && c.hook == hook) out.push_back(&c);
    std::sort(out.begin(), out.end(), [](const Chain* a, const Chain* b) { return a->name < b->name; });
    return out;
}

}  // namespace microseg::nft
