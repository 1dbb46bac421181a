#include "model/naming.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace microseg {
namespace {

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// FNV-1a: tiny, stable across runs and platforms (std::hash is neither guaranteed).
std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_keyword(const std::string& id, const NameRules& rules) {
    auto l = lower(id);
    return std::any_of(rules.keywords.begin(), rules.keywords.end(),
                       [&](std::string_view k) { return l == k; });
}

}  // namespace

std::string safe_identifier(std::string_view raw, const NameRules& rules) {
    std::string body;
    bool changed = raw.empty();
    for (char c : raw) {
        bool ok = is_ascii_alnum(c) || rules.punctuation.find(c) != std::string_view::npos;
        body += ok ? c : '_';
        changed = changed || !ok;
    }
    if (rules.upper) {
        std::transform(body.begin(), body.end(), body.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }
    std::string id = std::string(rules.prefix) + body;
    if (rules.letter_first && (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0])))) {
        id = "v" + id;
        changed = true;
    }
    changed = changed || id.size() > rules.max_length || is_keyword(id, rules);
    if (!changed) return id;
    // Something was lost or the name is reserved: keep what fits and make it unique again.
    std::string tag = fmt::format("_{:08x}", fnv1a(raw));
    if (rules.upper) std::transform(tag.begin(), tag.end(), tag.begin(), ::toupper);
    id.resize(std::min(id.size(), rules.max_length - tag.size()));
    return id + tag;
}

Result<std::map<std::string, std::string>> safe_identifiers(const std::vector<std::string>& raws,
                                                            const NameRules& rules) {
    std::map<std::string, std::string> out;
    std::map<std::string, std::string> taken;  // identifier -> raw
    for (const auto& raw : raws) {
        auto id = safe_identifier(raw, rules);
        auto [it, fresh] = taken.emplace(id, raw);
        if (!fresh && it->second != raw) {
            return make_error(fmt::format("names '{}' and '{}' map to the same identifier '{}'",
                                          safe_comment(it->second), safe_comment(raw), id), {}, "emit");
        }
        out[raw] = id;
    }
    return out;
}

std::string safe_comment(std::string_view text, std::size_t max_length) {
    std::string out;
    for (char c : text) {
        if (out.size() >= max_length) break;
        bool printable = c >= 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '\\' && c != '`';
        out += printable ? c : '_';
    }
    return out;
}

bool is_safe_interface_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return is_ascii_alnum(c) || c == '/' || c == '-' || c == '.' || c == ':' || c == '_';
    });
}

const NameRules& ios_acl_rules() {
    // IOS named ACLs must not start with a digit (that would be a numbered ACL); the prefix
    // guarantees a letter. Upper case follows the common convention and reads apart from
    // keywords in "ip access-group NAME in".
    static const NameRules r{"MS_IN_", 64, "_-", true, false, {}};
    return r;
}

const NameRules& ios_vlan_rules() {
    // VLAN names are at most 32 characters on IOS and EOS.
    static const NameRules r{"", 32, "_-+.", false, false, {}};
    return r;
}

const NameRules& junos_name_rules() {
    // Junos names start with a letter and hold letters, digits, '-' and '_'.
    static const NameRules r{"", 63, "_-", false, true, {"default", "all", "none"}};
    return r;
}

const NameRules& nft_name_rules() {
    // nft's scanner reads identifiers as [A-Za-z_.][A-Za-z0-9/\-_.]*; keywords are rejected as
    // names even when quoted (PITFALLS.md: `fwd`), so the prefix keeps them off the grammar and
    // the list below catches a bare keyword should a prefix ever be empty.
    static const NameRules r{"from_", 64, "_-", false, true,
                             {"fwd", "ip", "ip6", "inet", "arp", "bridge", "netdev", "table",
                              "chain", "set", "map", "rule", "element", "drop", "accept", "jump",
                              "goto", "return", "continue", "queue", "reject", "counter", "log",
                              "limit", "meta", "ct", "tcp", "udp", "icmp", "type", "hook",
                              "policy", "priority", "filter", "forward", "input", "output",
                              "define", "include", "flags", "elements", "vlan", "ether", "dup"}};
    return r;
}

std::string ios_vlan_name(int, std::string_view intent_name) { return safe_identifier(intent_name, ios_vlan_rules()); }

std::string junos_vlan_name(int vlan_id, std::string_view intent_name) {
    if (intent_name.empty()) return fmt::format("vlan{}", vlan_id);
    return safe_identifier(intent_name, junos_name_rules());
}

std::string verbatim_vlan_name(int, std::string_view intent_name) { return std::string(intent_name); }

std::string platform_vlan_name(PlatformId id, int vlan_id, std::string_view intent_name) {
    return platform(id).vlan_name(vlan_id, intent_name);
}

}  // namespace microseg
