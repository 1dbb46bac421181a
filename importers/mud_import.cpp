// microseg import mud: MUD files -> devices, peers and rules (the policy text is written by
// mud_policy_text.cpp). All files are read before anything is decided, so that one bad file
// fails the whole import: a policy missing one device's rules would look complete.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "importers/mud_ace.hpp"
#include "model/file_io.hpp"

namespace microseg::mud {

std::string write_policy_text(const MudImport& import);  // mud_policy_text.cpp

namespace {

using nlohmann::json;
using detail::AceContext;
using detail::AceReading;

struct FileReading {
    MudDevice device;
    std::vector<AceReading> readings;
    std::vector<std::string> origins;  // JSON path of each reading's ACE
    std::string authority;
};

// Deeply nested JSON is refused before nlohmann builds it: its DOM would cost the stack.
std::optional<std::size_t> too_deep_at(const std::string& text) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxJsonDepth) return i;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return std::nullopt;
}

Result<json> parse_json(const MudSource& src) {
    if (src.text.size() > kMaxMudFileBytes)
        return make_error(fmt::format("larger than {} MiB: not a MUD file", kMaxMudFileBytes >> 20), {src.file, 0, 0}, "io");
    if (auto at = too_deep_at(src.text)) {
        auto [line, col] = line_column(src.text, *at);
        return make_error(fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth), {src.file, line, col},
                          kJsonSyntax);
    }
    try {
        return json::parse(src.text);
    } catch (const json::parse_error& e) {
        // e.byte counts the bytes read, the offending one included.
        auto [line, col] = line_column(src.text, e.byte > 0 ? e.byte - 1 : 0);
        std::string what = e.what();
        if (auto p = what.find("error while parsing"); p != std::string::npos) what = what.substr(p);
        return make_error(fmt::format("malformed JSON: {}", what), {src.file, line, col}, kJsonSyntax);
    }
}

Diagnostic structure_error(const std::string& file, const std::string& path, const std::string& message) {
    return make_error(fmt::format("{}: {}", path, message), {file, 0, 0}, kMudStructure);
}

// The device: its MUD URL and a description to name its class from.
Result<MudDevice> read_device(const json& mud, const std::string& file) {
    const std::string base = "/ietf-mud:mud";
    auto url = mud.find("mud-url");
    if (url == mud.end() || !url->is_string() || url->get<std::string>().empty())
        return structure_error(file, base + "/mud-url", "missing: a MUD file names its MUD URL (RFC 8520 section 3.3)");
    MudDevice device;
    device.mud_url = url->get<std::string>();
    device.file = file;
    auto text = [&](const char* key) {
        auto it = mud.find(key);
        return it != mud.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::string mfg = text("mfg-name"), model = text("model-name");
    if (!mfg.empty() || !model.empty()) device.description = mfg.empty() ? model : model.empty() ? mfg : mfg + " " + model;
    else if (!text("systeminfo").empty()) device.description = text("systeminfo");
    else device.description = device.mud_url.substr(device.mud_url.find_last_of('/') + 1);
    return device;
}

// The ACL names listed under from-device-policy or to-device-policy.
Result<std::vector<std::string>> policy_acl_names(const json& mud, const std::string& file, const std::string& which) {
    std::vector<std::string> names;
    auto policy = mud.find(which);
    if (policy == mud.end()) return names;
    std::string path = "/ietf-mud:mud/" + which + "/access-lists/access-list";
    if (!policy->is_object() || !policy->contains("access-lists") || !(*policy)["access-lists"].is_object())
        return structure_error(file, path, "missing: expected access-lists.access-list");
    const auto& lists = (*policy)["access-lists"];
    auto list = lists.find("access-list");
    if (list == lists.end() || !list->is_array()) return structure_error(file, path, "expected a list");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& entry = (*list)[i];
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string())
            return structure_error(file, fmt::format("{}/{}/name", path, i), "missing: expected an ACL name");
        names.push_back(entry["name"].get<std::string>());
    }
    return names;
}

