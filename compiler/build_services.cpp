// Top-level keys and the services section.
#include <map>

#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "compiler/scalars.hpp"

namespace microseg::compiler {

std::string where(const SourceLocation& loc) { return fmt::format("{}", loc); }

namespace {

const std::vector<std::string_view> kTopKeys = {"version", "name", "include", "services",
                                                "classes", "flows", "switches", "internal_space"};

void read_version(const Reader& r, const Node& root, bool top) {
    const Node* v = r.tree().find(root, "version");
    if (!v) {
        if (top) r.diags().error({r.tree().file, 1, 1}, kinds::missing_version, "the policy needs 'version: 1'");
        return;
    }
    if (v->kind != NodeKind::scalar || v->text != "1")
        r.error(*v, kinds::bad_version, fmt::format("version must be 1, not '{}'",
                                                    v->kind == NodeKind::scalar ? v->text : "a collection"));
}

void collect_map(const Reader& r, const Node& section, std::string_view what,
                 std::vector<SectionEntry>& out) {
    if (section.kind == NodeKind::null) return;  // "classes:" with nothing under it
    if (!r.is_map(section, what)) return;
    for (std::size_t i = 0; i < r.tree().map_size(section); ++i)
        out.push_back({&r.tree(), &r.tree().key(section, i), &r.tree().value(section, i)});
}

void collect_list(const Reader& r, const Node& section, std::string_view what,
                  std::vector<SectionEntry>& out) {
    if (section.kind == NodeKind::null) return;
    if (!r.is_list(section, what)) return;
    for (auto id : section.children) out.push_back({&r.tree(), nullptr, &r.tree().at(id)});
}

void read_file(const Tree& tree, bool top, Build& build, Sections& sections, Diagnostics& diags) {
    Reader r(tree, diags);
    if (tree.empty()) {
        if (!tree.failed) diags.error({tree.file, 1, 1}, kinds::empty_policy, "the policy file is empty");
        return;
    }
    const Node& root = tree.root();
    if (!r.is_map(root, "a policy file")) return;
    r.check_keys(root, kTopKeys, "the policy");
    read_version(r, root, top);
    if (const Node* n = tree.find(root, "name"); n && top)
        if (auto name = r.name(*n, "the policy name")) build.policy.name = *name;
    for (std::size_t i = 0; i < tree.map_size(root); ++i) {
        const auto& key = tree.key(root, i).text;
        const Node& value = tree.value(root, i);
        if (key == "services") collect_map(r, value, "services", sections.services);
        if (key == "classes") collect_map(r, value, "classes", sections.classes);
        if (key == "flows") collect_list(r, value, "flows", sections.flows);
        if (key == "switches") collect_list(r, value, "switches", sections.switches);
        if (key == "internal_space") read_internal_space(r, value, build);
    }
}

std::optional<Service> read_service(const Reader& r, const SectionEntry& e) {
    auto name = r.name(*e.key, "service name");
    if (!name) return std::nullopt;
    Service s;
    s.name = *name;
    s.location = r.at(*e.key);
    std::string what = fmt::format("the ports of service '{}'", s.name);
    auto items = r.one_or_list(*e.value, what);
    for (const Node* item : items) {
        auto text = r.text(*item, what);
        if (!text) continue;
        auto port = ServicePort::parse(*text);
        if (!port) {
            r.error(*item, port.error());
            continue;
        }
        s.ports.push_back(*port);
    }
    if (items.empty() && e.value->kind == NodeKind::sequence)
        r.error(*e.value, kinds::bad_port, fmt::format("service '{}' has no ports", s.name));
    if (s.ports.empty()) return std::nullopt;
    return s;
}

}  // namespace

void read_top_level(const LoadedFiles& files, Build& build, Sections& sections, Diagnostics& diags) {
    for (std::size_t i = 0; i < files.trees.size(); ++i)
        read_file(files.trees[i], i == 0, build, sections, diags);
}

void build_services(const Sections& sections, Build& build, Diagnostics& diags) {
    std::map<std::string, Service> merged;
    for (const auto& b : builtin_services()) merged.emplace(b.name, b);
    std::unordered_map<std::string, SourceLocation> defined;
    for (const auto& e : sections.services) {
        Reader r(*e.tree, diags);
        auto s = read_service(r, e);
        if (!s) continue;
        auto [it, fresh] = defined.emplace(s->name, s->location);
        if (!fresh) {
            // Twice in one file is a duplicate key, already reported by the parser.
            if (it->second.file != s->location.file)
                r.error(*e.key, kinds::duplicate_definition, fmt::format("service '{}' is defined twice: here and at {}",
                                                                         s->name, where(it->second)));
            continue;
        }
        if (const Service* builtin = find_builtin_service(s->name)) {
            // The policy's ports win, but what the protocol is (clear text or not, how it answers)
            // does not change.
            s->clear_text = builtin->clear_text;
            s->tls_twin = builtin->tls_twin;
            s->reply_port = builtin->reply_port;
            s->needs_conntrack = builtin->needs_conntrack;
        }
        merged[s->name] = std::move(*s);
    }
    for (auto& [name, s] : merged) {
        build.service_names.insert(name);
        build.policy.services.push_back(std::move(s));
    }
    for (const auto& s : build.policy.services) build.service_list.push_back(s.name);
}

}  // namespace microseg::compiler
