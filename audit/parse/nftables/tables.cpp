#include "audit/parse/nftables/tables.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace microseg::nft {
namespace {

// Every byte of the name, 8 at a time with a multiply and a shift, and the table (std::hash
// went through _Hash_bytes, a third of adding a chain).
std::size_t hash_of(std::uint32_t table, std::string_view name) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ name.size() ^ (std::uint64_t{table} << 32);
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

// Storage kept on the thread for the next parse, as Spare in parse_nftables.cpp.
std::vector<Chain>& spare_chains() {
    thread_local std::vector<Chain> spare;
    return spare;
}
std::vector<std::uint32_t>& spare_slots() {
    thread_local std::vector<std::uint32_t> spare;
    return spare;
}
constexpr std::size_t kMaxKeptChains = 1 << 16;

}  // namespace

Chains::Chains() : chains_(std::move(spare_chains())), slots_(std::move(spare_slots())) {
    chains_.clear();
    std::fill(slots_.begin(), slots_.end(), 0);
}

Chains::~Chains() {
    if (chains_.capacity() <= kMaxKeptChains && chains_.capacity() > spare_chains().capacity()) {
        chains_.clear();
        spare_chains() = std::move(chains_);
    }
    if (slots_.size() <= 4 * kMaxKeptChains && slots_.size() > spare_slots().size()) spare_slots() = std::move(slots_);
}

void Chains::reserve(std::size_t count) {
    count = std::min(count, kMaxKeptChains);
    chains_.reserve(count);
    // The index too: growing it re-placed every chain at each doubling.
    if (chains_.empty() && slots_.size() < count * 4) slots_.assign(std::bit_ceil(count * 4), 0);
}

std::int64_t Chains::index_of(std::uint32_t table, std::string_view name) const {
    if (slots_.empty()) return -1;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_of(table, name) & mask;; i = (i + 1) & mask) {
        std::uint32_t slot = slots_[i];
        if (slot == 0) return -1;
        const Chain& c = chains_[slot - 1];
        if (c.table == table && c.name == name) return slot - 1;
    }
}

void Chains::place(std::uint32_t index) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash_of(chains_[index].table, chains_[index].name) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = index + 1;
}

Chain& Chains::chain(std::uint32_t table, std::string_view name) {
    if (auto i = index_of(table, name); i >= 0) return chains_[static_cast<std::size_t>(i)];
    Chain& c = chains_.emplace_back();
    c.table = table;
    c.name = name;
    if (chains_.size() * 2 <= slots_.size()) {
        place(static_cast<std::uint32_t>(chains_.size() - 1));
    } else {  // at most half full, so that probes stay short
        slots_.assign(std::max<std::size_t>(64, std::bit_ceil(chains_.size() * 4)), 0);
        for (std::size_t i = 0; i < chains_.size(); ++i) place(static_cast<std::uint32_t>(i));
    }
    return c;
}

const Chain* Chains::find(std::uint32_t table, std::string_view name) const {
    auto i = index_of(table, name);
    return i >= 0 ? &chains_[static_cast<std::size_t>(i)] : nullptr;
}

std::vector<const Chain*> Chains::base_chains(std::uint32_t table, std::string_view hook) const {
    std::vector<const Chain*> out;
    for (const auto& c : chains_)
        if (c.table == table && c.base && c.hook == hook) out.push_back(&c);
    std::sort(out.begin(), out.end(), [](const Chain* a, const Chain* b) { return a->name < b->name; });
    return out;
}

}  // namespace microseg::nft
