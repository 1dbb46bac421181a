// Linux nftables `nft list ruleset` (or an `nft -f` file such as the emitter writes) ->
// ParsedConfig. audit/nft_reader.cpp splits the text into statements, audit/nft_rules.cpp
// gives each rule its meaning; this file keeps tables, chains and sets, then flattens every
// forward base chain into one first-match list (see RouterFilters in parsed_config.hpp).
#include <algorithm>
#include <bit>
#include <map>

#include "audit/nft_reader.hpp"
#include "audit/nft_rules.hpp"
#include "audit/parsed_config.hpp"

namespace microseg {
namespace {

using nft::Cube;
using nft::Rule;
using nft::Statement;
using nft::StatementKind;
using nft::Verdict;

struct Chain {
    int line = 0;
    bool base = false;
    std::string hook;
    AclAction policy = AclAction::permit;  // nft's default policy is accept
    std::vector<Rule> rules;
};

struct Table {
    std::string family;
    int line = 0;
    std::map<std::string, Chain> chains;
    nft::NamedSets sets;
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
    explicit NftParser(std::string_view text) : text_(text), reader_(text) {}
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
    void flatten(const Table& t, const Chain& c, const std::vector<Cube>& context, int depth, FlatList& out);
    void finish();

    std::string_view text_;
    nft::StatementReader reader_;
    std::map<std::pair<std::string, std::string>, Table> tables_;  // by (family, name)
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
        tables_[{std::string(w[1].text), std::string(w[2].text)}].family = w[1].text;
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
    auto& t = tables_[{family, name}];
    t.family = family;
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
    Statement s;
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
    auto rule = nft::parse_rule(w, families_of(t.family), t.sets);
    cubes_kept_ += rule.cubes.size();
    if (cubes_kept_ > kMaxFlatEntries && rule.not_understood.empty())
        rule.not_understood = fmt::format("the rules match more than {} address and port combinations", kMaxFlatEntries);
    if (!rule.not_understood.empty()) rule.cubes.clear();
    if (!rule.not_understood.empty()) warn(s, "rule not understood: " + rule.not_understood);
    c.rules.push_back(std::move(rule));
}

void NftParser::chain(Table& t, const Statement& header) {
    std::string name(header.tokens.size() >= 2 ? header.tokens[1].text : "");
    auto& c = t.chains[name];
    c.line = header.line;
    Statement s;
    for (;;) {
        reader_.next(s, kNoBlocks);
        if (s.kind == StatementKind::close_block) return;
        if (s.kind == StatementKind::end) {
            truncated_ = true;
            return warn(reader_.line(), "", fmt::format("chain {} is not closed: the ruleset is truncated", name));
        }
        chain_statement(t, c, s);
    }
}

void push(FlatList& out, const std::vector<Cube>& cubes, AclAction action, bool log, int line) {
    if (out.entries.size() + cubes.size() > kMaxFlatEntries) return void(out.understood = false);
    for (const auto& c : cubes) out.entries.push_back({c, action, log, line});
}

// push(out, product(a, b), ...) without the product's vector: most rules are accept or drop.
void push_product(FlatList& out, const std::vector<Cube>& a, const std::vector<Cube>& b, AclAction action, bool log,
                  int line) {
    std::size_t before = out.entries.size();
    for (const auto& x : a)
        for (const auto& y : b)
            if (auto c = nft::intersect(x, y)) out.entries.push_back({*c, action, log, line});
    if (out.entries.size() > kMaxFlatEntries) {  // push would have pushed none of them
        out.entries.resize(before);
        out.understood = false;
    }
}

bool unconditional(const Rule& r) {
    return r.cubes.size() == 1 && [&] {
        Cube c = r.cubes.front();
        c.families = nft::kV4 | nft::kV6;
        return c.is_everything();
    }();
}

// Inlines chain `c` for the packets of `context`: a jump rule's match narrows every rule of the
// chain it jumps to; a chain that ends without a verdict returns to the rule after the jump.
void NftParser::flatten(const Table& t, const Chain& c, const std::vector<Cube>& context, int depth, FlatList& out) {
    for (const auto& r : c.rules) {
        if (++rules_inlined_ > kMaxInlinedRules) {
            if (rules_inlined_ == kMaxInlinedRules + 1)
                warn(r.line, "", fmt::format("jumps inline more than {} rules: the filter is not read further", kMaxInlinedRules));
            return void(out.understood = false);
        }
        if (!r.not_understood.empty()) {
            out.understood = false;
            continue;
        }
        if (r.no_effect) continue;
        if (r.conntrack_replies) {
            if (depth == 0 && out.conntrack_line == 0) out.conntrack_line = r.line;
            else if (depth > 0) out.understood = false;
            continue;
        }
        if (r.cubes.size() * context.size() > kMaxFlatEntries) {
            out.understood = false;
            continue;
        }
        if (r.verdict == Verdict::accept || r.verdict == Verdict::drop) {
            auto action = r.verdict == Verdict::accept ? AclAction::permit : AclAction::deny;
            push_product(out, r.cubes, context, action, r.log, r.line);
            continue;
        }
        auto cubes = nft::product(r.cubes, context);
        if (cubes.empty()) continue;
        switch (r.verdict) {
            case Verdict::none:
            case Verdict::continue_:
            case Verdict::accept:
            case Verdict::drop: break;
            case Verdict::jump:
            case Verdict::go_to: {
                auto target = t.chains.find(r.target);
                if (target == t.chains.end() || depth >= kMaxJumpDepth) {
                    out.understood = false;
                    break;
                }
                flatten(t, target->second, cubes, depth + 1, out);
                // After a goto the packet never comes back here: from a base chain the
                // policy decides; deeper, the skipped rest of this chain is not modelled.
                if (r.verdict == Verdict::go_to && depth == 0) push(out, cubes, c.policy, false, r.line);
                else if (r.verdict == Verdict::go_to) out.understood = false;
                break;
            }
            case Verdict::return_:
                if (depth == 0) push(out, cubes, c.policy, false, r.line);
                else if (unconditional(r)) return;
                else out.understood = false;
                break;
        }
    }
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
            if (auto m = nft::intersect(e.match, f.match)) out.entries.push_back({*m, f.action, e.log || f.log, f.line});
        }
    }
    return out;
}

