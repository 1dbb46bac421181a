// A simulated Junos switch: the running configuration and a candidate, as a tree of statements
// in the order they were first set, with Junos's merge semantics.
//
// What it applies, and where it comes from:
// - `set` adds to the candidate and never replaces what a statement does not hold one value
//   of: every `from` match condition of a firewall term is a list, so `from protocol tcp` after
//   `from protocol udp` matches both (Juniper, "Firewall Filter Match Conditions for IPv4
//   Traffic"; `load set` / `load merge`, CLI User Guide "Load Configuration from a File or the
//   Terminal"). That is the widening trap of PITFALLS.md.
// - Leaves holding one value replace it (`vlan-id`, `interface-mode`/`port-mode`,
//   `description`, `filter input`, `l3-interface`, `member-range ... to`): kSingleValue.
// - A term has one terminating action (Juniper, "Firewall Filter Terminating Actions": `then {
//   action; action-modifiers; }`): setting `then discard` replaces `then accept` and the other
//   way round; modifiers (`syslog`, `count X`) stay beside it.
// - `delete P` removes P and everything under it; a path that is not there gives the warning
//   "statement not found" and typing goes on. Containers left empty by a delete go too (what
//   `show configuration` shows after it).
// - Nothing typed is running until `commit` or `commit confirmed N` (CLI User Guide, "Commit
//   the Configuration"); `commit check` validates only. A commit that would leave a filter,
//   VLAN or irb unit referenced but undefined, an access port in two VLANs (a range's and its
//   own: Junos merges both) or one address on two units fails ("configuration check-out
//   failed"), as Junos's commit check does (the first line of those messages is microseg's
//   wording); problems the running config already had are not held against it. `rollback` is
//   refused: not simulated.
// - running_config() prints `show configuration | display set`: one `set` line per leaf, words
//   with blanks quoted. Inactive statements of the text it started from are not kept (the
//   reader drops them).
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "audit/parse/junos/statements.hpp"
#include "emitters/junos_names.hpp"
#include "plan/device.hpp"

