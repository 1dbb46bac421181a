#include "audit/parse/junos/groups.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace microseg {
namespace {

using Words = std::span<const std::string_view>;

// Against crafted configs: a group applied at every one of many levels, or wildcards at
// several levels, multiply. Work counts statements offered and statements looked through;
// past the limit the rest is not read (a real config with groups takes under a million).
constexpr std::size_t kMaxWork = 50'000'000;
constexpr std::size_t kBlockWords = 4096;

bool is_apply(std::string_view w) { return w == "apply-groups" || w == "apply-groups-except"; }

// < 0 when `s` sorts before every statement that starts with `prefix`, 0 when it starts with
// it, > 0 after them: the statements that start with a prefix are one run of a sorted list.
int compare_prefix(Words s, Words prefix) {
    std::size_t n = std::min(s.size(), prefix.size());
    for (std::size_t i = 0; i < n; ++i)
        if (int c = junos_compare_words(s[i], prefix[i]); c != 0) return c;
    return s.size() < prefix.size() ? -1 : 0;
}

bool starts_with(Words s, Words prefix) { return s.size() >= prefix.size() && compare_prefix(s, prefix) == 0; }

struct WordsLess {
    using is_transparent = void;  // names_at_ (vectors) is searched with spans
    bool operator()(Words a, Words b) const {
        std::size_t n = std::min(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i)
            if (int c = junos_compare_words(a[i], b[i]); c != 0) return c < 0;
        return a.size() < b.size();
    }
};

// One element of a pattern at p[i] against `c`: `?`, a `[...]` class (`!` first negates, `a-z`
// is a range, a `]` first is a member), or a literal; `i` moves past it. An unclosed `[` is a
// literal, as in the shell.
bool element_matches(std::string_view p, std::size_t& i, char c) {
    if (p[i] == '?') return ++i, true;
    if (p[i] == '[') {
        bool negate = i + 1 < p.size() && p[i + 1] == '!';
        std::size_t first = i + 1 + (negate ? 1 : 0);
        std::size_t close = first < p.size() ? p.find(']', first + 1) : std::string_view::npos;
        if (close != std::string_view::npos) {
            bool in = false;
            for (std::size_t k = first; k < close; ++k) {
                if (k + 2 < close && p[k + 1] == '-') in = in || (p[k] <= c && c <= p[k + 2]), k += 2;
                else in = in || p[k] == c;
            }
            i = close + 1;
            return in != negate;
        }
    }
    return p[i++] == c;
}

// Shell glob. Backtracks to the last `*` only: linear for the short names of a config.
bool glob(std::string_view p, std::string_view s) {
    std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
    while (si < s.size()) {
        if (pi < p.size() && p[pi] == '*') {
            star = pi++, mark = si;
            continue;
        }
        std::size_t next = pi;
        if (pi < p.size() && element_matches(p, next, s[si])) {
            pi = next, ++si;
            continue;
        }
        if (star == std::string_view::npos) return false;
        pi = star + 1, si = ++mark;
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

bool is_wildcard(std::string_view w) { return w.size() >= 2 && w.front() == '<' && w.back() == '>'; }

// A group's word against a configuration's: a `<pattern>` globs, any other word is itself.
bool word_matches(std::string_view group_word, std::string_view word) {
    return is_wildcard(group_word) ? glob(group_word.substr(1, group_word.size() - 2), word) : group_word == word;
}

enum class Leaf : std::uint8_t { replaced, merged, unknown };

// How an inherited statement combines with one of the configuration that differs from it in its
// last word only: a single value (the configuration's wins), a set or named elements (both
// stay), or not known here (a problem: neither guess may become a definite finding).
Leaf leaf_kind(Words w) {
    static const std::set<std::string_view, JunosWordLess> merged = {"members", "member", "address", "vlan-id-list", "unit", "family"};
    static const std::set<std::string_view, JunosWordLess> replaced = {
        "vlan-id", "l3-interface", "interface-mode", "port-mode", "input", "output", "description",
        "native-vlan-id", "mtu", "speed", "link-mode", "recovery-timeout"};
    if (w.size() < 2) return Leaf::replaced;
    if (w[0] == "policy-options") return w.size() == 4 && w[1] == "prefix-list" ? Leaf::merged : Leaf::replaced;
    if (w[0] == "firewall") return Leaf::merged;  // a filter mixing sources is unordered_filters
    if (w[0] != "vlans" && w[0] != "interfaces") return Leaf::replaced;  // the audit does not read it
    auto key = w[w.size() - 2];
    if (merged.count(key)) return Leaf::merged;
    return replaced.count(key) ? Leaf::replaced : Leaf::unknown;
}

// A single value the audit reads: VLAN ids, the routing interface, port modes, the input filter.
bool is_read_value(Words w) {
    static const std::set<std::string_view, JunosWordLess> read = {"vlan-id", "l3-interface", "interface-mode", "port-mode", "input"};
    return w.size() >= 2 && (w[0] == "vlans" || w[0] == "interfaces") && read.count(w[w.size() - 2]) > 0;
}

// re0/re1 (routing engines), node0/node1 (chassis cluster): a device applies only its own.
bool is_engine_group(std::string_view g) { return g == "re0" || g == "re1" || g == "node0" || g == "node1"; }

// What the audit reads: VLANs, switching and routed interfaces, filters, prefix lists.
bool read_by_audit(Words w) {
    if (w[0] == "vlans" || w[0] == "firewall") return true;
    if (w[0] == "policy-options") return w.size() > 1 && w[1] == "prefix-list";
    if (w[0] != "interfaces" || w.size() < 2) return false;
    if (w[1] == "irb" || w[1] == "vlan" || w[1] == "interface-range") return true;
    return std::find(w.begin(), w.end(), "ethernet-switching") != w.end();
}

// The words that name the filter a statement is in (firewall [family F] filter NAME), or none.
Words filter_of(Words w) {
    if (w.size() >= 4 && w[0] == "firewall" && w[1] == "filter" && w[3] == "term") return w.first(3);
    if (w.size() >= 6 && w[0] == "firewall" && w[1] == "family" && w[3] == "filter" && w[5] == "term")
        return w.first(5);
    return {};
}

class Expander {
public:
    Expander(std::span<const JunosStatement> all, bool replay) : all_(all), replay_(replay) {}
    JunosExpansion run();

private:
    struct Application {
        const JunosStatement* statement;  // PATH apply-groups[-except] GROUP
        Words path;
        std::string_view group;
        bool except;
    };
    void sort_in(const JunosStatement& s);
    void index_local();
    void apply(const Application& a);
    void apply_all(const Application& a, const std::vector<const JunosStatement*>& group);
    struct Replay;
    bool replayed(const Application& a, const Replay& r);
    bool applies(const JunosStatement& b, Words body, const Application& a);
    void resolve(const JunosStatement& b, Words body, const Application& a);
    const std::vector<std::string_view>& names_at(Words prefix);
    void offer(Words w, int line, const Application& a);
    bool excepted(Words w, const Application& a) const;
    bool present(Words w) const {
        return std::binary_search(local_.begin(), local_.end(), w, WordsLess{}) || inherited_.count(w) > 0;
    }
    enum class Setter : std::uint8_t { none, earlier, same_application };
    Setter other_value(Words w, const Application& a);
    bool local_has(Words prefix) const;
    void note_filter(Words w, int line, const Application& a);
    Words store(Words w);
    void problem(const JunosStatement& s, std::string reason) { out_.problems.push_back({s, std::move(reason)}); }

    std::span<const JunosStatement> all_;
    JunosExpansion out_;
    std::map<std::string_view, std::vector<const JunosStatement*>, JunosWordLess> groups_;  // a group's statements
    std::vector<Application> applications_, excepts_;
    struct ExceptPaths {
        std::set<Words, WordsLess> paths;
        std::vector<bool> sizes;  // [n]: a path of n words is in `paths` (most have one size)
    };
    std::map<std::string_view, ExceptPaths, JunosWordLess> except_paths_;  // excepts_' paths by group
    std::vector<Words> local_;                      // the configuration's own statements, sorted
    std::map<Words, const Application*, WordsLess> inherited_;  // kept so far, and from where
    std::vector<std::string_view> buffer_;          // resolve's statement so far
    std::set<const JunosStatement*> reported_;      // group statements with a problem already
    std::map<Words, const Application*, WordsLess> filter_source_;  // nullptr: reported as mixed
    // names_at's answers by prefix: local_ does not change while groups apply, and every
    // pattern of every group statement asked again (a scan of all interfaces each time).
    struct Names {
        std::vector<std::string_view> names;
        std::size_t looked_through = 0;  // statements the scan looked through: work_ counts them each time
    };
    std::map<std::vector<std::string_view>, Names, WordsLess> names_at_;
    bool narrowed_ = false;  // local_ holds only the statements groups can reach (index_local)
    std::map<std::string_view, std::size_t, JunosWordLess> first_words_;  // then: all statements by first word
    std::size_t work_ = 0;
    // A group applied again at the same level (concatenated configs repeat `apply-groups`):
    // an offer that the first application settled (excepted, or present since) settles the
    // same way again, and only its work is counted; the others are offered again, in order.
    // Offering all again was applications x ports x statements (10 s for a 1.4 MB config).
    struct Pending {
        std::vector<std::string_view> words;
        int line;
        std::size_t local_run;  // local statements under its prefix: other_value's work bound
    };
    struct Replay {
        std::size_t settled_work = 0;  // names_at's work and one per settled offer
        std::vector<Pending> pending;
        bool complete = false;  // the first application ran to its end
    };
    bool replay_;  // false: every application offers everything (the straightforward way)
    std::map<std::vector<std::string_view>, Replay, WordsLess> replays_;  // by (group, path...)
    Replay* recording_ = nullptr;
    std::size_t local_run(Words prefix) const;
};

JunosExpansion Expander::run() {
    out_.statements.reserve(all_.size());
    for (const auto& s : all_) sort_in(s);
    if (applications_.empty()) return std::move(out_);
    index_local();
    // Deeper applications first: theirs win; within a level, the order they are listed in.
    std::stable_sort(applications_.begin(), applications_.end(),
                     [](const Application& a, const Application& b) { return a.path.size() > b.path.size(); });
    for (const auto& a : applications_) {
        apply(a);
        if (work_ > kMaxWork) {
            problem(*a.statement, fmt::format("groups take more than {} steps to expand: the rest is not read", kMaxWork));
            break;
        }
    }
    return std::move(out_);
}

// local_: the statements an inherited one is compared with, those under the top-level words
// the groups have (sorting all of a gateway's filter terms cost more than the expansion).
void Expander::index_local() {
    std::set<std::string_view> tops;
    bool all = false;
    for (const auto& [name, statements] : groups_)
        for (const auto* s : statements)
            if (s->words.size() > 2) tops.insert(s->words[2]), all = all || is_wildcard(s->words[2]);
    // Narrowed further when every group statement has three words or more after `groups G`:
    // then every statement looked up has a second word that matches the second word of a group
    // statement (a pattern, or itself), and the others need no place in the sorted list (a
    // group of <ge-0/*/*> ports sorted every interface statement of a large switch). Only
    // names_at([first word]) would see them: it counts them from first_words_ instead.
    std::vector<std::string_view> seconds;
    narrowed_ = !all;
    for (const auto& [name, statements] : groups_)
        for (const auto* s : statements) {
            if (s->words.size() >= 5) seconds.push_back(s->words[3]);
            else if (s->words.size() > 2) narrowed_ = false;
        }
    std::sort(seconds.begin(), seconds.end(), JunosWordLess{});
    seconds.erase(std::unique(seconds.begin(), seconds.end()), seconds.end());
    std::optional<std::string_view> last_second;  // a port's statements come together: one match per port
    bool last_kept = false;
    auto reachable = [&](Words w) {
        if (w.size() < 2) return false;
        if (!last_second || w[1].size() != last_second->size() || junos_compare_words(w[1], *last_second) != 0) {
            last_second = w[1];
            last_kept = std::any_of(seconds.begin(), seconds.end(), [&](std::string_view p) { return word_matches(p, w[1]); });
        }
        return last_kept;
    };
    auto add = [&](Words w) {
        if (w.empty() || !(all || tops.count(w[0]))) return;
        if (narrowed_) ++first_words_[w[0]];
        if (!narrowed_ || reachable(w)) local_.push_back(w);
    };
    for (const auto& s : out_.statements) add(s.words);
    // An element whose only statement applies a group exists all the same: patterns match it.
    for (const auto* list : {&applications_, &excepts_})
        for (const auto& a : *list) add(a.statement->words);
    std::sort(local_.begin(), local_.end(), WordsLess{});
}

// `s` goes to its group, to the applications, or stays a statement of the configuration.
void Expander::sort_in(const JunosStatement& s) {
    Words w = s.words;
    if (!w.empty() && w[0] == "groups") {
        ++out_.group_statements;
        if (w.size() >= 2) groups_[w[1]].push_back(&s);
        return;
    }
    if (w.size() < 2 || !is_apply(w[w.size() - 2])) return out_.statements.push_back(s);
    Application a{&s, w.first(w.size() - 2), w.back(), w[w.size() - 2] == "apply-groups-except"};
    if (!a.except) return applications_.push_back(a);
    if (a.path.empty()) return problem(s, "apply-groups-except at the top level: not expanded");
    excepts_.push_back(a);
    auto& except = except_paths_[a.group];
    except.paths.insert(a.path);
    if (except.sizes.size() <= a.path.size()) except.sizes.resize(a.path.size() + 1);
    except.sizes[a.path.size()] = true;
}

void Expander::apply(const Application& a) {
    auto group = groups_.find(a.group);
    if (group == groups_.end())
        return problem(*a.statement, fmt::format("apply-groups: group {} is not defined", a.group));
    if (!replay_) return apply_all(a, group->second);
    std::vector<std::string_view> key{a.group};
    key.insert(key.end(), a.path.begin(), a.path.end());
    auto [known, first] = replays_.try_emplace(std::move(key));
    if (!first) {
        if (!replayed(a, known->second)) apply_all(a, group->second);
        return;
    }
    recording_ = &known->second;
    apply_all(a, group->second);
    recording_->complete = work_ <= kMaxWork;
    recording_ = nullptr;
}

// Application `a` of the same group at the same level as the earlier one that recorded `r`;
// false (nothing done) when the work limit could trip on the way: then where it trips
// matters, and only offering everything finds it.
bool Expander::replayed(const Application& a, const Replay& r) {
    if (!r.complete) return false;
    // An offer's work: one, plus other_value's look at the local statements under its prefix
    // and at the inherited ones (at most all of them, one more per offer before it).
    std::size_t bound = work_ + r.settled_work;
    for (std::size_t i = 0; i < r.pending.size(); ++i) bound += 1 + r.pending[i].local_run + inherited_.size() + i;
    if (bound > kMaxWork) return false;
    work_ += r.settled_work;
    for (const auto& p : r.pending) offer(Words(p.words), p.line, a);
    return true;
}

std::size_t Expander::local_run(Words prefix) const {
    auto first = std::partition_point(local_.begin(), local_.end(), [&](Words s) { return compare_prefix(s, prefix) < 0; });
    auto last = std::partition_point(first, local_.end(), [&](Words s) { return compare_prefix(s, prefix) == 0; });
    return static_cast<std::size_t>(last - first);
}

void Expander::apply_all(const Application& a, const std::vector<const JunosStatement*>& group) {
    for (const JunosStatement* b : group) {
        Words body = b->words.subspan(2);
        if (!applies(*b, body, a)) continue;
        buffer_.assign(a.path.begin(), a.path.end());
        resolve(*b, body, a);
        if (work_ > kMaxWork) return;
    }
}

// Group statement `b` (its words after "groups NAME": `body`) lies under a's level, and can be
// expanded there.
bool Expander::applies(const JunosStatement& b, Words body, const Application& a) {
    if (body.size() <= a.path.size()) return false;
    for (std::size_t i = 0; i < a.path.size(); ++i)
        if (!word_matches(body[i], a.path[i])) return false;
    const char* reason = nullptr;
    if (body.size() >= 2 && is_apply(body[body.size() - 2])) reason = "apply-groups inside a group: not expanded";
    else if (is_engine_group(a.group) && read_by_audit(body))
        reason = "a statement of group re0/re1/node0/node1 applies on one routing engine or node only: not expanded";
    if (!reason) return true;
    if (reported_.insert(&b).second) problem(b, reason);
    return false;
}

// body from buffer_.size() on, each <pattern> replaced by every name the configuration has
// there: one statement per combination (a pattern creates nothing).
void Expander::resolve(const JunosStatement& b, Words body, const Application& a) {
    std::size_t at = buffer_.size();
    while (at < body.size() && !is_wildcard(body[at])) buffer_.push_back(body[at++]);
    if (at == body.size()) return offer(Words(buffer_), b.line, a);
    for (auto name : names_at(Words(buffer_))) {
        if (!word_matches(body[at], name)) continue;
        buffer_.resize(at);
        buffer_.push_back(name);
        resolve(b, body, a);
        if (work_ > kMaxWork) return;
    }
}

// The names the configuration's own statements have right after `prefix`, ascending. The
// reference stays valid: map nodes do not move.
const std::vector<std::string_view>& Expander::names_at(Words prefix) {
    if (auto known = names_at_.find(prefix); known != names_at_.end()) {
        work_ += known->second.looked_through;
        if (recording_) recording_->settled_work += known->second.looked_through;
        return known->second.names;
    }
    auto& [names, looked_through] = names_at_[std::vector<std::string_view>(prefix.begin(), prefix.end())];
    auto it = std::partition_point(local_.begin(), local_.end(), [&](Words s) { return compare_prefix(s, prefix) < 0; });
    for (; it != local_.end() && starts_with(*it, prefix); ++it) {
        ++work_, ++looked_through;
        if (it->size() <= prefix.size()) continue;
        auto name = (*it)[prefix.size()];
        // interface-range is a statement of [interfaces], not an interface a pattern names.
        if (prefix.size() == 1 && prefix[0] == "interfaces" && name == "interface-range") continue;
        if (is_apply(name)) continue;
        if (names.empty() || names.back() != name) names.push_back(name);
    }
    if (narrowed_ && prefix.size() == 1) {  // the statements index_local left out, counted too
        auto all = first_words_.find(prefix[0]);
        std::size_t count = all == first_words_.end() ? 0 : all->second;
        work_ += count - looked_through;
        looked_through = count;
    }
    if (recording_) recording_->settled_work += looked_through;
    return names;
}

void Expander::offer(Words w, int line, const Application& a) {
    ++work_;
    if (excepted(w, a) || present(w)) return void(recording_ && ++recording_->settled_work);
    if (auto setter = other_value(w, a); setter != Setter::none) {
        Leaf kind = leaf_kind(w);
        // Two statements of one group, say <ge-*> and <ge-0/0/4>, that both match: which one
        // wins is not documented (first listed, or best match).
        if (kind == Leaf::replaced && setter == Setter::same_application && is_read_value(w)) kind = Leaf::unknown;
        if (kind != Leaf::merged && recording_)  // not kept: a repeat must look again
            recording_->pending.push_back({{w.begin(), w.end()}, line, local_run(w.first(w.size() - 1))});
        if (kind == Leaf::replaced) return;
        if (kind == Leaf::unknown)
            return problem({line, store(w)}, fmt::format("inherited from group {} where another statement sets "
                                                         "another value: which one applies is not modelled", a.group));
    }
    if (recording_) ++recording_->settled_work;  // kept: present from now on
    Words kept = store(w);
    inherited_.emplace(kept, &a);
    out_.statements.push_back({line, kept});
    note_filter(kept, line, a);
}

// apply-groups-except GROUP below a's level, above `w`: one of w's prefixes longer than a's
// path is excepted from the group. A lookup per prefix of a size some excepted path has (one
// size, mostly): a test of every apply-groups-except per statement offered was quadratic (one
// per port, a group on every port).
bool Expander::excepted(Words w, const Application& a) const {
    auto except = except_paths_.find(a.group);
    if (except == except_paths_.end()) return false;
    const auto& [paths, sizes] = except->second;
    for (std::size_t size = a.path.size() + 1; size <= w.size() && size < sizes.size(); ++size)
        if (sizes[size] && paths.count(w.first(size))) return true;
    return false;
}

// Who already has a statement with the same words but the last: the configuration or an
// earlier application (both take priority), or an earlier statement of a's own application.
Expander::Setter Expander::other_value(Words w, const Application& a) {
    if (w.size() < 2) return Setter::none;
    Words prefix = w.first(w.size() - 1);
    auto other = [&](Words s) { return ++work_, s.size() == w.size() && s.back() != w.back(); };
    auto l = std::partition_point(local_.begin(), local_.end(), [&](Words s) { return compare_prefix(s, prefix) < 0; });
    for (; l != local_.end() && starts_with(*l, prefix); ++l)
        if (other(*l)) return Setter::earlier;
    auto setter = Setter::none;
    for (auto i = inherited_.lower_bound(prefix); i != inherited_.end() && starts_with(i->first, prefix); ++i) {
        if (!other(i->first)) continue;
        if (i->second != &a) return Setter::earlier;  // it takes priority, whatever a's own say
        setter = Setter::same_application;
    }
    return setter;
}

bool Expander::local_has(Words prefix) const {
    auto it = std::partition_point(local_.begin(), local_.end(), [&](Words s) { return compare_prefix(s, prefix) < 0; });
    return it != local_.end() && starts_with(*it, prefix);
}

// The terms of a filter from one group keep the group's order. Mixed with the configuration's
// own terms or another group's, the order the device evaluates them in is not modelled.
void Expander::note_filter(Words w, int line, const Application& a) {
    Words filter = filter_of(w);
    if (filter.empty()) return;
    auto [it, fresh] = filter_source_.emplace(filter, &a);
    bool mixed = fresh ? local_has(w.first(filter.size() + 1)) : it->second && it->second != &a;
    if (!mixed) return;
    it->second = nullptr;
    out_.unordered_filters.push_back(filter.back());
    problem({line, w}, fmt::format("filter {}: terms inherited from group {} among other terms: their order is "
                                   "not modelled", filter.back(), a.group));
}

// A copy of `w` that lives as long as the result: blocks never move, as in statements.cpp.
Words Expander::store(Words w) {
    auto& blocks = out_.word_blocks;
    if (blocks.empty() || blocks.back().capacity() - blocks.back().size() < w.size())
        blocks.emplace_back().reserve(std::max(kBlockWords, w.size()));
    auto& block = blocks.back();
    std::size_t begin = block.size();
    block.insert(block.end(), w.begin(), w.end());
    return Words(block.data() + begin, w.size());
}

}  // namespace

JunosExpansion expand_junos_groups(std::span<const JunosStatement> statements, bool replay_repeats) {
    return Expander(statements, replay_repeats).run();
}

}  // namespace microseg
