// The IOS-style change writer (emitters/ios_style_change.hpp): what the two platforms share is
// what to change (compared semantically with the running config: ACLs as packet sets,
// interfaces through their canonical names); the order and the wrapping differ.
//
// What the order rests on (vendor documents):
// - Cisco "Security Configuration Guide, Cisco IOS XE 17.x", "IP Access Lists": entries typed
//   without a sequence number are added at the end of a named ACL (so after its old
//   `deny ip any any`); "an ACL that is applied to an interface but not defined permits all
//   traffic"; `ip access-group NAME in` on an interface replaces the ACL bound in that direction.
// - Cisco "Interface and Hardware Components Configuration Guide", VLAN trunks: `switchport trunk
//   allowed vlan LIST` replaces the list, `add`/`remove` change it.
// - Arista "EOS User Manual", "Configuration sessions": `configure session NAME` collects
//   commands without touching the running config; `commit timer hh:mm:ss` makes them running
//   and rolls back unless `configure session NAME commit` confirms before the timer ends.
//   "Access Control Lists": each entry has a sequence number; an existing number is refused.
#include "emitters/ios_style_change.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "model/acl_diff.hpp"
#include "model/interface_name.hpp"
#include "model/interface_range.hpp"
#include "model/isolation_acl.hpp"
#include "model/naming.hpp"

namespace microseg {

// ---- the block structure of IOS-XE and EOS running configs ----

namespace {


std::string_view without_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

bool indented(std::string_view line) { return !line.empty() && (line[0] == ' ' || line[0] == '\t'); }

// "banner motd ^C": the banner's text runs to the next "^C", each line at column 0; the lines
// are one block so that nothing in them is read as a command.
std::string banner_delimiter(std::string_view head) {
    auto w = ios_words(head);
    if (w.size() < 3 || w[0] != "banner") return {};
    return w[2].substr(0, std::min<std::size_t>(2, w[2].size()));
}

}  // namespace

std::vector<std::string> ios_words(std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) out.emplace_back(line.substr(start, i - start));
    }
    return out;
}

std::vector<IosTextBlock> split_ios_text_blocks(std::string_view text) {
    std::vector<IosTextBlock> blocks;
    std::string banner_end;
    bool banner_open = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto eol = text.find('\n', pos);
        auto line = without_cr(text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos));
        pos = eol == std::string_view::npos ? text.size() : eol + 1;
        if (banner_open) {
            blocks.back().lines.emplace_back(line);
            banner_open = line.find(banner_end) == std::string_view::npos;
            continue;
        }
        if (indented(line) && !blocks.empty()) {
            blocks.back().lines.emplace_back(line);
            continue;
        }
        blocks.push_back(IosTextBlock{{std::string(line)}});
        banner_end = banner_delimiter(line);
        // The delimiter's second occurrence on the head line closes a one-line banner.
        banner_open = !banner_end.empty() && line.find(banner_end, line.find(banner_end) + 1) == std::string_view::npos;
    }
    return blocks;
}

