#include "report/audit_json.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace microseg::report {
namespace {

// A hostile file could multiply rows with YAML aliases; a real audit of 10,000 switches stays
// far below this.
constexpr std::size_t kMaxItems = 2'000'000;

// Walks the document, keeping the first error; accessors return defaults after one.
class AuditReader {
public:
    explicit AuditReader(std::string file) : file_(std::move(file)) {}

    const std::optional<Diagnostic>& error() const { return error_; }

    void fail(const YAML::Node& at, std::string message) {
        if (error_) return;
        SourceLocation where{file_};
        if (at.IsDefined() && at.Mark().line >= 0) where = {file_, at.Mark().line + 1, at.Mark().column + 1};
        error_ = make_error(fmt::format("not a microseg audit result: {}", message), where, "bad-audit-json");
    }

    bool counted(const YAML::Node& at) {
        if (++items_ <= kMaxItems) return true;
        fail(at, fmt::format("more than {} items", kMaxItems));
        return false;
    }

    // The member `key` of map `parent`, or an undefined node (and an error when required).
    YAML::Node member(const YAML::Node& parent, const char* key, bool required) {
        YAML::Node n = parent[key];
        if (!n.IsDefined() && required) fail(parent, fmt::format("'{}' is missing", key));
        return n;
    }

    std::string text(const YAML::Node& parent, const char* key, bool required = true) {
        YAML::Node n = member(parent, key, required);
        if (!n.IsDefined()) return {};
        if (!n.IsScalar()) {
            fail(n, fmt::format("'{}' must be a string", key));
            return {};
        }
        return n.Scalar();
    }

    std::int64_t number(const YAML::Node& parent, const char* key) {
        std::string t = text(parent, key, false);
        if (t.empty()) return 0;
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc{} || end != t.data() + t.size() || v < 0) fail(parent[key], fmt::format("'{}' must be a whole number", key));
        return v;
    }

    bool boolean(const YAML::Node& parent, const char* key, bool fallback) {
        std::string t = text(parent, key, false);
        if (t.empty()) return fallback;
        if (t != "true" && t != "false") fail(parent[key], fmt::format("'{}' must be true or false", key));
        return t == "true";
    }

    // `key` as a sequence (absent: empty when optional); calls `each` per item.
    template <class Each>
    void list(const YAML::Node& parent, const char* key, bool required, Each each) {
        YAML::Node n = member(parent, key, required);
        if (!n.IsDefined()) return;
        if (!n.IsSequence()) return fail(n, fmt::format("'{}' must be a list", key));
        for (const auto& item : n) {
            if (error_ || !counted(item)) return;
            if (!item.IsMap() && !item.IsScalar()) return fail(item, fmt::format("unexpected item in '{}'", key));
            each(item);
        }
    }

    template <std::size_t N>
    void one_of(const YAML::Node& parent, const char* key, const std::string& value,
                const std::string_view (&allowed)[N]) {
        if (error_ || std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed)) return;
        fail(parent[key], fmt::format("'{}' is '{}', expected one of: {}", key, value, fmt::join(allowed, ", ")));
    }

    bool is_map(const YAML::Node& n, std::string_view what) {
        if (n.IsMap()) return true;
        fail(n, fmt::format("{} must be an object", what));
        return false;
    }

private:
    std::string file_;
    std::optional<Diagnostic> error_;
    std::size_t items_ = 0;
};

AuditFinding read_finding(AuditReader& r, const YAML::Node& n) {
    AuditFinding f;
    if (!r.is_map(n, "a finding")) return f;
    f.kind = r.text(n, "kind");
    f.impact = r.text(n, "impact");
    r.one_of(n, "impact", f.impact, kImpacts);
    f.subject = r.text(n, "subject");
    f.message = r.text(n, "message");
    f.line = r.number(n, "line");
    f.example_packet = r.text(n, "example_packet", false);
    return f;
}

AuditSwitch read_switch(AuditReader& r, const YAML::Node& n) {
    AuditSwitch s;
    if (!r.is_map(n, "a switch")) return s;
    s.name = r.text(n, "name");
    s.platform = r.text(n, "platform", false);
    s.source = r.text(n, "source", false);
    s.status = r.text(n, "status");
    r.one_of(n, "status", s.status, kStatuses);
    s.reason = r.text(n, "reason", false);
    s.carries_current_intent = r.boolean(n, "carries_current_intent", true);
    r.list(n, "findings", false, [&](const YAML::Node& f) { s.findings.push_back(read_finding(r, f)); });
    r.list(n, "live_only_flows", false, [&](const YAML::Node& l) {
        if (!r.is_map(l, "a live-only flow")) return;
        s.live_only.push_back({r.text(l, "from"), r.text(l, "to"), r.text(l, "service"), r.text(l, "port", false)});
    });
    s.unparsed_lines = r.number(n, "unparsed_lines");
    return s;
}

AuditPath read_path(AuditReader& r, const YAML::Node& n) {
    AuditPath p;
    if (!r.is_map(n, "a lateral path")) return p;
    p.from = r.text(n, "from");
    p.to = r.text(n, "to");
    YAML::Node hops = n["hops"];
    if (hops.IsDefined() && !hops.IsSequence()) r.fail(hops, "'hops' must be a list");
    if (hops.IsSequence())
        for (const auto& h : hops) {
            if (!h.IsScalar()) return r.fail(h, "a hop must be a string"), p;
            if (!r.counted(h)) return p;
            p.hops.push_back(h.Scalar());
        }
    return p;
}

}  // namespace

Result<AuditResult> parse_audit_json(std::string_view text, const std::string& file_name) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        SourceLocation where{file_name};
        if (e.mark.line >= 0) where = {file_name, e.mark.line + 1, e.mark.column + 1};
        return make_error(fmt::format("not valid JSON: {}", e.msg), where, "bad-audit-json");
    }
    AuditReader r(file_name);
    AuditResult result;
    if (!root.IsMap()) {
        r.fail(root, "expected a JSON object (the output of 'microseg diff --format json')");
        return *r.error();
    }
    result.policy = r.text(root, "policy");
    result.version = r.text(root, "version");
    r.list(root, "switches", true, [&](const YAML::Node& s) { result.switches.push_back(read_switch(r, s)); });
    r.list(root, "new_lateral_paths", false, [&](const YAML::Node& p) { result.new_paths.push_back(read_path(r, p)); });
    if (r.error()) return *r.error();
    return result;
}

}  // namespace microseg::report
