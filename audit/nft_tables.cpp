#include "audit/nft_tables.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace microseg::nft {
namespace {

// Every byte of the name, 8 at a time with a multiply and a shift (std::hash went through
// _Hash_bytes, a third of adding a chain).
std::size_t hash_name(std::string_view name) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ name.size();
    auto mix = [&](std::uint64_t word) {
        h = (h ^ word) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    };
    std::size_t i = 0;
    for (; i + 8 <= name.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, name.data() + i, 8);
        mix(word);
    }
    if (i < name.size()) {
        std::uint64_t word = 0;
        std::memcpy(&word, name.data() + i, name.size() - i);
        mix(word);
    }
    return static_cast<std::size_t>(h);
}

}  // namespace

std::int64_t ChainIndex::find(const std::vector<Chain>& chains, std::string_view name) const {
    if (slots_.empty()) return -1;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
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
    std::size_t i = hash_name(name) & mask;
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