std::optional<std::vector<int>> parse_vlan_ids(std::string_view list) {
    std::vector<int> out;
    if (list == "none") return out;
    if (list == "all") list = "1-4094";
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto comma = list.find(',', pos);
        auto item = list.substr(pos, comma == std::string_view::npos ? list.npos : comma - pos);
        auto dash = item.find('-');
        int a = 0, b = 0;
        auto first = item.substr(0, dash);
        auto last = dash == std::string_view::npos ? first : item.substr(dash + 1);
        auto ra = std::from_chars(first.data(), first.data() + first.size(), a);
        auto rb = std::from_chars(last.data(), last.data() + last.size(), b);
        if (ra.ec != std::errc{} || rb.ec != std::errc{} || ra.ptr != first.data() + first.size() ||
            rb.ptr != last.data() + last.size() || a < 1 || b > 4094 || a > b)
            return std::nullopt;
        for (int v = a; v <= b; ++v) out.push_back(v);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> interface_names_of(PlatformId platform, const std::vector<std::string>& words) {
    std::size_t first = words.size() > 1 && words[1] == "range" ? 2 : 1;
    std::string joined;  // "Gi1/0/1 - 36" and "Gi1/0/1-36" name the same ports
    for (std::size_t i = first; i < words.size(); ++i) joined += words[i];
    if (joined.empty()) return {};
    auto names = expand_interface_range(joined);
    if (!names) return {};
    std::vector<std::string> out;
    for (const auto& n : *names) out.push_back(canonical_interface(platform, n));
    return out;
}


// ---- the writer ----

SwitchIntent ios_style_device_names(const SwitchIntent& intent) {
    SwitchIntent out = intent;
    for (auto& v : out.vlans)
        if (!v.name.empty()) v.name = platform_vlan_name(out.platform, v.id, v.name);
    for (auto& s : out.svis)
        if (!s.acl.name.empty()) s.acl.name = ios_acl_name(s.acl.name);
    for (auto& a : out.isolation_acls) a.name = ios_acl_name(a.name);
    return out;
}

namespace ios_change {


bool starts_with_word(const std::vector<std::string>& words, std::initializer_list<std::string_view> prefix) {
    if (words.size() < prefix.size()) return false;
    std::size_t i = 0;
    for (auto p : prefix)
        if (words[i++] != p) return false;
    return true;
}

Writer::Writer(const ChangeRequest& r, const IosChangeDialect& d)
    : r_(r), d_(d), platform_(r.target.platform), blocks_(split_ios_text_blocks(r.current_text)) {
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        auto w = ios_words(blocks_[i].head());
        if (w.empty() || w[0] != "interface") continue;
        for (auto& name : interface_names_of(platform_, w)) interfaces_[name] = i;
    }
    if (r.rollback)
        for (const auto& b : split_ios_text_blocks(r.target_text)) {
            auto w = ios_words(b.head());
            if (!w.empty() && w[0] == "interface")
                for (auto& name : interface_names_of(platform_, w)) original_[name] = b;
        }
    for (const auto& p : r.current.as_built.access_ports) live_ports_[canonical(p.interface)] = &p;
    for (const auto& s : r.current.as_built.svis) known_[s.acl.name] = &s.acl.entries;
    for (const auto& a : r.current.as_built.isolation_acls) known_[a.name] = &a.entries;
    for (const auto& a : r.current.port_acls) known_[a.name] = &a.entries;
    for (auto it = known_.begin(); it != known_.end();) {
        auto parsed = r.current.acls.find(it->first);
        bool usable = !it->first.empty() && parsed != r.current.acls.end() && parsed->second.fully_understood;
        it = usable ? std::next(it) : known_.erase(it);
    }
}

std::string Writer::canonical(std::string_view name) const { return canonical_interface(platform_, name); }

const IosTextBlock* Writer::block_of(const std::string& canonical_name) const {
    auto it = interfaces_.find(canonical_name);
    return it == interfaces_.end() ? nullptr : &blocks_[it->second];
}

const IosTextBlock* Writer::original_block(const std::string& canonical_name) const {
    auto it = original_.find(canonical_name);
    return it == original_.end() ? nullptr : &it->second;
}

// The first child line of `block` whose words start with `prefix`, as words.
std::optional<std::vector<std::string>> child_line(const IosTextBlock* block, std::initializer_list<std::string_view> prefix) {
    if (!block) return std::nullopt;
    for (std::size_t i = 1; i < block->lines.size(); ++i) {
        auto w = ios_words(block->lines[i]);
        if (starts_with_word(w, prefix)) return w;
    }
    return std::nullopt;
}

std::string Writer::inbound_acl(const std::string& canonical_name) const {
    const auto* block = block_of(canonical_name);
    if (!block) return {};
    std::string found;
    for (std::size_t i = 1; i < block->lines.size(); ++i) {
        auto w = ios_words(block->lines[i]);
        if (w.size() == 4 && w[0] == "ip" && w[1] == "access-group" && w[3] == "in") found = w[2];
    }
    return found;
}

bool Writer::equivalent(const std::string& live_name, const std::vector<AclEntry>& entries) const {
    auto it = known_.find(live_name);
    return it != known_.end() && compare_acls(entries, *it->second).equivalent();
}

bool Writer::defined(const std::string& name) const { return r_.current.acls.count(name) > 0; }

// Every line of the running config that names `acl`, outside its own definition.
std::vector<Writer::Reference> Writer::references(const std::string& acl) const {
    std::vector<Reference> out;
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
        auto head = ios_words(blocks_[b].head());
        if (starts_with_word(head, {"ip", "access-list"}) && head.back() == acl) continue;
        for (std::size_t l = 0; l < blocks_[b].lines.size(); ++l) {
            auto w = ios_words(blocks_[b].lines[l]);
            if (std::find(w.begin(), w.end(), acl) != w.end()) out.push_back({b, l});
        }
    }
    return out;
}

