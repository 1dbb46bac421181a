// microseg-parse-dump: every config file in DIR (by platform extension) parsed and printed in
// one canonical text, sorted by file name. A tool for parser work, not a benchmark: dump before
// and after a change to a parser and compare the two files byte for byte
// (`microseg-parse-dump DIR > before.txt`, change, `... > after.txt`, `cmp before.txt after.txt`).

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "audit/parse/registry.hpp"
#include "model/as_built.hpp"
#include "model/file_io.hpp"

namespace fs = std::filesystem;
using namespace microseg;

namespace {

void print_acl(const Acl& acl) {
    fmt::print("  acl {} ({} entries)\n", acl.name, acl.entries.size());
    for (const auto& e : acl.entries) fmt::print("    {} remark={}\n", e, e.remark);
}

void print_intent(const SwitchIntent& s) {
    fmt::print("switch {} platform {}\n", s.switch_name, static_cast<int>(s.platform));
    for (const auto& v : s.vlans)
        fmt::print(" vlan {} name={} classes={} isolated={}\n", v.id, v.name, v.classes, v.isolated);
    for (const auto& p : s.access_ports)
        fmt::print(" access {} vlan {} class={} isolated={}\n", p.interface, p.vlan, p.device_class, p.isolated);
    for (const auto& t : s.trunks) fmt::print(" trunk {} vlans {}\n", t.interface, t.vlans);
    for (const auto& svi : s.svis) {
        fmt::print(" svi {} classes={}\n", svi.vlan, svi.classes);
        for (const auto& a : svi.addresses) fmt::print("  address {} {}\n", a.address, a.subnet);
        print_acl(svi.acl);
    }
}

void print_parsed(const ParsedConfig& c) {
    print_intent(c.as_built);
    fmt::print(" header={}\n", c.microseg_header);
    for (const auto& [name, acl] : c.acls)
        fmt::print(" parsed-acl {} line {} entry-lines {} understood={}\n", name, acl.line, acl.entry_lines,
                   acl.fully_understood);
    for (const auto& [vlan, svi] : c.svis)
        fmt::print(" parsed-svi {} line {} acl-in={} exists={}\n", vlan, svi.line, svi.acl_in, svi.acl_exists);
    for (const auto& [name, line] : interface_line_map(c)) fmt::print(" interface-line {} {}\n", name, line);
    for (const auto& w : c.warnings) fmt::print(" warning line {}: {} ({})\n", w.line, w.text, w.reason);
    fmt::print(" skipped {}\n", c.skipped_lines);
    if (!c.router) return;
    const RouterFilters& r = *c.router;
    fmt::print(" router forward={} conntrack-line {} bridge={}\n", r.has_forward, r.conntrack_line, r.has_bridge);
    print_acl(r.bridge);
    fmt::print("  bridge line {} entry-lines {} understood={}\n", r.bridge_info.line, r.bridge_info.entry_lines,
               r.bridge_info.fully_understood);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        fmt::print(stderr, "usage: microseg-parse-dump DIR\n");
        return 2;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(argv[1])) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files)
        for (const auto& p : platforms()) {
            ConfigParser parse = parser_for(p.id);
            if (path.extension() != "." + std::string(p.extension) || !parse) continue;
            auto text = read_text_file(path.string());
            if (!text) {
                fmt::print(stderr, "{}: {}\n", path.string(), text.error().message);
                return 2;
            }
            fmt::print("== {}\n", path.filename().string());
            print_parsed(parse(*text));
        }
    return 0;
}
