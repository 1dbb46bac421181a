#include "audit/drift/policy_probes.hpp"

#include <algorithm>

namespace microseg {

// A host address that the policy attributes to `cls` (for 0.0.0.0/0 an address no more
// specific class owns), or nothing when every candidate belongs to someone else.
std::optional<IpAddress> representative(const Policy& policy, const DeviceClass& cls) {
    for (const auto& subnet : cls.subnets) {
        std::vector<Uint128> offsets = {1, 2};
        for (int shift : {8, 16, 24, 28}) offsets.push_back(Uint128{1} << shift);
        for (auto off : offsets) {
            IpAddress a{subnet.network.family, subnet.network.value + off};
            if (!subnet.contains(a)) continue;
            if (const auto* owner = policy.class_of(a); owner && owner->name == cls.name) return a;
        }
    }
    return std::nullopt;
}

SourceSpace source_space(const Policy& policy, const DeviceClass& cls) {
    SourceSpace s{cls.addresses.cidrs(), {}};
    for (const auto& other : policy.classes()) {
        if (other.name == cls.name) continue;
        for (const auto& t : other.addresses.cidrs())
            if (std::any_of(s.prefixes.begin(), s.prefixes.end(),
                            [&](const Cidr& p) { return p.prefix_len < t.prefix_len && p.contains(t); }))
                s.carved_out.push_back(t);
    }
    // internal_space inside a broad external class is nobody's: the router drops it.
    for (const auto& t : policy.nested_class_subnets(policy.index_of(cls)).cidrs()) s.carved_out.push_back(t);
    return s;
}

PolicyProbes::PolicyProbes(const Policy& policy) : policy_(policy) {}

const Representatives& PolicyProbes::representatives() const {
    std::call_once(reps_once_, [this] {
        for (std::size_t i = 0; i < policy_.classes().size(); ++i) {
            reps_.of_class.push_back(representative(policy_, policy_.classes()[i]));
            if (reps_.of_class.back()) reps_.by_address.emplace_back(*reps_.of_class.back(), i);
        }
        std::sort(reps_.by_address.begin(), reps_.by_address.end());
    });
    return reps_;
}

const std::vector<SourceSpace>& PolicyProbes::source_spaces() const {
    std::call_once(spaces_once_, [this] {
        spaces_.reserve(policy_.classes().size());
        for (const auto& cls : policy_.classes()) spaces_.push_back(source_space(policy_, cls));
    });
    return spaces_;
}

}  // namespace microseg