bool Writer::referenced(const std::string& acl) const { return !references(acl).empty(); }

// The isolation ACL a port of the target carries: the class's, or for a previous config
// (ports without classes) the one its original block bound, or the only one there is.
std::string Writer::isolation_acl_of(const AccessPortIntent& port) const {
    if (!port.device_class.empty()) return ios_acl_name(isolation_acl_name(port.device_class));
    if (const auto* block = original_block(canonical(port.interface)))
        for (std::size_t i = 1; i < block->lines.size(); ++i)
            if (auto w = ios_words(block->lines[i]); w.size() == 4 && starts_with_word(w, {"ip", "access-group"}) && w[3] == "in")
                return w[2];
    if (r_.target.isolation_acls.size() == 1) return r_.target.isolation_acls.front().name;
    return {};
}

// Binding sites: where the target wants each ACL, by canonical interface name.
std::map<std::string, std::vector<std::string>> Writer::sites() const {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& s : r_.target.svis)
        if (!s.acl.name.empty()) out[s.acl.name].push_back(canonical(fmt::format("Vlan{}", s.vlan)));
    for (const auto& p : r_.target.access_ports)
        if (p.isolated)
            if (auto acl = isolation_acl_of(p); !acl.empty()) out[acl].push_back(canonical(p.interface));
    return out;
}

std::vector<const Acl*> Writer::target_acls() const {
    std::vector<const Acl*> out;
    std::set<std::string> seen;
    for (const auto& a : r_.target.isolation_acls)
        if (seen.insert(a.name).second) out.push_back(&a);
    for (const auto& s : r_.target.svis)
        if (!s.acl.name.empty() && seen.insert(s.acl.name).second) out.push_back(&s.acl);
    return out;
}

// A name under which the new entries can be defined on IOS: never one the running config
// references (defining it would change what that reference does at once); the plain name when
// free, else a version suffix from the entries, within IOS's 64 characters.
std::string Writer::fresh_name(const Acl& acl) const {
    if (!referenced(acl.name)) return acl.name;
    std::uint64_t h = kFnvOffset;
    for (const auto& e : acl.entries) h = fnv1a(h, ios_entry(e, d_.syntax) + "\n");
    std::string base = acl.name.substr(0, ios_acl_rules().max_length - 6);
    for (std::uint64_t salt = 0;; ++salt) {
        auto name = fmt::format("{}_V{:04X}", base, static_cast<unsigned>((h + salt * 7919) & 0xFFFF));
        if (!referenced(name) && !planned_names_.count(name)) return name;
    }
}

std::vector<std::string> Writer::definition(const std::string& name, const std::vector<AclEntry>& entries) const {
    std::vector<std::string> out{fmt::format("{} {}", d_.syntax.acl_command, name)};
    int seq = 10;
    std::string last_remark;
    auto line = [&](const std::string& body) {
        out.push_back(d_.syntax.sequence_numbers ? fmt::format("{}{} {}", d_.syntax.indent, seq, body)
                                                 : fmt::format("{}{}", d_.syntax.indent, body));
        seq += 10;
    };
    for (const auto& e : entries) {
        if (!e.remark.empty() && e.remark != last_remark) line("remark " + safe_comment(e.remark));
        last_remark = e.remark;
        line(ios_entry(e, d_.syntax));
    }
    out.push_back("exit");
    return out;
}

