// Simulated Cisco IOS-XE and Arista EOS switches (plan/device.hpp): the running config as the
// blocks `show running-config` prints (a top-level line and its indented lines), and what
// typing configuration commands does to them. Blocks nothing touches are kept byte for byte.
//
// Vendor behaviour modelled, and where it is documented:
// - Cisco "IP Access List Entry Sequence Numbering" (Security Configuration Guide: Access
//   Control Lists, IOS XE; the Catalyst 2960 guide has the same "Sequence Numbering Behavior"):
//   an entry without a sequence number gets the last number + 10 and goes at the end, one with
//   a number goes in order, a number in use is refused ("Duplicate sequence number"), an entry
//   matching an existing one but for its number changes nothing; `no N` deletes entry N.
// - Cisco IOS "Interface" chapters: `interface range Gi1/0/1 - 24` configures each port (the
//   running config lists each); `ip address` on an SVI overlapping another interface's subnet
//   is refused with "% A.B.C.D overlaps with <interface>".
// - Arista "EOS User Manual": `interface Ethernet1-24` ranges; ACL entries always numbered, a
//   number in use refused ("% Duplicate sequence number"); "Configuration sessions":
//   `configure session NAME` stages commands on a copy of the running config, `commit timer
//   hh:mm:ss` (in the session) makes them running until `configure session NAME commit`
//   confirms, `configure session NAME abort` rolls back; `abort` in the session drops it
//   (EOS 4.15 "Config sessions" and "Config Session Commit Timer" articles, eos.arista.com).
// - Both: `switchport trunk allowed vlan LIST` replaces the list, `add`/`remove` edit it; a
//   command of another mode's is tried in global configuration mode, as the CLI falls back.
#include <algorithm>
#include <cstdint>
#include <map>

#include "emitters/ios_style_change.hpp"
#include "model/interface_name.hpp"
#include "model/ip.hpp"
#include "model/interface_range.hpp"
#include "plan/device.hpp"

namespace microseg {
namespace {

enum class Mode { exec, global, interface, vlan, acl };

struct DeviceDialect {
    PlatformId platform;
    bool eos;
    std::string_view indent;
};

// What a command did: done, refused (with the device's message), or not a command of this mode.
struct Outcome {
    enum Kind { done, refused, unknown } kind = done;
    std::string message;
};
Outcome ok() { return {}; }
Outcome refuse(std::string m) { return {Outcome::refused, std::move(m)}; }
Outcome not_here() { return {Outcome::unknown, {}}; }

using Words = std::vector<std::string>;
using Blocks = std::vector<IosTextBlock>;

bool starts(const Words& w, std::initializer_list<std::string_view> prefix) {
    return ios_change::starts_with_word(w, prefix);
}

std::string join(const Words& w, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < w.size(); ++i) out += (out.empty() ? "" : " ") + w[i];
    return out;
}

std::optional<unsigned> sequence_of(const std::string& word) {
    if (word.empty() || word.size() > 9 || !std::all_of(word.begin(), word.end(), ::isdigit)) return std::nullopt;
    return static_cast<unsigned>(std::stoul(word));
}

// A device never prints a range: `interface range Gi1/0/1 - 4` (or EOS `interface Ethernet1-4`) in
// a file typed into it configured each port, and `show running-config` prints each on its own.
// So a running text with ranges (compile's own files) is held as the device would print it.
Blocks expand_ranges(Blocks blocks) {
    Blocks out;
    for (auto& b : blocks) {
        auto w = ios_words(b.head());
        std::size_t first = w.size() > 1 && w[1] == "range" ? 2 : 1;
        std::string joined;
        for (std::size_t i = first; !w.empty() && w[0] == "interface" && i < w.size(); ++i) joined += w[i];
        auto names = joined.empty() ? Result<std::vector<std::string>>(make_error("")) : expand_interface_range(joined);
        if (!names || names->size() < 2) {
            out.push_back(std::move(b));
            continue;
        }
        for (const auto& name : *names) {
            IosTextBlock one = b;
            one.lines.front() = "interface " + name;
            out.push_back(std::move(one));
        }
    }
    return out;
}

class IosStyleDevice final : public SimulatedDevice {
public:
    IosStyleDevice(DeviceDialect d, std::string_view text) : d_(d), running_(expand_ranges(split_ios_text_blocks(text))) {}