namespace microseg {
namespace {

using Words = std::vector<std::string>;

struct Node {
    std::string word;
    std::vector<Node> children;  // in the order first set
};

// Keys whose leaf holds one value: setting another replaces it.
const std::set<std::string_view> kSingleValue = {
    "vlan-id", "l3-interface", "description", "interface-mode", "port-mode", "input", "output",
    "host-name", "version", "count", "native-vlan-id", "to", "mtu", "speed", "location"};
const std::set<std::string_view> kTerminatingActions = {"accept", "discard", "reject"};

Node* child(Node& n, std::string_view word) {
    // A config's statements come grouped: the last child is the likely one, and a search of
    // every sibling per statement was quadratic in the interfaces of a switch.
    if (!n.children.empty() && n.children.back().word == word) return &n.children.back();
    auto it = std::find_if(n.children.begin(), n.children.end(), [&](const Node& c) { return c.word == word; });
    return it == n.children.end() ? nullptr : &*it;
}

Node& child_or_new(Node& n, const std::string& word) {
    if (Node* c = child(n, word)) return *c;
    return n.children.emplace_back(Node{word, {}});
}

void erase_children(Node& n, const std::set<std::string_view>& words) {
    std::erase_if(n.children, [&](const Node& c) { return words.count(c.word) > 0; });
}

// `set` with Junos merge semantics (the header).
void set_statement(Node& root, const Words& w) {
    Node* n = &root;
    std::size_t last = w.size() - 1;
    for (std::size_t i = 0; i < w.size(); ++i) {
        bool is_leaf = i == last;
        if (is_leaf && i >= 1 && kSingleValue.count(w[i - 1])) n->children.clear();
        if (is_leaf && i >= 1 && w[i - 1] == "then" && kTerminatingActions.count(w[i]))
            erase_children(*n, kTerminatingActions);
        if (i >= 1 && i + 1 == last && w[0] == "vlans" && (w[i] == "vlan-id" || w[i] == "vlan-id-list"))
            erase_children(*n, {w[i] == "vlan-id" ? "vlan-id-list" : "vlan-id"});
        n = &child_or_new(*n, w[i]);
    }
}

// `delete`: false when the path is not there.
bool delete_statement(Node& root, const Words& w) {
    std::vector<Node*> path{&root};
    for (const auto& word : w) {
        Node* c = child(*path.back(), word);
        if (!c) return false;
        path.push_back(c);
    }
    for (std::size_t i = path.size() - 1; i >= 1; --i) {
        auto& siblings = path[i - 1]->children;
        if (i + 1 < path.size() && !path[i]->children.empty()) break;
        siblings.erase(siblings.begin() + (path[i] - siblings.data()));
    }
    return true;
}

void collect(const Node& n, Words& prefix, std::vector<Words>& out) {
    for (const auto& c : n.children) {
        prefix.push_back(c.word);
        if (c.children.empty()) out.push_back(prefix);
        else collect(c, prefix, out);
        prefix.pop_back();
    }
}

std::vector<Words> statements_of(const Node& root) {
    std::vector<Words> out;
    Words prefix;
    collect(root, prefix, out);
    return out;
}

const Node* find(const Node& root, std::initializer_list<std::string_view> path) {
    const Node* n = &root;
    for (auto w : path) {
        auto it = std::find_if(n->children.begin(), n->children.end(), [&](const Node& c) { return c.word == w; });
        if (it == n->children.end()) return nullptr;
        n = &*it;
    }
    return n;
}

bool vlan_id_word(std::string_view w) {
    if (w == "all" || w == "default") return true;
    return !w.empty() && w.find_first_not_of("0123456789-") == std::string_view::npos;
}

// Junos merges an interface-range's statements with a member's own (CLI User Guide,
// "Understanding Interface Ranges"): an access port left with two VLANs, its range's and its
// own, fails the commit check.
void access_port_problems(const std::vector<Words>& statements, std::set<std::string>& problems) {
    struct Switching {
        std::set<std::string> members;
        bool trunk = false;
    };
    std::map<std::string, Switching> ports, ranges;
    std::map<std::string, std::vector<std::string>> range_ports;
    for (const auto& s : statements) {
        if (s.size() < 3 || s[0] != "interfaces") continue;
        bool range = s[1] == "interface-range";
        if (range && s.size() == 5 && s[3] == "member") range_ports[s[2]].push_back(s[4]);
        if (range && s.size() == 7 && s[3] == "member-range") {
            auto names = junos_member_range(s[4], s[6]);
            range_ports[s[2]].insert(range_ports[s[2]].end(), names.begin(), names.end());
        }
        std::size_t at = range ? 3 : 2;
        if (s.size() < at + 5 || s[at] != "unit" || s[at + 2] != "family" || s[at + 3] != "ethernet-switching") continue;
        auto& port = range ? ranges[s[2]] : ports[s[1]];
        std::size_t k = at + 4;
        if ((s[k] == "interface-mode" || s[k] == "port-mode") && s.size() == k + 2) port.trunk = s[k + 1] == "trunk";
        if (s[k] == "vlan" && s.size() == k + 3 && s[k + 1] == "members") port.members.insert(s[k + 2]);
    }
    for (const auto& [range, members] : range_ports) {
        for (const auto& name : members) {
            auto& port = ports[name];
            port.members.insert(ranges[range].members.begin(), ranges[range].members.end());
            port.trunk = port.trunk || ranges[range].trunk;
        }
    }
    // A VLAN named by its name and by its id is one VLAN.
    std::map<std::string, std::string> id_of;
    for (const auto& s : statements)
        if (s.size() == 4 && s[0] == "vlans" && s[2] == "vlan-id") id_of[s[1]] = s[3];
    for (auto& [name, port] : ports) {
        std::set<std::string> ids;
        for (const auto& m : port.members) ids.insert(id_of.count(m) ? id_of[m] : m);
        if (!port.trunk && ids.size() > 1)
            problems.insert(fmt::format("Access interface {}.0 has more than one vlan member: {}", name,
                                        fmt::join(port.members, ", ")));
    }
}

// What Junos's commit check would refuse among the references microseg writes: a filter,
// VLAN or irb unit used but not defined, two VLANs with one id, an access port in two VLANs,
// one address on two interfaces.
std::set<std::string> reference_problems(const Node& root) {
    std::set<std::string> problems;
    std::map<std::string, std::string> vlan_of_id;
    std::map<std::string, std::string> unit_of_address;  // Junos refuses one address on two units
    auto all = statements_of(root);
    access_port_problems(all, problems);
    for (const auto& s : all) {
        if (s.size() >= 8 && s[0] == "interfaces" && s[2] == "unit" && s[4] == "family" && s[6] == "address") {
            auto unit = s[1] + "." + s[3];
            auto [it, fresh] = unit_of_address.emplace(s[7], unit);
            if (!fresh && it->second != unit)
                problems.insert(fmt::format("address {} is configured on {} and {}", s[7], it->second, unit));
        }
        auto n = s.size();
        if (s[0] == "vlans" && n == 4 && s[2] == "vlan-id") {
            auto [it, fresh] = vlan_of_id.emplace(s[3], s[1]);
            if (!fresh && it->second != s[1])
                problems.insert(fmt::format("vlans {} and {} have the same vlan-id {}", it->second, s[1], s[3]));
        }
        if (s[0] == "vlans" && n == 4 && s[2] == "l3-interface") {
            auto dot = s[3].find('.');
            if (dot != std::string::npos && !find(root, {"interfaces", s[3].substr(0, dot), "unit", s[3].substr(dot + 1)}))
                problems.insert(fmt::format("vlans {}: l3-interface {} is not configured", s[1], s[3]));
        }
        if (s[0] != "interfaces" || n < 3) continue;
        if (s[n - 3] == "filter" && (s[n - 2] == "input" || s[n - 2] == "output")) {
            auto family = std::find(s.begin(), s.end(), "family");
            auto fam = family != s.end() && family + 1 != s.end() ? *(family + 1) : std::string("inet");
            bool defined = find(root, {"firewall", "family", fam, "filter", s[n - 1]}) ||
                           (fam == "inet" && find(root, {"firewall", "filter", s[n - 1]}));
            if (!defined) problems.insert(fmt::format("Referenced filter '{}' is not defined", s[n - 1]));
        }
        if (s[n - 3] == "vlan" && s[n - 2] == "members" && !vlan_id_word(s[n - 1]) && !find(root, {"vlans", s[n - 1]}))
            problems.insert(fmt::format("vlan members {}: VLAN '{}' is not defined", s[n - 1], s[n - 1]));
    }
    return problems;
}

enum class Mode { operational, configuration };

class JunosDevice final : public SimulatedDevice {
public:
    explicit JunosDevice(std::string_view text) {
        auto read = junos_statements(text);
        for (const auto& s : read.statements) {
            if (!s.words.empty()) set_statement(running_, Words(s.words.begin(), s.words.end()));
        }
    }

