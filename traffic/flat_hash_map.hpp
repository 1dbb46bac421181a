#pragma once
// An open-addressing hash map (linear probing, power-of-two capacity, load under one half) for
// the per-session lookups of learn/simulate: an address's class, a (pair, port)'s verdict. A
// std::unordered_map costs a pointer chase per lookup and an allocation per entry; at ten
// million sessions those dominated the run. Insert and find only, no erase (clear() starts over).

#include <cstdint>
#include <utility>
#include <vector>

namespace microseg::traffic {

template <class Key, class Value, class Hash>
class FlatHashMap {
public:
    Value* find(const Key& key) { return find(key, Hash{}(key)); }
    // With the key's hash already computed (`hash` must be Hash{}(key)).
    Value* find(const Key& key, std::size_t hash) {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = hash & mask(); slots_[i].used; i = (i + 1) & mask())
            if (slots_[i].key == key) return &slots_[i].value;
        return nullptr;
    }
    // `key` must not be there yet.
    Value& insert(const Key& key, Value value) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        std::size_t i = Hash{}(key) & mask();
        while (slots_[i].used) i = (i + 1) & mask();
        slots_[i] = {key, std::move(value), true};
        ++size_;
        return slots_[i].value;
    }
    std::size_t size() const { return size_; }
    void clear() {
        slots_.clear();
        size_ = 0;
    }

private:
    struct Slot {
        Key key{};
        Value value{};
        bool used = false;
    };
    std::size_t mask() const { return slots_.size() - 1; }
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
        size_ = 0;
        for (auto& s : old)
            if (s.used) insert(s.key, std::move(s.value));
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

// splitmix64's finaliser, for integer keys whose low bits alone would cluster.
struct MixedHash {
    std::size_t operator()(std::uint64_t z) const {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

}  // namespace microseg::traffic
