#include "verify/shipped_files.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "audit/drift/switch_audit.hpp"
#include "audit/parse/registry.hpp"
#include "emitters/emitter.hpp"
#include "model/config_file.hpp"
#include "model/file_io.hpp"
#include "model/interface_name.hpp"
#include "model/switch_intent.hpp"
#include "verify/emulation.hpp"

namespace microseg::verify {

namespace {

ShippedFile parsed(const Switch& sw, std::string path, std::string text) {
    ShippedFile f;
    f.sw = &sw;
    f.path = std::move(path);
    f.text = std::move(text);
    f.config = parser_for(sw.platform)(f.text);
    return f;
}

// IOS isolated ports are compiled with `switchport protected` as an extra; one without it
// was edited after compile.
void protected_ports(const Policy& policy, const ShippedFile& f, std::vector<StaticFinding>& out) {
    if (f.sw->platform != PlatformId::cisco_ios) return;
    auto intent = switch_intent(policy, *f.sw);
    if (!intent) return;
    std::set<std::string> have;
    for (const auto& p : f.config.protected_ports) have.insert(canonical_interface(f.sw->platform, p));
    for (const auto& p : intent->access_ports) {
        if (!p.isolated || have.count(canonical_interface(f.sw->platform, p.interface))) continue;
        out.push_back({f.sw->name, f.path, f.config.interface_line(p.interface), "hygiene",
                       fmt::format("{} ({}) lacks `switchport protected`: ARP and non-IP traffic between "
                                   "the class's ports on this switch now pass", p.interface, p.device_class)});
    }
}

}  // namespace

Result<std::string> compile_to_temp_dir(const Policy& policy) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = (std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / "microseg-verify-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return make_error(fmt::format("cannot create a directory like {}: {}", pattern, std::strerror(errno)), {},
                          "verify-lab");
    for (const auto& sw : policy.switches()) {
        auto emitted = emitter_for(sw.platform).emit(policy, sw);
        if (!emitted) return emitted.error();
        auto path = (std::filesystem::path(pattern) / config_file_name(sw)).string();
        if (auto ok = write_file_atomically(path, emitted->text); !ok) return ok.error();
    }
    return pattern;
}

Result<std::vector<ShippedFile>> read_files(const Policy& policy, const std::string& dir) {
    std::vector<ShippedFile> out;
    for (const auto& sw : policy.switches()) {
        auto path = (std::filesystem::path(dir) / config_file_name(sw)).string();
        auto text = read_text_file(path);
        if (!text)
            return make_error(fmt::format("switch {}: {}", sw.name, text.error().message), sw.location,
                              "verify-missing-file");
        out.push_back(parsed(sw, path, std::move(*text)));
    }
    return out;
}

std::vector<StaticFinding> static_check(const Policy& policy, const std::vector<ShippedFile>& files) {
    std::vector<StaticFinding> out;
    const HashKey key{};  // redaction tags are never shown: the findings quote no secret
    for (const auto& f : files) {
        auto audit = audit_switch_config(policy, *f.sw, f.text, key, f.path);
        for (const auto& d : audit.findings)
            out.push_back({f.sw->name, f.path, d.config_line, std::string(to_string(d.impact)), d.message});
        for (const auto& w : audit.warnings)
            out.push_back({f.sw->name, f.path, w.line, "unknown", fmt::format("not understood: {}", w.reason)});
        for (const auto& limit : emulation_limits(f.config))
            out.push_back({f.sw->name, f.path, 0, "unknown", limit});
        protected_ports(policy, f, out);
    }
    return out;
}

}  // namespace microseg::verify
