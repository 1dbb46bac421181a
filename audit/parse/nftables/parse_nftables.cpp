// Linux nftables `nft list ruleset` (or an `nft -f` file such as the emitter writes) ->
// ParsedConfig. audit/parse/nftables/reader.cpp splits the text into statements, audit/parse/nftables/rules.cpp
// gives each rule its meaning; this file keeps tables, chains and sets, then flattens every
// forward base chain into one first-match list (see RouterFilters in model/as_built.hpp).
#include <algorithm>
#include <map>

#include "audit/parse/nftables/reader.hpp"
#include "audit/parse/nftables/rules.hpp"
#include "audit/parse/nftables/tables.hpp"
#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"

namespace microseg {
namespace {

using nft::Chain;
using nft::Cube;
using nft::Rule;
using nft::RuleRange;
using nft::Statement;
using nft::StatementKind;
using nft::Table;
using nft::Verdict;

// A vector's storage kept on the thread for the next parse: freed, it went back to the system
// and came back as fresh pages, a page fault per 4 KB written. Capped, so a huge ruleset does
// not keep its memory.
template <class T>
class Spare {
public:
    static std::vector<T> take() {
        std::vector<T> v = std::move(slot());
        v.clear();
        return v;
    }
    static void give(std::vector<T>&& v) {
        constexpr std::size_t kMaxKeptBytes = 12 << 20;
        if (v.capacity() * sizeof(T) > kMaxKeptBytes || v.capacity() <= slot().capacity()) return;
        v.clear();
        slot() = std::move(v);
    }

private:
    static std::vector<T>& slot() {
        thread_local std::vector<T> spare;
        return spare;
    }
};

std::uint8_t families_of(std::string_view family) {
    if (family == "ip") return nft::kV4;
    if (family == "ip6") return nft::kV6;
    return nft::kV4 | nft::kV6;  // inet, bridge, netdev
}

// One entry of a flattened list, before it becomes an AclEntry.
struct FlatEntry {
    Cube match;
    AclAction action;
    bool log = false;
    int line = 0;
};

struct FlatList {
    std::vector<FlatEntry> entries;
    bool understood = true;
    int conntrack_line = 0;
    int line = 0;
};

const std::vector<std::string_view> kTopBlocks = {"table"};
const std::vector<std::string_view> kTableBlocks = {"chain", "set", "map", "flowtable", "counter",
                                                    "quota", "limit", "ct", "secmark", "synproxy"};
const std::vector<std::string_view> kNoBlocks = {};

constexpr int kMaxJumpDepth = 16;          // nft itself refuses deeper jump stacks
constexpr std::size_t kMaxFlatEntries = 1'000'000;  // a pathological product: give up, "unknown"
// Also the most cubes kept over all rules.
// Rules visited while inlining jumps, over all chains: a chain jumping k times to a chain that
// jumps k times, 16 deep, is k^16 visits (10^16 from a 2 KB file). Real rulesets inline each
// chain about once.
constexpr std::size_t kMaxInlinedRules = 200'000;

class NftParser {
public:
    explicit NftParser(std::string_view text)
        : text_(text), reader_(text), rules_(Spare<Rule>::take()), cubes_(Spare<Cube>::take()),
          context_(Spare<Cube>::take()) {
        // About one rule (and one cube) per line of 24 bytes: growing by doubling touched twice
        // the memory, and each first touch of a page is a page fault. Capped: a huge text grows
        // its vectors as it needs.
        const std::size_t rules = std::min(text.size() / 24, kMaxFlatEntries);
        rules_.reserve(rules);
        cubes_.reserve(rules);
        chains_.reserve(text.size() / 200);  // a chain header, its rules and its end
    }
    ~NftParser() {
        Spare<Rule>::give(std::move(rules_));
        Spare<Cube>::give(std::move(cubes_));
        Spare<Cube>::give(std::move(context_));
    }
    NftParser(const NftParser&) = delete;
    NftParser& operator=(const NftParser&) = delete;
    ParsedConfig run();

private:
    void warn(int line, std::string text, std::string reason) {
        out_.warnings.push_back({line, std::move(text), std::move(reason)});
    }
    void warn(const Statement& s, std::string reason) { warn(s.line, s.text(), std::move(reason)); }
    void top_statement(const Statement& s);
    void table(const Statement& header);
    void chain(Table& t, const Statement& header);
    void set(Table& t, const Statement& header);
    void skip_block();
    void chain_statement(Table& t, Chain& c, const Statement& s);
    FlatList flatten_hook(std::string_view hook, bool bridge);
    void flatten(const Table& t, const Chain& c, std::size_t context_first, std::size_t context_size, int depth,
                 FlatList& out);
    bool flatten_range(const Table& t, const Chain& c, RuleRange range, std::size_t context_first,
                       std::size_t context_size, int depth, FlatList& out);
    bool jump_or_return(const Table& t, const Chain& c, const Rule& r, std::size_t first, std::size_t size, int depth,
                        FlatList& out);
    void finish();

