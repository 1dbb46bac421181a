#include "emitters/junos_names.hpp"

#include "model/interface_range.hpp"
#include "model/naming.hpp"

namespace microseg {
namespace {

const JunosDialect kEls{"interface-mode", "irb", "ip-source-address", "ip-destination-address", "ip-protocol", false};
const JunosDialect kNonEls{"port-mode", "vlan", "source-address", "destination-address", "protocol", true};

NameRules prefixed(std::string_view prefix) {
    NameRules r = junos_name_rules();
    r.prefix = prefix;
    return r;
}

}  // namespace

const JunosDialect& junos_dialect_of(const Switch& sw) { return sw.junos_style == JunosStyle::non_els ? kNonEls : kEls; }

std::string junos_filter_name(const Acl& acl) { return safe_identifier(acl.name.substr(3), prefixed("ms-in-")); }

std::string junos_isolation_filter_name(const std::string& class_name) {
    return safe_identifier(class_name, prefixed("ms-iso-"));
}

std::vector<std::string> junos_member_range(std::string_view first, std::string_view last) {
    auto cut = first.find_last_not_of("0123456789") + 1;
    if (cut >= first.size() || last.size() <= cut || last.substr(0, cut) != first.substr(0, cut)) return {};
    auto names = expand_interface_range(std::string(first) + "-" + std::string(last.substr(cut)));
    return names ? std::move(*names) : std::vector<std::string>{};
}

std::string junos_quoted(std::string_view word) {
    bool plain = !word.empty() && word.find_first_of(" \t\"\\;{}[]#'") == std::string_view::npos;
    if (plain) return std::string(word);
    std::string out = "\"";
    for (char c : word) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::string junos_command(std::string_view verb, const std::vector<std::string>& words) {
    std::string out(verb);
    for (const auto& w : words) out += ' ' + junos_quoted(w);
    return out;
}

std::vector<std::string> junos_set_words(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.starts_with("set ")) return {};
    std::vector<std::string> words;
    std::string word;
    bool quoted = false, in_word = false;
    for (std::size_t i = 4; i < line.size(); ++i) {
        char c = line[i];
        if (quoted && c == '\\' && i + 1 < line.size()) {
            word += line[++i];
        } else if (c == '"') {
            quoted = !quoted;
            in_word = true;
        } else if (!quoted && (c == ' ' || c == '\t')) {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

}  // namespace microseg
