// Reading NetBox's API JSON: one page per file, located syntax errors (nlohmann reports a byte
// offset; people want file:line:col), and each object's fields checked with their JSON path,
// e.g. `results[3].untagged_vlan.vid`, so that a hand-edited or truncated dump is found here.
#include <fmt/format.h>

#include "importers/netbox_records.hpp"

namespace microseg::importers {
namespace {

using json = nlohmann::json;

// The 1-based line and column of the character at 1-based byte `byte` of `text`: for a
// parse_error, the last character nlohmann read (the end of the unexpected token).
SourceLocation locate_byte(const std::string& file, const std::string& text, std::size_t byte) {
    std::size_t index = byte == 0 ? 0 : std::min(byte, text.size() + 1) - 1;
    SourceLocation at{file, 1, 1};
    for (std::size_t i = 0; i < index && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++at.line;
            at.column = 1;
        } else {
            ++at.column;
        }
    }
    return at;
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line L, column C: why";
// the position is reported by the location, so only "why" is kept.
std::string parse_reason(const std::string& what) {
    auto column = what.find("column ");
    auto colon = column == std::string::npos ? what.find("] ") : what.find(": ", column);
    if (colon == std::string::npos) return what;
    return what.substr(colon + 2);
}

// Checks the fields of one file's objects; the first problem is kept as the error.
class Fields {
public:
    explicit Fields(std::string file) : file_(std::move(file)) {}

    // obj[key], or nullptr with an error when it is absent (or null and `allow_null` is false).
    const json* need(const json& obj, const std::string& at, const char* key, bool allow_null = false) {
        if (!obj.is_object()) return fail(at, "is not an object");
        auto it = obj.find(key);
        if (it == obj.end()) return fail(at + "." + key, "missing field");
        if (it->is_null() && !allow_null) return fail(at + "." + key, "is null");
        return &*it;
    }
    // obj[key] when present and not null, else nullptr (no error).
    static const json* optional(const json& obj, const char* key) {
        if (!obj.is_object()) return nullptr;
        auto it = obj.find(key);
        return it == obj.end() || it->is_null() ? nullptr : &*it;
    }
    long long integer(const json& obj, const std::string& at, const char* key) {
        const json* v = need(obj, at, key);
        if (v && !v->is_number_integer()) fail(at + "." + key, "is not an integer");
        return v && v->is_number_integer() ? v->get<long long>() : 0;
    }
    std::string text(const json& obj, const std::string& at, const char* key) {
        const json* v = need(obj, at, key);
        if (v && !v->is_string()) fail(at + "." + key, "is not a string");
        return v && v->is_string() ? v->get<std::string>() : std::string();
    }
    // The slug of a nested object field (role, platform); "" when it is absent or null.
    std::string slug_of(const json& obj, const std::string& at, const char* key) {
        const json* v = optional(obj, key);
        return v ? text(*v, at + "." + key, "slug") : std::string();
    }
    std::vector<std::string> tags(const json& obj, const std::string& at) {
        std::vector<std::string> out;
        const json* v = optional(obj, "tags");
        if (!v) return out;
        if (!v->is_array()) return fail(at + ".tags", "is not a list"), out;
        for (std::size_t i = 0; i < v->size(); ++i) out.push_back(text((*v)[i], fmt::format("{}.tags[{}]", at, i), "slug"));
        return out;
    }
    std::optional<NbVlanRef> vlan_ref(const json& obj, const std::string& at, const char* key) {
        const json* v = optional(obj, key);
        if (!v) return std::nullopt;
        std::string path = at + "." + key;
        return NbVlanRef{integer(*v, path, "id"), static_cast<int>(integer(*v, path, "vid")), text(*v, path, "name")};
    }