    std::string_view text_;
    nft::StatementReader reader_;
    // The table (family, name), declared if it is not.
    Table& table_named(std::string family, std::string name) {
        auto [it, added] = tables_.try_emplace({family, std::move(name)});
        if (added) it->second.id = next_table_id_++, it->second.family = std::move(family);
        return it->second;
    }

    std::map<std::pair<std::string, std::string>, Table> tables_;  // by (family, name)
    std::uint32_t next_table_id_ = 1;
    nft::Chains chains_;
    // Every rule read and their cubes (Rule::first_cube), in one vector each; the contexts of
    // the jumps being inlined, one range per depth (flatten). A vector per rule and per chain
    // was most of the allocations of a parse.
    std::vector<Rule> rules_;
    std::vector<Cube> cubes_;
    std::vector<Cube> context_;
    std::vector<std::string_view> targets_;  // of the jumps and gotos (Rule::target)
    Statement body_;   // a chain's or set's statement, reused
    std::string why_;  // why the last rule read is not understood
    ParsedConfig out_;
    bool truncated_ = false;
    std::size_t cubes_kept_ = 0;     // over all rules, against kMaxFlatEntries
    std::size_t rules_inlined_ = 0;  // over all flattening, against kMaxInlinedRules
};

void NftParser::skip_block() {
    int depth = 1;
    Statement s;
    while (depth > 0) {
        reader_.next(s, kTableBlocks);
        if (s.kind == StatementKind::end) return void(truncated_ = true);
        if (s.kind == StatementKind::open_block) ++depth;
        if (s.kind == StatementKind::close_block) --depth;
        ++out_.skipped_lines;
    }
}

void NftParser::top_statement(const Statement& s) {
    const auto& w = s.tokens;
    auto word = [&](std::size_t i) { return i < w.size() ? std::string_view(w[i].text) : std::string_view(); };
    if (word(0) == "table" && w.size() == 3) {  // a declaration (`nft -f` form)
        table_named(std::string(w[1].text), std::string(w[2].text));
        return;
    }
    if ((word(0) == "delete" || word(0) == "destroy") && word(1) == "table" && w.size() == 4) {
        tables_.erase({std::string(w[2].text), std::string(w[3].text)});
        return;
    }
    if (word(0) == "flush" && word(1) == "ruleset") return tables_.clear();
    warn(s, "not a table: only `nft list ruleset` output and table blocks are read");
}

void NftParser::table(const Statement& header) {
    const auto& w = header.tokens;
    std::string family(w.size() == 3 ? w[1].text : "ip");  // `table NAME` means family ip
    std::string name(w.size() == 3 ? w[2].text : (w.size() == 2 ? w[1].text : ""));
    if (name.empty()) warn(header, "a table header it cannot read");
    auto& t = table_named(family, name);
    t.line = header.line;
    Statement s;
    for (;;) {
        reader_.next(s, kTableBlocks);
        if (s.kind == StatementKind::close_block) return;
        if (s.kind == StatementKind::end) {
            truncated_ = true;
            return warn(reader_.line(), "", fmt::format("table {} {} is not closed: the ruleset is truncated", family, name));
        }
        if (s.kind == StatementKind::open_block && s.tokens.front().is("chain")) chain(t, s);
        else if (s.kind == StatementKind::open_block && s.tokens.front().is("set")) set(t, s);
        else if (s.kind == StatementKind::open_block) ++out_.skipped_lines, skip_block();  // maps, flowtables, objects
        else if (s.tokens.front().is("flags") || s.tokens.front().is("comment")) {
            if (s.text().find("dormant") != std::string::npos)
                warn(s, "a dormant table: its rules are not active"), truncated_ = true;
        } else {
            warn(s, "not a chain, set or known table statement");
        }
    }
}

void NftParser::set(Table& t, const Statement& header) {
    std::string name(header.tokens.size() >= 2 ? header.tokens[1].text : "");
    auto& elements = t.sets[name];
    Statement& s = body_;
    for (;;) {
        reader_.next(s, kNoBlocks);
        if (s.kind == StatementKind::close_block) return;
        if (s.kind == StatementKind::end) {
            truncated_ = true;
            return warn(reader_.line(), "", fmt::format("set {} is not closed: the ruleset is truncated", name));
        }
        const auto& w = s.tokens;
        if (w.front().is("elements")) {
            std::string cur;
            for (std::size_t i = 1; i < w.size(); ++i) {
                if (w[i].is("=") || w[i].is("{")) continue;
                if (w[i].is(",") || w[i].is("}")) {
                    if (!cur.empty()) elements.push_back(cur);
                    cur.clear();
                } else {
                    cur += cur.empty() ? "" : " ";
                    cur += w[i].text;
                }
            }
            if (!cur.empty()) elements.push_back(cur);
        } else if (!(w.front().is("type") || w.front().is("flags") || w.front().is("auto-merge") ||
                     w.front().is("size") || w.front().is("timeout") || w.front().is("counter") ||
                     w.front().is("comment") || w.front().is("gc-interval") || w.front().is("policy") ||
                     w.front().is("typeof"))) {
            warn(s, "not a set statement");
        }
    }
}

void NftParser::chain_statement(Table& t, Chain& c, const Statement& s) {
    const auto& w = s.tokens;
    if (w.front().is("type")) {
        c.base = true;
        for (std::size_t i = 0; i + 1 < w.size(); ++i)
            if (w[i].is("hook")) c.hook = w[i + 1].text;
        return;
    }
    if (w.front().is("policy") && w.size() == 2 && (w[1].is("accept") || w[1].is("drop"))) {
        c.policy = w[1].is("drop") ? AclAction::deny : AclAction::permit;
        return;
    }
    if (w.front().is("comment") || w.front().is("devices")) return;
    // An input or output base chain never sees routed traffic: not the router's filter, and
    // not read (microseg's own input chain included). Prerouting and postrouting do see it.
    if (c.base && (c.hook == "input" || c.hook == "output")) return;
    Rule& rule = rules_.emplace_back();
    nft::parse_rule(w, families_of(t.family), t.sets, cubes_, targets_, rule, why_);
    cubes_kept_ += rule.cube_count;
    if (cubes_kept_ > kMaxFlatEntries && why_.empty())
        why_ = fmt::format("the rules match more than {} address and port combinations", kMaxFlatEntries);
    if (!why_.empty()) {
        rule.understood = false;
        cubes_.resize(rule.first_cube);
        rule.cube_count = 0;
        warn(s, "rule not understood: " + why_);
    }
}

void NftParser::chain(Table& t, const Statement& header) {
    std::string_view name = header.tokens.size() >= 2 ? header.tokens[1].text : "";
    // No chain is added while the block is read (blocks do not nest): the reference holds.
    Chain& c = chains_.chain(t.id, name);
    c.line = header.line;
    RuleRange range{static_cast<std::uint32_t>(rules_.size()), 0};
    // The block's rules, once it ends (closed or truncated).
    auto keep_rules = [&] {
        range.end = static_cast<std::uint32_t>(rules_.size());
        if (c.rules.first == c.rules.end && c.more_rules.empty()) c.rules = range;
        else c.more_rules.push_back(range);
    };
    Statement& s = body_;
    for (;;) {
        reader_.next(s, kNoBlocks);
        if (s.kind == StatementKind::close_block) return keep_rules();
        if (s.kind == StatementKind::end) {
            keep_rules();
            truncated_ = true;
            return warn(reader_.line(), "", fmt::format("chain {} is not closed: the ruleset is truncated", name));
        }
        chain_statement(t, c, s);
    }
}

void push(FlatList& out, const Cube* cubes, std::size_t count, AclAction action, bool log, int line) {
    if (out.entries.size() + count > kMaxFlatEntries) return void(out.understood = false);
    for (std::size_t i = 0; i < count; ++i) out.entries.push_back({cubes[i], action, log, line});
}

// Appends the intersection of `a` and `b`, if any. Met in place in the vector: met in a local
// and then copied, the copy's wide loads waited on meet's narrow stores (a store-forwarding
// stall per entry, most of flattening).
void push_meet(std::vector<FlatEntry>& out, const Cube& a, const Cube& b, AclAction action, bool log, int line) {
    FlatEntry& e = out.emplace_back();
    e.match = a;
    e.action = action;
    e.log = log;
    e.line = line;
    if (!nft::meet(e.match, b)) out.pop_back();
}

// push(out, product(a, b), ...) without the product's vector: most rules are accept or drop.
void push_product(FlatList& out, const Cube* a, std::size_t a_size, const Cube* b, std::size_t b_size,
                  AclAction action, bool log, int line) {
    std::size_t before = out.entries.size();
    for (std::size_t i = 0; i < a_size; ++i)
        for (std::size_t j = 0; j < b_size; ++j) push_meet(out.entries, a[i], b[j], action, log, line);
    if (out.entries.size() > kMaxFlatEntries) {  // push would have pushed none of them
        out.entries.resize(before);
        out.understood = false;
    }
}

bool unconditional(const Rule& r, const std::vector<Cube>& cubes) {
    if (r.cube_count != 1) return false;
    Cube c = cubes[r.first_cube];
    c.families = nft::kV4 | nft::kV6;
    return c.is_everything();
}

// Inlines chain `c` for the packets of the context, cubes [first, first + size) of context_: a
// jump rule's match narrows every rule of the chain it jumps to; a chain that ends without a
// verdict returns to the rule after the jump.
void NftParser::flatten(const Table& t, const Chain& c, std::size_t context_first, std::size_t context_size,
                        int depth, FlatList& out) {
    if (!flatten_range(t, c, c.rules, context_first, context_size, depth, out)) return;
    for (const auto& range : c.more_rules)
        if (!flatten_range(t, c, range, context_first, context_size, depth, out)) return;
}

// The rules of `range`, a block of chain `c`; false when the chain ends there (a return, or
// the limit of inlined rules).
bool NftParser::flatten_range(const Table& t, const Chain& c, RuleRange range, std::size_t context_first,
                              std::size_t context_size, int depth, FlatList& out) {
    for (std::uint32_t i = range.first; i < range.end; ++i) {
        const Rule& r = rules_[i];
        if (++rules_inlined_ > kMaxInlinedRules) {
            if (rules_inlined_ == kMaxInlinedRules + 1)
                warn(r.line, "", fmt::format("jumps inline more than {} rules: the filter is not read further", kMaxInlinedRules));
            out.understood = false;
            return false;
        }
        if (!r.understood) {
            out.understood = false;
            continue;
        }
        if (r.no_effect) continue;
        if (r.conntrack_replies) {
            if (depth == 0 && out.conntrack_line == 0) out.conntrack_line = r.line;
            else if (depth > 0) out.understood = false;
            continue;
        }
        if (std::size_t{r.cube_count} * context_size > kMaxFlatEntries) {
            out.understood = false;
            continue;
        }
        if (r.verdict == Verdict::accept || r.verdict == Verdict::drop) {
            auto action = r.verdict == Verdict::accept ? AclAction::permit : AclAction::deny;
            push_product(out, cubes_.data() + r.first_cube, r.cube_count, context_.data() + context_first, context_size,
                         action, r.log, r.line);
            continue;
        }
        // The rule's match within the context, pushed on context_ for the chain it jumps to.
        std::size_t first = context_.size();
        for (std::uint32_t k = 0; k < r.cube_count; ++k)
            for (std::size_t j = 0; j < context_size; ++j) {
                context_.push_back(cubes_[r.first_cube + k]);  // met in place, as in push_meet
                if (!nft::meet(context_.back(), context_[context_first + j])) context_.pop_back();
            }
        std::size_t size = context_.size() - first;
        bool go_on = size == 0 || jump_or_return(t, c, r, first, size, depth, out);
        context_.resize(first);
        if (!go_on) return false;
    }
    return true;
}

// A rule with a verdict other than accept or drop, matching cubes [first, first + size) of
// context_; false when it ends the chain (an unconditional return).
bool NftParser::jump_or_return(const Table& t, const Chain& c, const Rule& r, std::size_t first, std::size_t size,
                               int depth, FlatList& out) {
    switch (r.verdict) {
        case Verdict::none:
        case Verdict::continue_:
        case Verdict::accept:
        case Verdict::drop: break;
        case Verdict::jump:
        case Verdict::go_to: {
            const Chain* target = r.target ? chains_.find(t.id, targets_[r.target - 1]) : nullptr;
            if (!target || depth >= kMaxJumpDepth) {
                out.understood = false;
                break;
            }
            flatten(t, *target, first, size, depth + 1, out);
            // After a goto the packet never comes back here: from a base chain the
            // policy decides; deeper, the skipped rest of this chain is not modelled.
            if (r.verdict == Verdict::go_to && depth == 0) push(out, context_.data() + first, size, c.policy, false, r.line);
            else if (r.verdict == Verdict::go_to) out.understood = false;
            break;
        }
        case Verdict::return_:
            if (depth == 0) push(out, context_.data() + first, size, c.policy, false, r.line);
            else if (unconditional(r, cubes_)) return false;
            else out.understood = false;
            break;
    }
    return true;
}

// Two filters in a row (two base chains on one hook): a packet passes when both accept. Each
// permit of `a` is replaced by `b` restricted to it.
FlatList chain_in_series(const FlatList& a, const FlatList& b) {
    FlatList out;
    out.understood = a.understood && b.understood;
    out.line = a.line;
    out.conntrack_line = a.conntrack_line && b.conntrack_line ? a.conntrack_line : 0;
    for (const auto& e : a.entries) {
        if (e.action == AclAction::deny) {
            out.entries.push_back(e);
            continue;
        }
        for (const auto& f : b.entries) {
            if (out.entries.size() >= kMaxFlatEntries) return out.understood = false, out;
            push_meet(out.entries, e.match, f.match, f.action, e.log || f.log, f.line);
        }
    }
    return out;
}

FlatList NftParser::flatten_hook(std::string_view hook, bool bridge) {
    std::optional<FlatList> combined;
    for (const auto& [key, t] : tables_) {
        if ((t.family == "bridge") != bridge || t.family == "netdev" || t.family == "arp") continue;
        for (const Chain* base : chains_.base_chains(t.id, hook)) {
            const Chain& c = *base;
            FlatList list;
            list.line = c.line;
            list.entries = Spare<FlatEntry>::take();
            // Every rule inlined once: no growing by copies.
            list.entries.reserve(std::min(cubes_kept_ + 1, kMaxFlatEntries));
            Cube all;
            all.families = families_of(t.family);
            context_.assign(1, all);
            flatten(t, c, 0, 1, 0, list);
            push(list, &all, 1, c.policy, false, c.line);  // the policy: every packet left
            if (combined) combined = chain_in_series(*combined, list);
            else combined = std::move(list);
        }
    }
    // A packet of a family no base chain sees (an ip-only table) is not filtered.
    FlatList out = combined ? std::move(*combined) : FlatList{};
    Cube any;
    push(out, &any, 1, AclAction::permit, false, out.line);
    return out;
}

Acl to_acl(const FlatList& list, std::string name, ParsedAcl& info) {
    Acl acl{std::move(name), {}};
    // Exactly: one entry per family of each cube (the final catch-all spans both, and one
    // reallocation at the end copied the whole list).
    std::size_t count = 0;
    for (const auto& e : list.entries)
        count += (e.match.families & nft::kV4 ? 1u : 0u) + (e.match.families & nft::kV6 ? 1u : 0u);
    acl.entries.reserve(count);
    info.entry_lines.reserve(count);
    info.line = list.line;
    info.fully_understood = list.understood;
    for (const auto& e : list.entries) {
        nft::append_entries(e.match, e.action, e.log, acl.entries);
        info.entry_lines.resize(acl.entries.size(), e.line);
    }
    return acl;
}

void NftParser::finish() {
    RouterFilters router;
    auto forward = flatten_hook("forward", false);
    router.has_forward = forward.line != 0;
    router.conntrack_line = forward.conntrack_line;
    if (truncated_) forward.understood = false;
    SviIntent svi;
    ParsedAcl info;
    svi.acl = to_acl(forward, router.has_forward ? "forward" : "", info);
    Spare<FlatEntry>::give(std::move(forward.entries));
    out_.as_built.svis.push_back(std::move(svi));
    out_.svis[0] = ParsedSvi{forward.line, router.has_forward ? "forward" : "", true};
    if (router.has_forward) out_.acls["forward"] = std::move(info);
    auto bridge = flatten_hook("forward", true);
    router.has_bridge = bridge.line != 0;
    if (truncated_) bridge.understood = false;
    router.bridge = to_acl(bridge, "bridge forward", router.bridge_info);
    Spare<FlatEntry>::give(std::move(bridge.entries));
    out_.router = std::move(router);
}

ParsedConfig NftParser::run() {
    out_.as_built.platform = PlatformId::nftables;
    // The emitter's first line names the policy, its version and the switch.
    out_.read_header(text_);
    Statement s;
    for (;;) {
        reader_.next(s, kTopBlocks);
        if (s.kind == StatementKind::end) break;
        if (s.kind == StatementKind::open_block) table(s);
        else if (s.kind == StatementKind::close_block) warn(s.line, "}", "a '}' that closes nothing");
        else top_statement(s);
    }
    finish();
    return std::move(out_);
}

}  // namespace

ParsedConfig parse_nftables(std::string_view text) { return NftParser(text).run(); }

}  // namespace microseg