    std::optional<Diagnostic> type(const std::vector<std::string>& commands) override {
        for (const auto& command : commands) {
            auto w = ios_words(command);
            if (w.empty() || w[0].starts_with("!")) continue;
            auto outcome = dispatch(w);
            if (outcome.kind == Outcome::unknown) outcome = refuse("% Invalid input detected");
            if (outcome.kind == Outcome::refused)
                return make_error(fmt::format("the switch refuses `{}`: {}", join(w, 0), outcome.message));
        }
        return std::nullopt;
    }

    std::string running_config() const override {
        std::string out;
        for (const auto& b : running_)
            for (const auto& l : b.lines) out += l + "\n";
        return out;
    }

private:
    Blocks& config() { return session_.empty() ? running_ : sessions_[session_]; }
    Outcome dispatch(const Words& w);
    Outcome exec(const Words& w);
    Outcome global(const Words& w);
    Outcome session_command(const Words& w);
    Outcome interface_command(const Words& w);
    Outcome interface_setting(IosTextBlock& b, const Words& w);
    Outcome trunk_allowed(IosTextBlock& b, const Words& w);
    Outcome ip_address(IosTextBlock& b, const Words& w);
    Outcome vlan_command(const Words& w);
    Outcome acl_command(const Words& w);
    Outcome acl_entry(IosTextBlock& b, const Words& w);
    Outcome enter_interfaces(const Words& w);

    // Blocks by head and by interface name, rebuilt after blocks come or go (a plan for a
    // switch of thousands of ports types thousands of `interface` lines).
    struct BlockIndex {
        const Blocks* of = nullptr;
        std::uint64_t generation = 0;
        std::map<std::string, std::size_t> by_head;       // words joined by one space
        std::map<std::string, std::size_t> by_interface;  // canonical name
    };
    const BlockIndex& index();
    std::optional<std::size_t> find_block(const std::string& head);
    std::optional<std::size_t> find_interface(const std::string& canonical_name);
    std::size_t ensure_block(const std::string& head, std::string_view kind);
    void remove_block(std::size_t at);
    std::string overlapping(const std::string& self, const Cidr& subnet);

    DeviceDialect d_;
    Blocks running_;
    std::map<std::string, Blocks> sessions_;  // EOS: staged, not running
    std::string session_;                     // the open one, or empty
    std::string pending_;                     // committed with a timer, not yet confirmed
    Blocks before_pending_;                   // what the timer would roll back to
    std::uint64_t generation_ = 1;            // bumped whenever blocks come, go or are replaced
    BlockIndex index_;
    Mode mode_ = Mode::exec;
    std::vector<std::string> selected_;       // heads of the blocks the sub-mode configures
};

// A line's words from index 1 (the indent dropped) compare as words.
bool same_words(const std::string& line, const Words& w) { return ios_words(line) == w; }

// Replaces the child lines starting with `prefix` by `line` (in place of the first), or appends it.
void set_single(IosTextBlock& b, const Words& prefix, const std::string& line) {
    bool placed = false;
    for (std::size_t i = 1; i < b.lines.size();) {
        auto w = ios_words(b.lines[i]);
        if (w.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), w.begin())) {
            if (placed) {
                b.lines.erase(b.lines.begin() + static_cast<std::ptrdiff_t>(i));
                continue;
            }
            b.lines[i] = line;
            placed = true;
        }
        ++i;
    }
    if (!placed) b.lines.push_back(line);
}

void remove_children(IosTextBlock& b, const Words& prefix) {
    std::erase_if(b.lines, [&, first = true](const std::string& l) mutable {
        if (std::exchange(first, false)) return false;
        auto w = ios_words(l);
        return w.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), w.begin());
    });
}