    std::optional<Diagnostic> error;

private:
    const json* fail(const std::string& at, const std::string& why) {
        if (!error) error = make_error(fmt::format("{}: {}", at, why), {file_}, "missing-key");
        return nullptr;
    }
    std::string file_;
};

std::string item_path(std::size_t i) { return fmt::format("results[{}]", i); }

std::vector<NbDevice> read_devices(const json& results, Fields& f) {
    std::vector<NbDevice> out;
    for (std::size_t i = 0; i < results.size() && !f.error; ++i) {
        const json& o = results[i];
        std::string at = item_path(i);
        NbDevice d;
        d.id = f.integer(o, at, "id");
        const json* name = f.need(o, at, "name", /*allow_null=*/true);
        d.name = name && name->is_string() ? name->get<std::string>() : fmt::format("device-{}", d.id);
        // NetBox 3.6 renamed device_role to role; 3.x dumps before it have only device_role.
        const char* role_key = Fields::optional(o, "role") || !o.is_object() || !o.contains("device_role") ? "role" : "device_role";
        const json* role = f.need(o, at, role_key);
        if (role) d.role = f.text(*role, at + "." + role_key, "slug");
        d.platform = f.slug_of(o, at, "platform");
        d.tags = f.tags(o, at);
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<NbPrefix> read_prefixes(const json& results, Fields& f) {
    std::vector<NbPrefix> out;
    for (std::size_t i = 0; i < results.size() && !f.error; ++i) {
        const json& o = results[i];
        std::string at = item_path(i);
        NbPrefix p;
        p.id = f.integer(o, at, "id");
        p.prefix = f.text(o, at, "prefix");
        p.vlan = f.vlan_ref(o, at, "vlan");
        p.role = f.slug_of(o, at, "role");
        p.tags = f.tags(o, at);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<NbVlan> read_vlans(const json& results, Fields& f) {
    std::vector<NbVlan> out;
    for (std::size_t i = 0; i < results.size() && !f.error; ++i) {
        const json& o = results[i];
        std::string at = item_path(i);
        NbVlan v;
        v.id = f.integer(o, at, "id");
        v.vid = static_cast<int>(f.integer(o, at, "vid"));
        v.name = f.text(o, at, "name");
        v.role = f.slug_of(o, at, "role");
        v.tags = f.tags(o, at);
        out.push_back(std::move(v));
    }
    return out;
}

// `mode` and `type` are NetBox choice fields: {"value": ..., "label": ...}.
std::string choice_value(const json& o, const std::string& at, const char* key, Fields& f) {
    const json* v = Fields::optional(o, key);
    return v ? f.text(*v, at + "." + key, "value") : std::string();
}

NbInterface read_interface(const json& o, const std::string& at, Fields& f) {
    NbInterface n;
    n.id = f.integer(o, at, "id");
    n.name = f.text(o, at, "name");
    if (const json* device = f.need(o, at, "device")) {
        n.device_id = f.integer(*device, at + ".device", "id");
        const json* name = Fields::optional(*device, "name");
        n.device_name = name && name->is_string() ? name->get<std::string>() : fmt::format("device-{}", n.device_id);
    }
    n.mode = choice_value(o, at, "mode", f);
    n.type = choice_value(o, at, "type", f);
    if (auto untagged = f.vlan_ref(o, at, "untagged_vlan")) n.untagged_vid = untagged->vid;
    if (const json* tagged = Fields::optional(o, "tagged_vlans")) {
        for (std::size_t t = 0; tagged->is_array() && t < tagged->size(); ++t)
            n.tagged_vids.push_back(static_cast<int>(f.integer((*tagged)[t], fmt::format("{}.tagged_vlans[{}]", at, t), "vid")));
    }
    return n;
}

std::vector<NbInterface> read_interfaces(const json& results, Fields& f) {
    std::vector<NbInterface> out;
    for (std::size_t i = 0; i < results.size() && !f.error; ++i) out.push_back(read_interface(results[i], item_path(i), f));
    return out;
}

// Reads one file and its records with `read`; the first missing field is the error.
template <class Read>
auto read_file_records(const std::string& path, std::size_t max_bytes, std::vector<std::string>& notes, Read read)
    -> Result<decltype(read(std::declval<const json&>(), std::declval<Fields&>()))> {
    auto page = read_netbox_page(path, max_bytes);
    if (!page) return page.error();
    if (page->has_next)
        notes.push_back(fmt::format("{}: the page has a next page that is not read; export with ?limit=0 or "
                                    "concatenate the pages' results", path));
    Fields f(path);
    auto records = read(page->results, f);
    if (f.error) return *f.error;
    return records;
}

}  // namespace

Result<JsonPage> read_netbox_page(const std::string& path, std::size_t max_bytes) {
    auto text = read_text_file(path, max_bytes);
    if (!text) return text.error();
    JsonPage page{path, {}, false};
    json doc;
    try {
        doc = json::parse(*text);
    } catch (const json::parse_error& e) {
        return make_error(parse_reason(e.what()), locate_byte(path, *text, e.byte));
    }
    if (!doc.is_object() || !doc.contains("results") || !doc["results"].is_array())
        return make_error("results: missing: not a NetBox API list response {\"count\", \"next\", \"results\": [...]}",
                          {path}, "missing-key");
    page.has_next = doc.contains("next") && !doc["next"].is_null();
    page.results = std::move(doc["results"]);
    return page;
}

Result<NetboxRecords> read_netbox_records(const NetboxFiles& files) {
    NetboxRecords r;
    auto devices = read_file_records(files.devices, files.max_bytes, r.notes, read_devices);
    if (!devices) return devices.error();
    auto prefixes = read_file_records(files.prefixes, files.max_bytes, r.notes, read_prefixes);
    if (!prefixes) return prefixes.error();
    auto vlans = read_file_records(files.vlans, files.max_bytes, r.notes, read_vlans);
    if (!vlans) return vlans.error();
    auto interfaces = read_file_records(files.interfaces, files.max_bytes, r.notes, read_interfaces);
    if (!interfaces) return interfaces.error();
    r.devices = std::move(*devices);
    r.prefixes = std::move(*prefixes);
    r.vlans = std::move(*vlans);
    r.interfaces = std::move(*interfaces);
    return r;
}

}  // namespace microseg::importers