// Decides, for every ACL of the target, under which name its entries are bound at each site,
// and which definitions the plan types.
void Writer::plan_acls() {
    auto all_sites = sites();
    for (const Acl* acl : target_acls()) {
        if (!acl->name.starts_with("MS_")) continue;  // a previous config's own ACLs are not microseg's
        const auto& at = all_sites[acl->name];
        std::vector<std::string> unsatisfied;
        for (const auto& site : at)
            if (!equivalent(inbound_acl(site), acl->entries)) unsatisfied.push_back(site);
        if (unsatisfied.empty()) continue;
        std::string name;
        for (const auto& [live, entries] : known_)  // an equivalent definition already there
            if ((live == acl->name || live.starts_with(acl->name + "_V")) && equivalent(live, acl->entries)) name = live;
        if (name.empty()) {
            name = d_.eos ? acl->name : fresh_name(*acl);
            planned_names_.insert(name);
            Definition def{name, definition(name, acl->entries), defined(name)};
            definitions_.push_back(std::move(def));
        }
        for (const auto& site : unsatisfied)  // EOS replaces an ACL in place: its bindings stay
            if (inbound_acl(site) != name) rebind_[site] = name;
    }
}

std::string Writer::bound_after(const std::string& site) const {
    auto it = rebind_.find(site);
    return it != rebind_.end() ? it->second : inbound_acl(site);
}

ChangeForm Writer::run() {
    plan_acls();
    plan_unbinds();
    vlan_step();
    definition_steps();
    svi_steps();
    trunk_steps(/*adding=*/true);
    access_port_steps();
    trunk_steps(/*adding=*/false);
    svi_removal_steps();
    acl_deletion_step();
    vlan_removal_step();
    return finish();
}

ChangeForm Writer::finish() {
    ChangeForm form;
    std::erase_if(steps_, [](const ChangeStep& s) { return s.commands.empty(); });
    if (steps_.empty()) return form;
    if (!d_.eos) {
        steps_.front().commands.insert(steps_.front().commands.begin(), "configure terminal");
        steps_.back().commands.push_back("end");
        form.steps = std::move(steps_);
        form.notes.push_back("IOS applies each command as it is typed: every step is a state of the switch, "
                             "in an order where no ACL is bound before it is defined.");
        for (const auto& n : notes_) form.notes.push_back(n);
        return form;
    }
    std::uint64_t h = kFnvOffset;
    ChangeStep session{"stage every change in a configuration session (nothing runs yet)", {}};
    for (const auto& s : steps_)
        for (const auto& c : s.commands) h = fnv1a(h, c + "\n"), session.commands.push_back(c);
    auto name = fmt::format("microseg-{:06x}", static_cast<unsigned>(h & 0xFFFFFF));
    session.commands.insert(session.commands.begin(), "configure session " + name);
    form.steps.push_back(std::move(session));
    form.steps.push_back({"commit the session with a 10-minute timer: the changes run from here", {"commit timer 00:10:00"}});
    form.steps.push_back({"confirm the session", {fmt::format("configure session {} commit", name)}});
    form.notes.push_back(fmt::format("The session {} rolls back by itself if it is not confirmed within 10 minutes "
                                     "of `commit timer`: type the last step only once the switch is reachable "
                                     "and its flows work.", name));
    for (const auto& n : notes_) form.notes.push_back(n);
    return form;
}

}  // namespace ios_change

ChangeForm write_ios_style_change(const ChangeRequest& request, const IosChangeDialect& dialect) {
    return ios_change::Writer(request, dialect).run();
}

}  // namespace microseg