Outcome IosStyleDevice::dispatch(const Words& w) {
    if (mode_ == Mode::exec) return exec(w);
    Outcome sub = not_here();
    if (mode_ == Mode::interface) sub = interface_command(w);
    else if (mode_ == Mode::vlan) sub = vlan_command(w);
    else if (mode_ == Mode::acl) sub = acl_command(w);
    if (sub.kind != Outcome::unknown) return sub;
    if (w.size() == 1 && w[0] == "exit" && mode_ != Mode::global) {
        mode_ = Mode::global;
        return ok();
    }
    return global(w);  // the CLI tries a command of no sub-mode in global configuration mode
}

Outcome IosStyleDevice::exec(const Words& w) {
    ++generation_;  // a commit or abort replaces the running blocks
    if (w == Words{"configure", "terminal"} || (d_.eos && w == Words{"configure"})) {
        mode_ = Mode::global;
        return ok();
    }
    if (w == Words{"write", "memory"} || w == Words{"copy", "running-config", "startup-config"}) return ok();
    if (!d_.eos || !starts(w, {"configure", "session"}) || w.size() < 3) return not_here();
    const auto& name = w[2];
    if (w.size() == 4 && w[3] == "abort") {  // a pending commit rolls back; a staged session is dropped
        if (pending_ == name) running_ = std::move(before_pending_), pending_.clear();
        return sessions_.erase(name), ok();
    }
    if (w.size() == 4 && w[3] == "commit") {
        if (pending_ == name) return pending_.clear(), ok();
        auto it = sessions_.find(name);
        if (it == sessions_.end()) return refuse("% No such session " + name);
        running_ = std::move(it->second);
        sessions_.erase(it);
        return ok();
    }
    if (w.size() != 3) return not_here();
    if (!sessions_.count(name)) sessions_[name] = running_;
    session_ = name;
    mode_ = Mode::global;
    return ok();
}

Outcome IosStyleDevice::session_command(const Words& w) {
    ++generation_;
    if (w.size() == 3 && w[0] == "commit" && w[1] == "timer") {
        int h = 0, m = 0, s = 0;
        if (std::sscanf(w[2].c_str(), "%d:%d:%d", &h, &m, &s) != 3) return refuse("% Invalid input detected");
        before_pending_ = std::exchange(running_, std::move(sessions_[session_]));
        sessions_.erase(session_);
        pending_ = std::exchange(session_, {});
        mode_ = Mode::exec;
        return ok();
    }
    if (w == Words{"commit"}) {
        running_ = std::move(sessions_[session_]);
        sessions_.erase(session_);
        session_.clear();
        mode_ = Mode::exec;
        return ok();
    }
    if (w == Words{"abort"}) {
        sessions_.erase(session_);
        session_.clear();
        mode_ = Mode::exec;
        return ok();
    }
    return not_here();
}

Outcome IosStyleDevice::global(const Words& w) {
    if (w == Words{"end"} || w == Words{"exit"}) {
        mode_ = Mode::exec;
        session_.clear();  // an EOS session stays staged, uncommitted
        return ok();
    }
    if (!session_.empty())
        if (auto o = session_command(w); o.kind != Outcome::unknown) return o;
    if (w.size() == 2 && w[0] == "vlan") {
        auto ids = parse_vlan_ids(w[1]);
        if (!ids || ids->empty()) return refuse("% Invalid VLAN id " + w[1]);
        selected_.clear();
        for (int id : *ids) selected_.push_back(config()[ensure_block(fmt::format("vlan {}", id), "vlan")].head());
        mode_ = Mode::vlan;
        return ok();
    }
    if (w.size() == 3 && w[0] == "no" && w[1] == "vlan") {
        if (auto at = find_block("vlan " + w[2])) remove_block(*at);
        return ok();
    }
    if (w.size() >= 2 && w[0] == "interface") return enter_interfaces(w);
    if (w.size() >= 3 && w[0] == "no" && w[1] == "interface") {
        auto names = interface_names_of(d_.platform, Words(w.begin() + 1, w.end()));
        if (names.size() != 1) return refuse("% Invalid input detected");
        if (auto at = find_interface(names[0])) remove_block(*at);
        return ok();
    }
    bool no = !w.empty() && w[0] == "no";
    Words acl(w.begin() + (no ? 1 : 0), w.end());
    bool acl_form = d_.eos ? (acl.size() == 3 && starts(acl, {"ip", "access-list"}) && acl[2] != "extended")
                           : (acl.size() == 4 && starts(acl, {"ip", "access-list", "extended"}));
    if (!acl_form) return not_here();
    auto head = join(acl, 0);
    if (no) {
        if (auto at = find_block(head)) remove_block(*at);
        return ok();
    }
    selected_ = {config()[ensure_block(head, "ip access-list")].head()};
    mode_ = Mode::acl;
    return ok();
}

