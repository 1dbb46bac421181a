#include "audit/parse/redact.hpp"

#include <array>
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
        {"snmp-server host", re(R"(^(\s*snmp-server host \S+(?: informs| traps)?(?: version (?:1|2c|3 (?:auth|noauth|priv)))? )(\S+))")},
        {"snmp-server user", re(R"(^(.* auth (?:md5|sha\S*) )(\S+)( priv (?:des|3des|aes(?: \d+)?) )(\S+))")},
        {"snmp-server user", re(R"(^(.* auth (?:md5|sha\S*) )(\S+))")},
        {"-server", re(R"(^(\s*(?:tacacs|radius)-server .*?key(?: \d+)? )(\S+))")},
        {"isakmp key", re(R"(^(\s*crypto isakmp key(?: \d+)? )(\S+))")},
        {"pre-shared-key", re(R"(^(.*pre-shared-key(?: local| remote| address \S+(?: \S+)?)?(?: \d+)? )(\S+))")},
        {"authentication-key", re(R"(^(\s*ntp authentication-key \d+ \S+ )(\S+))")},
        {"authentication-key", re(R"(^(\s*ip ospf authentication-key(?: \d+)? )(\S+))")},
        {"message-digest-key", re(R"(^(\s*ip ospf message-digest-key \d+ md5(?: \d+)? )(\S+))")},
        {"key-string", re(R"(^(\s*key-string(?: \d+)? )(\S+))")},
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
        {"authentication-key", re(R"(^(.*authentication-key )("[^"]*"|[^\s;]+))")},
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
    if (!r.apply(junos_rules(), line) && line.find("$9$") != std::string::npos) {
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
    // credentials (keys live outside it).
    static const PlatformEntry<LineRedactor> kRegistry[] = {
        {PlatformId::cisco_ios, redact_ios_line},
        {PlatformId::arista_eos, redact_ios_line},
        {PlatformId::junos, redact_junos_line},
        {PlatformId::nftables, [](Redactor&, std::string&, LineContext&) {}},
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
