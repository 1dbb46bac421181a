#include "audit/parse/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <regex>
#include <vector>

namespace microseg {
namespace {

// A rule: lines containing `keyword` are matched against `pattern`; capture group 2 (and 4,
// when present) is the secret, everything else is kept.
struct Rule {
    const char* keyword;
    std::regex pattern;
};

std::regex re(const char* p) { return std::regex(p, std::regex::ECMAScript | std::regex::optimize); }

const std::vector<Rule>& ios_rules() {
    static const std::vector<Rule> rules = {
        {"enable", re(R"(^(\s*enable (?:secret|password)(?: level \d+)?(?: \d+| sha512)? )(\S+))")},
        {"username", re(R"(^(\s*username \S+(?: .*?)? (?:secret|password)(?: \d+| sha512)? )(\S+))")},
        {"community", re(R"(^(\s*snmp-server community )(\S+))")},
        // IOS-XE and EOS: snmp-server host ADDR [vrf V] [informs|traps] [version ...] COMMUNITY ...
        {"snmp-server host", re(R"(^(\s*snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c|3 (?:auth|noauth|priv)))? )(\S+))")},
        // IOS-XE "priv aes 256 KEY", EOS "priv aes256 KEY".
        {"snmp-server user", re(R"(^(.* auth (?:md5|sha\S*) )(\S+)( priv (?:3?des\S*|aes(?: (?:128|192|256))?\S*) )(\S+))")},
        {"snmp-server user", re(R"(^(.* auth (?:md5|sha\S*) )(\S+))")},
        {"-server", re(R"(^(\s*(?:tacacs|radius)-server .*?key(?: \d+)? )(\S+))")},
        {"isakmp key", re(R"(^(\s*crypto isakmp key(?: \d+)? )(\S+))")},
        {"pre-shared-key", re(R"(^(.*pre-shared-key(?: local| remote| address \S+(?: \S+)?)?(?: \d+)? )(\S+))")},
        // IOS "ntp authentication-key 1 md5 KEY 7", EOS "ntp authentication-key 1 md5 7 KEY".
        {"authentication-key", re(R"(^(\s*ntp authentication-key \d+ \S+(?: \d(?= \S))? )(\S+))")},
        {"authentication-key", re(R"(^(\s*ip ospf authentication-key(?: \d+)? )(\S+))")},
        {"message-digest-key", re(R"(^(\s*ip ospf message-digest-key \d+ (?:md5|sha\d*)(?: \d+)? )(\S+))")},
        {"key-string", re(R"(^(\s*key-string(?: \d+)? )(\S+))")},
        {"neighbor", re(R"(^(\s*neighbor \S+ password(?: \d+)? )(\S+))")},
        {"aaa root", re(R"(^(\s*aaa root secret(?: \d+| sha512)? )(\S+))")},
        {"password", re(R"(^(\s+password(?: \d+)? )(\S+))")},
        {"secret", re(R"(^(\s+secret(?: \d+| sha512)? )(\S+))")},
    };
    return rules;
}

// Inside "tacacs server X" / "radius server X" blocks the key line is just " key 7 <secret>".
const std::regex& server_block_key() {
    static const std::regex r = re(R"(^(\s+(?:pac )?key(?: \d+)? )(\S+)\s*$)");
    return r;
}

const std::vector<Rule>& junos_rules() {
    static const std::vector<Rule> rules = {
        {"encrypted-password", re(R"(^(.*encrypted-password )("[^"]*"|[^\s;]+))")},
        // NTP: "authentication-key 1 type md5 value KEY": the 1 is the key's id, KEY the secret.
        {"authentication-key", re(R"(^(.*authentication-key \d+ .*\bvalue )("[^"]*"|[^\s;]+))")},
        {"authentication-key", re(R"(^(.*authentication-key )(?!\d+ )("[^"]*"|[^\s;]+))")},
        {"secret", re(R"(^(.*\bsecret )("[^"]*"|[^\s;]+))")},
        {"ascii-text", re(R"(^(.*(?:ascii-text|hexadecimal) )("[^"]*"|[^\s;]+))")},
        {"simple-password", re(R"(^(.*simple-password )("[^"]*"|[^\s;]+))")},
        {"set snmp community", re(R"(^(\s*set snmp community )("[^"]*"|[^\s;]+))")},
    };
    return rules;
}

const std::regex& junos_nine() {
    static const std::regex r = re(R"(\$9\$[^\s";]+)");
    return r;
}

class Redactor {
public:
    Redactor(const HashKey& key) : key_(key) {}

    // Replaces capture groups 2 and 4 of `m` in `line`.
    std::string replace(const std::smatch& m) {
        std::string out = m.prefix().str();
        for (std::size_t g = 1; g < m.size(); ++g) {
            if (!m[g].matched) continue;
            out += (g % 2 == 0) ? marker(m[g].str()) : m[g].str();
        }
        return out + m.suffix().str();
    }

    std::string marker(const std::string& secret) {
        ++count_;
        bool quoted = secret.size() >= 2 && secret.front() == '"' && secret.back() == '"';
        if (quoted) return "\"" + redaction_marker(key_, secret.substr(1, secret.size() - 2)) + "\"";
        return redaction_marker(key_, secret);
    }

    bool apply(const std::vector<Rule>& rules, std::string& line) {
        for (const auto& rule : rules) {
            if (line.find(rule.keyword) == std::string::npos) continue;
            std::smatch m;
            if (std::regex_search(line, m, rule.pattern)) {
                line = replace(m);
                return true;
            }
        }
        return false;
    }

    std::size_t count() const { return count_; }

private:
    const HashKey& key_;
    std::size_t count_ = 0;
};

// The general rule, on every platform and after the specific ones: the value after a
// password/secret/key/community keyword (skipping an encryption type such as "7" or
// "sha512"), and after "auth ALG" / "priv ALG". It scans tokens instead of running a regex so
// that it costs nothing on the lines that hold no keyword. What it must not touch is config the
// parsers read after redaction: names that happen to be a keyword ("ip access-group key in"),
// key-chain ids (" key 1"), BGP communities ("set community 65000:1").
struct Token {
    std::size_t pos, len;
};

std::vector<Token> tokens_of(const std::string& line) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        std::size_t start = i;
        if (line[i] == '"') {
            std::size_t close = line.find('"', i + 1);
            i = close == std::string::npos ? line.size() : close + 1;
        } else {
            while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        }
        out.push_back({start, i - start});
    }
    return out;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
    for (auto w : words)
        if (word == w) return true;
    return false;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Junos names its secrets "secret", "...-password", "...-key", "...-secret"; a bare "key" there
// is a key-chain id, "password" the login password policy ("set system login password
// minimum-length 8") and "community" a BGP community unless under snmp (the specific rules).
bool secret_keyword(std::string_view word, bool junos) {
    if (word == "secret") return true;
    if (junos) return ends_with(word, "-password") || ends_with(word, "-key") || ends_with(word, "-secret");
    return one_of(word, {"password", "key", "community", "key-string"});
}

// Lines whose words are names or match fields, never credentials: an ACL, route-map, VLAN or
// interface called "key" must stay readable.
bool protected_line(std::string_view first, std::string_view second) {
    if (one_of(first, {"description", "remark", "name", "interface", "hostname", "permit", "deny", "access-list",
                       "vlan", "switchport", "route-map", "match", "set", "object-group", "banner", "table",
                       "chain", "comment"}))
        return true;
    if (!first.empty() && std::isdigit(static_cast<unsigned char>(first[0]))) return true;  // "10 permit ..."
    return one_of(first, {"ip", "ipv6", "mac"}) &&
           one_of(second, {"access-list", "access-group", "traffic-filter", "prefix-list", "community-list",
                           "address", "route"});
}

// Words that follow a keyword without being its value.
bool not_a_value(std::string_view word) {
    return word.empty() || word.rfind("<redacted:", 0) == 0 || word.rfind("\"<redacted:", 0) == 0 ||
           one_of(word, {"chain", "generate", "zeroize", "import", "export", "config-key", "encryption", "minimum",
                         "policy", "in", "out", "{", ";", "secret", "password", "key", "community", "level",
                         "auth", "priv", "noauth", "string", "pubkey-chain", "storage", "encrypted", "type"});
}

bool encryption_type(std::string_view word) {
    return (word.size() == 1 && std::isdigit(static_cast<unsigned char>(word[0]))) ||
           one_of(word, {"sha512", "sha256", "md5"});
}

bool snmp_algorithm(std::string_view keyword, std::string_view word) {
    if (keyword == "auth") return word == "md5" || word.rfind("sha", 0) == 0;
    return word.rfind("des", 0) == 0 || word == "3des" || word.rfind("aes", 0) == 0;
}

// The index of the value token after the keyword at `i`, or 0 when there is none.
std::size_t value_after(const std::string& line, const std::vector<Token>& t, std::size_t i, bool junos) {
    auto word = [&](std::size_t k) {
        return k < t.size() ? std::string_view(line).substr(t[k].pos, t[k].len) : std::string_view();
    };
    std::string_view kw = word(i);
    std::size_t j = i + 1;
    // A keyword right after a naming word is the name itself ("filter no-key term t1").
    if (i > 0 && one_of(word(i - 1), {"filter", "term", "prefix-list", "policy-statement", "vlans", "vlan",
                                      "members", "interface", "interfaces", "group", "key-chain", "description"}))
        return 0;
    if (kw == "auth" || kw == "priv") {
        if (junos || !snmp_algorithm(kw, word(j))) return 0;
        ++j;
        if (word(j - 1) == "aes" && one_of(word(j), {"128", "192", "256"})) ++j;
    } else if (!secret_keyword(kw, junos)) {
        return 0;
    } else if (encryption_type(word(j))) {
        ++j;  // " key 1" alone is a key-chain id, not a secret
    }
    return j < t.size() && !not_a_value(word(j)) ? j : 0;
}

// Cheap test first: most lines of a config hold none of the keywords.
bool mentions_keyword(const std::string& line) {
    for (const char* k : {"pass", "secret", "key", "community", "auth", "priv"})
        if (line.find(k) != std::string::npos) return true;
    return false;
}

void redact_general(Redactor& r, std::string& line, bool junos) {
    if (!mentions_keyword(line)) return;
    auto t = tokens_of(line);
    if (t.size() < 2) return;
    std::string_view first = std::string_view(line).substr(t[0].pos, t[0].len);
    std::string_view second = std::string_view(line).substr(t[1].pos, t[1].len);
    if (!junos && protected_line(first, second)) return;
    // Values are found on the line as it is, then replaced from the right so that the
    // positions of those still to replace hold.
    std::vector<std::size_t> values;
    for (std::size_t i = 0; i + 1 < t.size(); ++i)
        if (std::size_t v = value_after(line, t, i, junos); v != 0) values.push_back(v);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
        const Token& tok = t[*it];
        std::string value = line.substr(tok.pos, tok.len);
        std::string trail;  // Junos' ";" or "{" stays outside the marker
        while (!value.empty() && (value.back() == ';' || value.back() == '{')) trail.insert(0, 1, value.back()), value.pop_back();
        if (!value.empty()) line.replace(tok.pos, tok.len, r.marker(value) + trail);
    }
}

bool starts_block(const std::string& line, const char* word) { return line.rfind(word, 0) == 0; }

// What a line-by-line redactor carries from one line to the next.
struct LineContext {
    bool in_server_block = false;  // IOS/EOS: inside "tacacs server X" and the like
    int snmp_depth = 0, depth = 0; // Junos hierarchical form: brace depth, and that of "snmp {"
};
using LineRedactor = void (*)(Redactor& r, std::string& line, LineContext& context);

void redact_ios_line(Redactor& r, std::string& line, LineContext& context) {
    bool& in_server_block = context.in_server_block;
    if (!line.empty() && line[0] != ' ')
        in_server_block = starts_block(line, "tacacs server") || starts_block(line, "radius server") ||
                          starts_block(line, "aaa server");
    std::smatch m;
    if (in_server_block && line.find("key") != std::string::npos &&
        std::regex_search(line, m, server_block_key())) {
        line = r.replace(m);
        return;
    }
    r.apply(ios_rules(), line);
    redact_general(r, line, false);
}

void redact_junos_line(Redactor& r, std::string& line, LineContext& context) {
    int& snmp_depth = context.snmp_depth;
    int& depth = context.depth;
    // Hierarchical form: a "community NAME {" directly under "snmp {" is a secret.
    if (snmp_depth > 0 && depth == snmp_depth) {
        static const std::regex community = re(R"(^(\s*community )("[^"]*"|[^\s;{]+))");
        std::smatch m;
        if (std::regex_search(line, m, community)) line = r.replace(m);
    }
    r.apply(junos_rules(), line);
    // Every $9$ string is a secret, also on a line a rule has already redacted something on
    // (a rule may have taken a key id for the value; markers hold no "$9$").
    if (line.find("$9$") != std::string::npos) {
        std::string out;
        auto begin = std::sregex_iterator(line.begin(), line.end(), junos_nine());
        std::size_t last = 0;
        for (auto it = begin; it != std::sregex_iterator(); ++it) {
            out += line.substr(last, static_cast<std::size_t>(it->position()) - last);
            out += r.marker(it->str());
            last = static_cast<std::size_t>(it->position() + it->length());
        }
        line = out + line.substr(last);
    }
    redact_general(r, line, true);
    for (char c : line) {
        if (c == '{') {
            ++depth;
            if (snmp_depth == 0 && line.find("snmp {") != std::string::npos) snmp_depth = depth;
        } else if (c == '}') {
            if (depth == snmp_depth) snmp_depth = 0;
            --depth;
        }
    }
}

}  // namespace

std::string redaction_marker(const HashKey& key, std::string_view secret) {
    return "<redacted:" + keyed_tag(key, secret) + ">";
}

RedactedConfig redact_config(PlatformId platform, std::string_view config, const HashKey& key) {
    // The registry: one row per platform of model/platform.cpp. An nftables ruleset holds no
    // credentials of its own, but gets the general rule in case a comment carries one.
    static const PlatformEntry<LineRedactor> kRegistry[] = {
        {PlatformId::cisco_ios, redact_ios_line},
        {PlatformId::arista_eos, redact_ios_line},
        {PlatformId::junos, redact_junos_line},
        {PlatformId::nftables, [](Redactor& r, std::string& line, LineContext&) { redact_general(r, line, false); }},
    };
    LineRedactor redact_line = platform_entry(kRegistry, platform, "redaction rules");
    Redactor r(key);
    RedactedConfig out;
    out.text.reserve(config.size());
    LineContext context;
    std::size_t pos = 0;
    while (pos < config.size()) {
        std::size_t nl = config.find('\n', pos);
        std::size_t end = nl == std::string_view::npos ? config.size() : nl;
        std::string line(config.substr(pos, end - pos));
        if (line.size() > kMaxRedactedLineBytes)
            line = r.marker(line);  // std::regex recurses per character: a long line overflows the stack
        else
            redact_line(r, line, context);
        out.text += line;
        if (nl != std::string_view::npos) out.text += '\n';
        pos = end + 1;
    }
    out.secrets = r.count();
    return out;
}

}  // namespace microseg