Outcome IosStyleDevice::enter_interfaces(const Words& w) {
    auto names = interface_names_of(d_.platform, w);
    if (names.empty()) return refuse("% Invalid interface " + join(w, 1));
    selected_.clear();
    for (const auto& n : names) {
        auto at = find_interface(n);
        std::size_t index = at ? *at : ensure_block("interface " + n, "interface");
        selected_.push_back(config()[index].head());
    }
    mode_ = Mode::interface;
    return ok();
}

Outcome IosStyleDevice::interface_command(const Words& w) {
    for (const auto& head : selected_) {
        auto at = find_block(head);
        if (!at) return refuse("% Interface removed");
        auto o = interface_setting(config()[*at], w);
        if (o.kind != Outcome::done) return o;
    }
    return ok();
}

Outcome IosStyleDevice::interface_setting(IosTextBlock& b, const Words& w) {
    std::string line = fmt::format("{}{}", d_.indent, join(w, 0));
    bool no = w[0] == "no";
    Words rest(w.begin() + (no ? 1 : 0), w.end());
    if (rest.empty()) return not_here();
    if (starts(rest, {"switchport", "trunk", "allowed", "vlan"})) return trunk_allowed(b, w);
    if (starts(rest, {"ip", "address"})) return ip_address(b, w);
    if (starts(rest, {"ip", "access-group"})) {
        if (rest.size() < 3 || (rest.back() != "in" && rest.back() != "out")) return refuse("% Incomplete command");
        // One ACL per direction: the new binding replaces the old one, where it stood.
        std::optional<std::size_t> at;
        for (std::size_t i = 1; i < b.lines.size(); ++i) {
            auto lw = ios_words(b.lines[i]);
            if (lw.size() == 4 && starts(lw, {"ip", "access-group"}) && lw[3] == rest.back()) at = i;
        }
        if (at && no) b.lines.erase(b.lines.begin() + static_cast<std::ptrdiff_t>(*at));
        else if (at) b.lines[*at] = line;
        else if (!no) b.lines.push_back(line);
        return ok();
    }
    static const std::vector<Words> single = {
        {"description"}, {"switchport", "mode"}, {"switchport", "access", "vlan"}, {"switchport", "trunk", "native", "vlan"},
        {"shutdown"}, {"switchport", "protected"}, {"switchport"}};
    for (const auto& prefix : single) {
        if (rest.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), rest.begin()))
            continue;
        if (prefix == Words{"switchport", "protected"} && d_.eos) return not_here();
        if (prefix == Words{"switchport"} && rest.size() > 1) return not_here();
        if (prefix == Words{"switchport", "access", "vlan"} && !no && (rest.size() != 4 || !parse_vlan_ids(rest[3])))
            return refuse("% Invalid VLAN id");
        if (no) remove_children(b, prefix);
        else if (prefix != Words{"switchport"}) set_single(b, prefix, line);
        return ok();
    }
    return not_here();
}