// Every ACE of the ACL named `name`, read in `context`.
Result<bool> read_acl(const json& root, const std::string& name, const AceContext& context, FileReading& out) {
    const std::string base = "/ietf-access-control-list:acls/acl";
    auto acls = root.find("ietf-access-control-list:acls");
    if (acls == root.end() || !acls->is_object() || !acls->contains("acl") || !(*acls)["acl"].is_array())
        return structure_error(context.file, base, fmt::format("missing: the ACL '{}' is listed but no acls", name));
    const auto& list = (*acls)["acl"];
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& acl = list[i];
        if (!acl.is_object() || !acl.contains("name") || acl["name"] != name) continue;
        std::string path = fmt::format("{}/{}/aces/ace", base, i);
        auto aces = acl.find("aces");
        if (aces == acl.end()) return true;  // an empty ACL allows nothing
        if (!aces->is_object() || !aces->contains("ace") || !(*aces)["ace"].is_array())
            return structure_error(context.file, path, "expected a list of ACEs");
        const auto& ace = (*aces)["ace"];
        for (std::size_t k = 0; k < ace.size(); ++k) {
            std::string at = fmt::format("{}/{}", path, k);
            auto reading = detail::read_ace(ace[k], at, context);
            if (!reading) return Diagnostic{Severity::error, {context.file, 0, 0}, reading.error().message, reading.error().kind};
            if (!*reading) continue;
            out.readings.push_back(**reading);
            out.origins.push_back(fmt::format("{}:{}", context.file, at));
        }
        return true;
    }
    return structure_error(context.file, base, fmt::format("no ACL named '{}'", name));
}

Result<FileReading> read_mud(const MudSource& src, Diagnostics& diagnostics) {
    auto root = parse_json(src);
    if (!root) return root.error();
    if (!root->is_object() || !root->contains("ietf-mud:mud") || !(*root)["ietf-mud:mud"].is_object())
        return structure_error(src.file, "/ietf-mud:mud", "missing: not a MUD file");
    const auto& mud = (*root)["ietf-mud:mud"];
    auto device = read_device(mud, src.file);
    if (!device) return device.error();
    FileReading out{*device, {}, {}, detail::url_authority(device->mud_url)};
    for (std::string which : {"from-device-policy", "to-device-policy"}) {
        auto names = policy_acl_names(mud, src.file, which);
        if (!names) return names.error();
        AceContext context{src.file, device->mud_url, out.authority, which == "from-device-policy", &diagnostics};
        for (const auto& name : *names) {
            auto done = read_acl(*root, name, context, out);
            if (!done) return done.error();
        }
    }
    return out;
}

// Turns peers into classes: mapped names as given, the rest placeholders with warnings.
class PeerResolver {
public:
    PeerResolver(const MudMap& map, Diagnostics& diagnostics, std::set<std::string> device_classes)
        : map_(map), diagnostics_(diagnostics), devices_(std::move(device_classes)) {}

    std::string resolve(const detail::PeerRef& ref, const MudDevice& device, const std::string& origin_file) {
        if (auto mapped = map_.lookup(ref.section, ref.key)) {
            if (!devices_.contains(*mapped)) add(*mapped, describe(ref), true);
            return *mapped;
        }
        std::string name = placeholder_name(ref, device);
        if (devices_.contains(name)) name += "-peer";
        add(name, describe(ref), false);
        if (warned_.insert({origin_file, name}).second) {  // once per file and peer
            diagnostics_.warning({origin_file, 0, 0}, kMudPlaceholder,
                                 fmt::format("{}: {} is not in the map (section '{}'): placeholder class '{}' "
                                             "(external, {})",
                                             ref.path, describe(ref), ref.section, name, peers_[name].subnet));
        }
        return name;
    }

    std::vector<MudPeerClass> peers() const {
        std::vector<MudPeerClass> out;
        for (const auto& [name, peer] : peers_) out.push_back(peer);
        return out;
    }

private:
    static std::string describe(const detail::PeerRef& ref) {
        if (ref.section == "same-manufacturer" || ref.section == "my-controller" || ref.section == "local-networks")
            return fmt::format("{} of {}", ref.section, ref.key);
        return fmt::format("{} {}", ref.section, ref.key);
    }