    std::optional<Diagnostic> type(const std::vector<std::string>& commands) override {
        for (std::size_t i = 0; i < commands.size(); ++i) {
            auto error = one(commands[i]);
            // Located by the command's place in what was typed: a step has no file.
            if (error) return make_error(fmt::format("'{}': {}", commands[i], *error), {"", static_cast<int>(i + 1), 1});
        }
        return std::nullopt;
    }

    std::string running_config() const override {
        std::string out;
        for (const auto& s : statements_of(running_)) out += junos_command("set", s) + '\n';
        return out;
    }

private:
    std::optional<std::string> one(std::string_view line);
    std::optional<std::string> configuration(const Words& w, std::string_view line);
    std::optional<std::string> commit(const Words& w);

    Node running_;
    Node candidate_;
    Mode mode_ = Mode::operational;
    bool shared_candidate_ = false;  // plain `configure`: the candidate outlives `exit`
    bool has_shared_ = false;
    bool confirm_pending_ = false;   // `commit confirmed`: Junos rolls back unless confirmed
    // What the device printed and went on after ("statement not found"): the interface has no
    // channel for it, and typing goes on as on the device.
    std::vector<std::string> warnings_;
};

// The words of a command line, quotes and [ lists ] as the configuration reader takes them.
std::vector<Words> command_words(std::string_view line) {
    auto text = "set " + std::string(line);
    auto read = junos_statements(text);
    std::vector<Words> out;
    for (const auto& s : read.statements) out.emplace_back(s.words.begin(), s.words.end());
    return out;
}

std::optional<std::string> JunosDevice::one(std::string_view line) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') return std::nullopt;
    auto all = command_words(line);
    if (all.empty()) return "syntax error.";
    const Words& w = all.front();
    if (mode_ == Mode::configuration) {
        if (w[0] != "set") return configuration(w, line);
        for (auto& s : all) {
            s.erase(s.begin());
            if (s.empty()) return "syntax error.";
            set_statement(candidate_, s);
        }
        return std::nullopt;
    }
    if (w[0] != "configure") return "unknown command.";
    if (w.size() > 2 || (w.size() == 2 && w[1] != "exclusive" && w[1] != "private")) return "syntax error.";
    shared_candidate_ = w.size() == 1;
    if (!shared_candidate_ || !has_shared_) candidate_ = running_;
    has_shared_ = shared_candidate_;
    mode_ = Mode::configuration;
    return std::nullopt;
}

std::optional<std::string> JunosDevice::configuration(const Words& w, std::string_view line) {
    if (w[0] == "delete") {
        if (w.size() == 1) return "syntax error: deleting the whole configuration is not simulated";
        Words path(w.begin() + 1, w.end());
        if (!delete_statement(candidate_, path)) warnings_.push_back(fmt::format("warning: statement not found: {}", line));
        return std::nullopt;
    }
    if (w[0] == "commit") return commit(w);
    if (w[0] == "exit" || w[0] == "quit") {
        if (w.size() > 2 || (w.size() == 2 && w[1] != "configuration-mode")) return "syntax error.";
        // exclusive and private candidates are discarded on leaving; the shared one stays.
        if (!shared_candidate_) candidate_ = running_;
        mode_ = Mode::operational;
        return std::nullopt;
    }
    if (w[0] == "rollback") return "error: rollback is not simulated by microseg";
    return "syntax error.";
}

std::optional<std::string> JunosDevice::commit(const Words& w) {
    bool check = false, quit = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
        if (w[i] == "check" && w.size() == 2) {
            check = true;
        } else if (w[i] == "confirmed") {
            if (i + 1 < w.size() && std::isdigit(static_cast<unsigned char>(w[i + 1][0]))) {
                int minutes = 0;
                auto [p, ec] = std::from_chars(w[i + 1].data(), w[i + 1].data() + w[i + 1].size(), minutes);
                if (ec != std::errc() || p != w[i + 1].data() + w[i + 1].size() || minutes < 1 || minutes > 65535)
                    return "syntax error: commit confirmed takes 1 to 65535 minutes";
                ++i;
            }
            confirm_pending_ = true;
            continue;
        } else if (w[i] == "comment" && i + 1 < w.size()) {
            ++i;
        } else if (w[i] == "and-quit") {
            quit = true;
        } else if (w[i] != "synchronize") {
            return "syntax error.";
        }
    }
    auto before = reference_problems(running_);
    for (const auto& p : reference_problems(candidate_)) {
        if (!before.count(p)) return fmt::format("error: {}\nerror: configuration check-out failed", p);
    }
    if (check) return std::nullopt;
    running_ = candidate_;
    bool confirming = std::find(w.begin(), w.end(), "confirmed") == w.end();
    if (confirming) confirm_pending_ = false;
    if (quit) mode_ = Mode::operational;
    return std::nullopt;
}

}  // namespace

std::unique_ptr<SimulatedDevice> simulated_junos(std::string_view running_text) {
    return std::make_unique<JunosDevice>(running_text);
}

}  // namespace microseg