Outcome IosStyleDevice::trunk_allowed(IosTextBlock& b, const Words& w) {
    Words prefix{"switchport", "trunk", "allowed", "vlan"};
    if (w[0] == "no") {
        remove_children(b, prefix);  // back to every VLAN
        return ok();
    }
    std::vector<int> now;
    bool listed = false;
    for (std::size_t i = 1; i < b.lines.size(); ++i) {
        auto lw = ios_words(b.lines[i]);
        if (!starts(lw, {"switchport", "trunk", "allowed", "vlan"}) || lw.size() < 5) continue;
        listed = true;
        bool add = lw[4] == "add" && lw.size() == 6;
        auto ids = parse_vlan_ids(add ? lw[5] : lw[4]);
        if (!ids) continue;
        if (!add) now.clear();
        now.insert(now.end(), ids->begin(), ids->end());
    }
    if (!listed) now = *parse_vlan_ids("all");
    std::sort(now.begin(), now.end());
    now.erase(std::unique(now.begin(), now.end()), now.end());
    if (w.size() < 5) return refuse("% Incomplete command");
    bool verb = w[4] == "add" || w[4] == "remove" || w[4] == "except";
    auto ids = parse_vlan_ids(verb ? (w.size() == 6 ? w[5] : "") : w[4]);
    if (!ids || (verb && w.size() != 6) || (!verb && w.size() != 5)) return refuse("% Invalid VLAN list");
    std::vector<int> next;
    if (w[4] == "add") std::set_union(now.begin(), now.end(), ids->begin(), ids->end(), std::back_inserter(next));
    else if (w[4] == "remove") std::set_difference(now.begin(), now.end(), ids->begin(), ids->end(), std::back_inserter(next));
    else if (w[4] == "except") std::set_difference(parse_vlan_ids("all")->begin(), parse_vlan_ids("all")->end(), ids->begin(), ids->end(), std::back_inserter(next));
    else next = *ids;
    if (next == *parse_vlan_ids("all")) {
        remove_children(b, prefix);
        return ok();
    }
    set_single(b, prefix, fmt::format("{}switchport trunk allowed vlan {}", d_.indent, next.empty() ? "none" : vlan_list(next)));
    return ok();
}

std::optional<std::pair<IpAddress, Cidr>> read_address(const Words& w, std::size_t at, bool prefix_notation) {
    if (prefix_notation) {
        if (at >= w.size()) return std::nullopt;
        IpAddress host;
        auto c = Cidr::parse_interface(w[at], &host);
        if (!c || w[at].find('/') == std::string::npos) return std::nullopt;
        return std::pair{host, *c};
    }
    if (at + 1 >= w.size()) return std::nullopt;
    auto a = IpAddress::parse(w[at]);
    auto m = IpAddress::parse(w[at + 1]);
    if (!a || !m) return std::nullopt;
    bool contiguous = true;
    auto c = Cidr::from_mask(*a, *m, &contiguous);
    if (!contiguous) return std::nullopt;
    return std::pair{*a, c};
}

Outcome IosStyleDevice::ip_address(IosTextBlock& b, const Words& w) {
    bool no = w[0] == "no";
    Words rest(w.begin() + (no ? 1 : 0), w.end());
    auto is_address = [](const Words& lw) { return starts(lw, {"ip", "address"}) && lw.size() > 2 && lw[2] != "virtual"; };
    if (no && rest.size() == 2) {  // every address of the interface
        std::erase_if(b.lines, [&, first = true](const std::string& l) mutable { return !std::exchange(first, false) && is_address(ios_words(l)); });
        return ok();
    }
    if (rest.size() > 2 && rest[2] == "virtual") return not_here();
    auto addr = read_address(rest, 2, d_.eos);
    if (!addr) return refuse("% Invalid address");
    bool secondary = rest.back() == "secondary";
    std::string line = fmt::format("{}{}", d_.indent, join(rest, 0));
    if (no) {
        std::erase_if(b.lines, [&](const std::string& l) { return &l != &b.lines.front() && same_words(l, rest); });
        return ok();
    }
    if (!d_.eos)
        if (auto other = overlapping(b.head(), addr->second); !other.empty())
            return refuse(fmt::format("% {} overlaps with {}", addr->second.network.str(), other));
    if (secondary) {
        if (std::none_of(b.lines.begin() + 1, b.lines.end(), [&](const std::string& l) { return same_words(l, rest); }))
            b.lines.push_back(line);
        return ok();
    }
    for (std::size_t i = 1; i < b.lines.size(); ++i) {
        auto lw = ios_words(b.lines[i]);
        if (is_address(lw) && lw.back() != "secondary") return b.lines[i] = line, ok();
    }
    b.lines.push_back(line);
    return ok();
}