    static std::string placeholder_name(const detail::PeerRef& ref, const MudDevice& device) {
        auto without_scheme = [](const std::string& s) {
            auto p = s.find("://");
            return p == std::string::npos ? s : s.substr(p + 3);
        };
        if (ref.section == "my-controller") return sanitise_class_name(device.class_name + "-controller");
        if (ref.section == "controller") return sanitise_class_name("controller-" + without_scheme(ref.key));
        if (ref.section == "manufacturer" || ref.section == "same-manufacturer")
            return sanitise_class_name(ref.key + "-devices");
        if (ref.section == "network") return sanitise_class_name("net-" + ref.key);
        if (ref.section == "local-networks") return "local-networks";
        return sanitise_class_name(without_scheme(ref.key));
    }

    // Documentation ranges (RFC 5737): never a real host, and outside every internal_space.
    std::string next_subnet() {
        std::size_t n = peers_.size();
        if (n < 254) return fmt::format("192.0.2.{}/32", n + 1);
        if (n < 508) return fmt::format("198.51.100.{}/32", n - 253);
        return {};
    }

    bool add(const std::string& name, const std::string& what, bool mapped) {
        if (peers_.contains(name)) return false;
        peers_[name] = MudPeerClass{name, next_subnet(), what, mapped};
        return true;
    }

    const MudMap& map_;
    Diagnostics& diagnostics_;
    std::set<std::string> devices_;
    std::map<std::string, MudPeerClass> peers_;
    std::set<std::pair<std::string, std::string>> warned_;
};

// One class per MUD URL; two URLs whose names sanitise alike get -2, -3...
void name_devices(std::vector<FileReading>& files, std::vector<MudDevice>& devices) {
    std::map<std::string, std::string> class_of_url;
    std::set<std::string> taken;
    for (auto& f : files) {
        auto known = class_of_url.find(f.device.mud_url);
        if (known != class_of_url.end()) {
            f.device.class_name = known->second;
            continue;
        }
        std::string base = sanitise_class_name(f.device.description), name = base;
        for (int k = 2; taken.contains(name); ++k) name = fmt::format("{}-{}", base, k);
        taken.insert(name);
        f.device.class_name = class_of_url[f.device.mud_url] = name;
        devices.push_back(f.device);
    }
}

}  // namespace

Result<MudImport> import_mud(const std::vector<MudSource>& sources, const MudMap& map) {
    MudImport out;
    std::vector<FileReading> files;
    for (const auto& src : sources) {
        auto reading = read_mud(src, out.diagnostics);
        if (!reading) return reading.error();
        files.push_back(std::move(*reading));
    }
    name_devices(files, out.devices);
    if (out.devices.size() > 254) return make_error("more than 254 MUD devices at once: import them in parts", {}, "io");
    std::set<std::string> device_names;
    for (const auto& d : out.devices) device_names.insert(d.class_name);
    PeerResolver resolver(map, out.diagnostics, device_names);
    for (const auto& f : files) {
        for (std::size_t i = 0; i < f.readings.size(); ++i) {
            const auto& r = f.readings[i];
            std::string peer = resolver.resolve(r.peer, f.device, f.device.file);
            out.rules.push_back(MudRule{f.device.class_name, r.from_device, r.port, peer, f.origins[i]});
        }
    }
    out.peers = resolver.peers();
    for (const auto& p : out.peers)
        if (p.subnet.empty()) return make_error("more than 508 peers: import the MUD files in parts", {}, "io");
    std::sort(out.rules.begin(), out.rules.end());
    out.rules.erase(std::unique(out.rules.begin(), out.rules.end()), out.rules.end());
    if (!out.devices.empty()) {
        out.diagnostics.warning({}, kMudPlaceholderAddressing,
                                fmt::format("{} device class(es) got placeholder VLANs (3001 up) and documentation "
                                            "addresses (203.0.113.0/24): set their real VLANs and subnets",
                                            out.devices.size()));
    }
    out.policy_text = write_policy_text(out);
    return out;
}

Result<MudImport> import_mud_files(const std::vector<std::string>& paths, const MudMap& map) {
    std::vector<MudSource> sources;
    for (const auto& path : paths) {
        auto text = read_text_file(path, kMaxMudFileBytes);
        if (!text) return text.error();
        sources.push_back({path, std::move(*text)});
    }
    return import_mud(sources, map);
}

}  // namespace microseg::mud
