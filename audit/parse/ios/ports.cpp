#include "audit/parse/ios/ports.hpp"

#include <algorithm>
#include <charconv>

#include "model/interface_name.hpp"

namespace microseg {

// Kept on the thread from one parse to the next, so that a parse allocates none of it. Also, a
// vector growing among many small allocations asks malloc for over 1 KiB mid-parse, which makes
// glibc merge its free lists, and every later small allocation takes its slow path (a sixth of
// the instructions of a small config). So the output's port list is allocated last; a name too
// long to live inside its std::string is allocated before it, in long_names, and moved there;
// the others are written in place.
struct IosPortList::Storage {
    struct Span {
        std::size_t prefix_at, prefix_size;  // in `prefixes` (a span's view would not outlive its line)
        unsigned first, last;
        bool range;
        int vlan;
        bool isolated;
        int line;
        bool long_names;
    };
    std::vector<Span> spans;
    std::string prefixes;
    std::vector<std::string> long_names;
    std::string name, other;  // buffers
    bool sorted = true;       // the ports so far are in interface_less order

    InterfaceSpan names(const Span& s) const {
        return {std::string_view(prefixes).substr(s.prefix_at, s.prefix_size), s.first, s.last, s.range};
    }
    void clear() {
        spans.clear();
        prefixes.clear();
        long_names.clear();
        sorted = true;
    }
    // What a config with thousands of ports left is given back to the system.
    void trim() {
        constexpr std::size_t kKept = 4096;
        if (spans.capacity() > kKept) spans = {};
        if (prefixes.capacity() > 16 * kKept) prefixes = {};
        if (long_names.capacity() > kKept) long_names = {};
    }
};

namespace {

IosPortList::Storage& thread_storage() {
    thread_local IosPortList::Storage storage;
    return storage;
}

std::size_t digit_count(unsigned n) {
    std::size_t digits = 1;
    for (; n >= 10; n /= 10) ++digits;
    return digits;
}

// The name of member n of `span` into `out` (a buffer).
void write_name(const InterfaceSpan& span, unsigned n, std::string& out) {
    out.assign(span.prefix);
    if (!span.range) return;
    char digits[16];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

}  // namespace

IosPortList::IosPortList() : s_(thread_storage()) { s_.clear(); }

IosPortList::~IosPortList() {
    s_.clear();
    s_.trim();
}

// The members of a range sort in the order of their numbers (the same prefix, which ends in no
// digit); only where one span follows another does the order need a comparison.
void IosPortList::add(const InterfaceSpan& names, int vlan, bool isolated, int line) {
    if (s_.sorted && !s_.spans.empty()) {
        auto before = s_.names(s_.spans.back());
        write_name(before, before.last, s_.other);
        write_name(names, names.first, s_.name);
        s_.sorted = !interface_less(s_.name, s_.other);
    }
    static const std::size_t in_place = std::string().capacity();
    bool long_names = names.prefix.size() + (names.range ? digit_count(names.last) : 0) > in_place;
    s_.spans.push_back({s_.prefixes.size(), names.prefix.size(), names.first, names.last, names.range, vlan, isolated,
                        line, long_names});
    s_.prefixes += names.prefix;
    if (long_names) names.for_each_name(s_.name, [&](std::string_view name) { s_.long_names.emplace_back(name); });
}

std::size_t IosPortList::span_count() const { return s_.spans.size(); }

void IosPortList::set_isolated(std::size_t span) { s_.spans.at(span).isolated = true; }

void IosPortList::finish(std::vector<AccessPortIntent>& ports, std::vector<int>& lines) {
    std::size_t count = 0;
    for (const auto& s : s_.spans) count += s.last - s.first + 1;
    ports.reserve(ports.size() + count);
    lines.reserve(lines.size() + count);
    auto long_name = s_.long_names.begin();
    for (const auto& s : s_.spans) {
        auto add = [&](auto&& name) {
            auto& port = ports.emplace_back();
            port.interface = std::forward<decltype(name)>(name);
            port.vlan = s.vlan;
            port.isolated = s.isolated;
            lines.push_back(s.line);
        };
        if (!s.long_names) s_.names(s).for_each_name(s_.name, add);
        else
            for (auto n = s.last - s.first + 1; n > 0; --n) add(std::move(*long_name++));
    }
    if (!s_.sorted) sort_by_interface(ports, [](const auto& p) -> std::string_view { return p.interface; }, &lines);
}

}  // namespace microseg