// The interface (other than `self`) whose address subnet overlaps `subnet`, outside any VRF.
std::string IosStyleDevice::overlapping(const std::string& self, const Cidr& subnet) {
    for (const auto& b : config()) {
        auto hw = ios_words(b.head());
        if (b.head() == self || hw.size() != 2 || hw[0] != "interface") continue;
        bool vrf = false;
        std::string hit;
        for (std::size_t i = 1; i < b.lines.size(); ++i) {
            auto lw = ios_words(b.lines[i]);
            if (!lw.empty() && (lw[0] == "vrf" || starts(lw, {"ip", "vrf"}))) vrf = true;
            auto addr = starts(lw, {"ip", "address"}) ? read_address(lw, 2, d_.eos) : std::nullopt;
            if (addr && addr->second.overlaps(subnet)) hit = hw[1];
        }
        if (!vrf && !hit.empty()) return hit;
    }
    return {};
}

Outcome IosStyleDevice::vlan_command(const Words& w) {
    if (!(w[0] == "name" && w.size() == 2) && w != Words{"no", "name"}) return not_here();
    for (const auto& head : selected_)
        if (auto at = find_block(head)) {
            auto& b = config()[*at];
            if (w[0] == "no") remove_children(b, {"name"});
            else set_single(b, {"name"}, fmt::format("{}name {}", d_.indent, w[1]));
        }
    return ok();
}

Outcome IosStyleDevice::acl_command(const Words& w) {
    auto at = selected_.empty() ? std::nullopt : find_block(selected_.front());
    if (!at) return refuse("% ACL removed");
    return acl_entry(config()[*at], w);
}

Outcome IosStyleDevice::acl_entry(IosTextBlock& b, const Words& w) {
    if (d_.eos && (w == Words{"counters", "per-entry"} || w == Words{"statistics", "per-entry"})) {
        set_single(b, {w[0]}, fmt::format("{}{} per-entry", d_.indent, w[0]));
        return ok();
    }
    auto entry_of = [](const std::string& l) {
        auto lw = ios_words(l);
        auto seq = lw.empty() ? std::nullopt : sequence_of(lw[0]);
        return std::pair{seq, seq ? join(lw, 1) : join(lw, 0)};
    };
    bool no = w[0] == "no";
    Words rest(w.begin() + (no ? 1 : 0), w.end());
    auto seq = rest.empty() ? std::nullopt : sequence_of(rest[0]);
    std::string text = join(rest, seq ? 1 : 0);
    Words body = ios_words(text);
    if (no) {
        std::erase_if(b.lines, [&, first = true](const std::string& l) mutable {
            if (std::exchange(first, false)) return false;
            auto [s, t] = entry_of(l);
            return (seq && s == seq && body.empty()) || (!seq && t == text);
        });
        return ok();
    }
    if (body.empty() || (body[0] != "permit" && body[0] != "deny" && body[0] != "remark")) return not_here();
    unsigned last = 0;
    std::size_t insert_at = b.lines.size();
    for (std::size_t i = 1; i < b.lines.size(); ++i) {
        auto [s, t] = entry_of(b.lines[i]);
        if (!d_.eos && t == text && body[0] != "remark") return ok();  // IOS ignores a duplicate entry
        if (s && seq && *s == *seq) return refuse("% Duplicate sequence number");
        if (s && seq && *s > *seq && insert_at == b.lines.size()) insert_at = i;
        if (s) last = std::max(last, *s);
    }
    unsigned number = seq ? *seq : last + 10;
    b.lines.insert(b.lines.begin() + static_cast<std::ptrdiff_t>(insert_at), fmt::format("{}{} {}", d_.indent, number, text));
    return ok();
}