// A flattened list's storage, kept for the next one on the thread: freed, it went back to the
// system and came back as fresh pages, a page fault per 4 KB written.
std::vector<FlatEntry>& spare_entries() {
    thread_local std::vector<FlatEntry> spare;
    return spare;
}

void recycle(std::vector<FlatEntry>&& entries) {
    constexpr std::size_t kMaxKept = 1 << 16;  // 11 MB
    auto& spare = spare_entries();
    if (entries.capacity() > kMaxKept || entries.capacity() <= spare.capacity()) return;
    entries.clear();
    spare = std::move(entries);
}

FlatList NftParser::flatten_hook(std::string_view hook, bool bridge) {
    std::optional<FlatList> combined;
    for (const auto& [key, t] : tables_) {
        if ((t.family == "bridge") != bridge || t.family == "netdev" || t.family == "arp") continue;
        for (const auto& [name, c] : t.chains) {
            if (!c.base || c.hook != hook) continue;
            FlatList list;
            list.line = c.line;
            list.entries = std::move(spare_entries());
            // Every rule inlined once: no growing by copies (an entry is a 200-byte cube).
            list.entries.reserve(std::min(cubes_kept_ + 1, kMaxFlatEntries));
            Cube all;
            all.families = families_of(t.family);
            flatten(t, c, {all}, 0, list);
            push(list, {all}, c.policy, false, c.line);  // the policy: every packet left
            if (combined) combined = chain_in_series(*combined, list);
            else combined = std::move(list);
        }
    }
    // A packet of a family no base chain sees (an ip-only table) is not filtered.
    FlatList out = combined ? std::move(*combined) : FlatList{};
    push(out, {Cube{}}, AclAction::permit, false, out.line);
    return out;
}

Acl to_acl(const FlatList& list, std::string name, ParsedAcl& info) {
    Acl acl{std::move(name), {}};
    // Exactly: one entry per family of each cube (the final catch-all spans both, and one
    // reallocation at the end copied the whole list).
    std::size_t count = 0;
    for (const auto& e : list.entries)
        count += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(e.match.families & (nft::kV4 | nft::kV6))));
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
    recycle(std::move(forward.entries));
    out_.as_built.svis.push_back(std::move(svi));
    out_.svis[0] = ParsedSvi{forward.line, router.has_forward ? "forward" : "", true};
    if (router.has_forward) out_.acls["forward"] = std::move(info);
    auto bridge = flatten_hook("forward", true);
    router.has_bridge = bridge.line != 0;
    if (truncated_) bridge.understood = false;
    router.bridge = to_acl(bridge, "bridge forward", router.bridge_info);
    recycle(std::move(bridge.entries));
    out_.router = std::move(router);
}

ParsedConfig NftParser::run() {
    out_.as_built.platform = PlatformId::nftables;
    // The emitter's first line names the policy, its version and the switch.
    if (text_.starts_with("# microseg ")) out_.microseg_header = std::string(text_.substr(0, text_.find('\n')));
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