const IosStyleDevice::BlockIndex& IosStyleDevice::index() {
    const auto& blocks = config();
    if (index_.of == &blocks && index_.generation == generation_) return index_;
    index_ = BlockIndex{&blocks, generation_, {}, {}};
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        auto w = ios_words(blocks[i].head());
        index_.by_head.emplace(join(w, 0), i);
        if (w.size() < 2 || w[0] != "interface") continue;
        auto names = interface_names_of(d_.platform, w);
        if (names.size() == 1) index_.by_interface.emplace(names[0], i);
    }
    return index_;
}

std::optional<std::size_t> IosStyleDevice::find_block(const std::string& head) {
    const auto& by_head = index().by_head;
    auto it = by_head.find(join(ios_words(head), 0));
    return it == by_head.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

std::optional<std::size_t> IosStyleDevice::find_interface(const std::string& canonical_name) {
    const auto& by_interface = index().by_interface;
    auto it = by_interface.find(canonical_name);
    return it == by_interface.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

// Where `show running-config` prints a new block: after the last of its kind (VLANs in id
// order), else before the first interface (VLANs) or the final `end`.
std::size_t IosStyleDevice::ensure_block(const std::string& head, std::string_view kind) {
    if (auto at = find_block(head)) return *at;
    auto& blocks = config();
    auto vlan_id = [](const IosTextBlock& b) {
        auto w = ios_words(b.head());
        return w.size() == 2 && w[0] == "vlan" ? sequence_of(w[1]) : std::nullopt;
    };
    std::optional<std::size_t> after;
    std::size_t before = blocks.size();
    auto new_id = vlan_id(IosTextBlock{{head}});
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        auto w = ios_words(blocks[i].head());
        bool same_kind = kind == "vlan" ? vlan_id(blocks[i]).has_value() : blocks[i].head().starts_with(kind);
        if (same_kind && kind == "vlan" && vlan_id(blocks[i]) > new_id) {
            before = i;
            after.reset();
            break;
        }
        if (same_kind) after = i;
        if (w == Words{"end"} && before == blocks.size()) before = i;
        if (kind == "vlan" && !w.empty() && w[0] == "interface" && before == blocks.size()) before = i;
    }
    std::size_t at = before;
    if (after) at = *after + 1 + (*after + 1 < blocks.size() && blocks[*after + 1].head() == "!" ? 1 : 0);
    blocks.insert(blocks.begin() + static_cast<std::ptrdiff_t>(at), {IosTextBlock{{head}}, IosTextBlock{{"!"}}});
    ++generation_;
    return at;
}

void IosStyleDevice::remove_block(std::size_t at) {
    auto& blocks = config();
    bool separator_after = at + 1 < blocks.size() && blocks[at + 1].head() == "!";
    bool separator_before = at > 0 && blocks[at - 1].head() == "!";
    auto end = at + 1 + (separator_after && separator_before ? 1 : 0);
    blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(at), blocks.begin() + static_cast<std::ptrdiff_t>(end));
    ++generation_;
}

}  // namespace

std::unique_ptr<SimulatedDevice> simulated_cisco_ios(std::string_view running_text) {
    return std::make_unique<IosStyleDevice>(DeviceDialect{PlatformId::cisco_ios, false, " "}, running_text);
}

std::unique_ptr<SimulatedDevice> simulated_arista_eos(std::string_view running_text) {
    return std::make_unique<IosStyleDevice>(DeviceDialect{PlatformId::arista_eos, true, "   "}, running_text);
}

}  // namespace microseg
