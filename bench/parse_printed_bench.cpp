// bench_parse_printed: each platform's config parser (audit/parse/registry.hpp, what `microseg
// diff` uses) over configs in the form devices print them (issue 24: at least 150 MB/s per
// platform). The corpus is built deterministically in process:
//   fixtures   tests/fixtures/<platform>/, written from vendor documentation as devices print,
//              scaled to about 4 MB a file (see scaled_fixture for how);
//   synthetic  the L network's compiled configs passed through the device printer
//              (tests/support/device_printer.hpp): every gateway, one file each, and the first
//              400 access switches of each platform merged into files of a few MB;
//   trunks     (IOS, EOS) an aggregation switch whose trunks carry every VLAN (printed with no
//              allowed line, the default, or as `1-4094`) or long VLAN lists (IOS splits them
//              over `switchport trunk allowed vlan add` lines), between ordinary ones.
// Each platform is parsed in a child process per run (bench/measure.hpp): MB/s of the parse's
// CPU time (thread clock), median of the runs, and the child's peak RSS (it holds the corpus).
//
//   bench_parse_printed [--runs N] [--write-corpus DIR]   (DIR/<platform>/<file>, then exit)
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "audit/parse/registry.hpp"
#include "bench/measure.hpp"
#include "bench/synthetic_network.hpp"
#include "compiler/compiler.hpp"
#include "emitters/emitter.hpp"
#include "model/file_io.hpp"
#include "tests/support/device_printer.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace microseg;
using namespace microseg::bench;

constexpr std::size_t kFileBytes = 4 << 20;
// Under the parsers' limit of 16,384 interface names a config (model/as_built.hpp): past it a
// parser stops reading interfaces by design, which would measure that shortcut.
constexpr std::size_t kPortsPerFile = 15'000;

struct CorpusFile {
    std::string name;
    std::string text;
};

struct PlatformCorpus {
    std::vector<CorpusFile> files;
    std::vector<std::string> notes;  // what could not be built, and why
};

using Corpus = std::map<PlatformId, PlatformCorpus>;

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    for (std::size_t pos = 0; pos < text.size();) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        out.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

// A physical port of an IOS-style config ("GigabitEthernet1/0/5", "Ethernet12"): not an SVI,
// port-channel, management or loopback interface.
bool port_name(std::string_view name) {
    for (std::string_view other : {"Vlan", "vlan", "Port-", "Po", "Management", "Loopback", "Tunnel", "Null"})
        if (name.starts_with(other)) return false;
    return name.find_first_of("0123456789") != std::string_view::npos;
}

// The name with its first number raised by `by`: "GigabitEthernet1/0/5" +1 is stack member 2's
// port 5, "Ethernet12" +48 is port 60.
std::string renumbered(std::string_view name, unsigned by) {
    auto digits = name.find_first_of("0123456789");
    auto end = name.find_first_not_of("0123456789", digits);
    if (end == std::string_view::npos) end = name.size();
    unsigned n = static_cast<unsigned>(std::stoul(std::string(name.substr(digits, end - digits))));
    return fmt::format("{}{}{}", name.substr(0, digits), n + by, name.substr(end));
}

// The port blocks of an IOS-style config ("interface X", its indented lines and the "!" that
// closes it) and where the last one ends.
struct PortBlocks {
    std::vector<std::vector<std::string_view>> blocks;  // each block's lines, the header first
    std::size_t after_last = 0;                         // the line index after the last port block
    unsigned stride = 1;                                // the highest first number of a port name
};

PortBlocks port_blocks(const std::vector<std::string_view>& lines) {
    PortBlocks out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto name = lines[i].substr(std::min<std::size_t>(10, lines[i].size()));
        if (!lines[i].starts_with("interface ") || !port_name(name)) continue;
        std::vector<std::string_view> block = {lines[i]};
        while (i + 1 < lines.size() && (lines[i + 1].starts_with(" ") || lines[i + 1] == "!")) {
            block.push_back(lines[++i]);
            if (lines[i] == "!") break;
        }
        auto digits = name.find_first_of("0123456789");
        out.stride = std::max(out.stride, static_cast<unsigned>(std::stoul(std::string(name.substr(digits)))));
        out.blocks.push_back(std::move(block));
        out.after_last = i + 1;
    }
    return out;
}

// The port blocks of `extra` configs appended to `base`'s, renumbered as further stack members
// or ports (copy k's first numbers raised by k times the largest), after base's last port: one
// config, as a bigger switch would print it, with no name twice. Stops before kFileBytes or
// kPortsPerFile. Returns the configs merged.
std::size_t merge_ports(std::string& out, std::string_view base, const std::vector<std::string_view>& extra) {
    auto lines = lines_of(base);
    auto own = port_blocks(lines);
    std::size_t ports = own.blocks.size(), merged = 1;
    std::string head, tail;
    for (std::size_t i = 0; i < lines.size(); ++i) (i < own.after_last ? head : tail).append(lines[i]).append("\n");
    for (std::size_t k = 0; k < extra.size(); ++k) {
        auto blocks = port_blocks(lines_of(extra[k]));
        if (ports + blocks.blocks.size() > kPortsPerFile || head.size() + tail.size() > kFileBytes) break;
        ports += blocks.blocks.size();
        ++merged;
        for (const auto& b : blocks.blocks) {
            head += "interface " + renumbered(b[0].substr(10), static_cast<unsigned>(k + 1) * blocks.stride) + "\n";
            for (std::size_t i = 1; i < b.size(); ++i) head.append(b[i]).append("\n");
        }
    }
    out = head + tail;
    return merged;
}

// A Junos config's interface names moved to FPC `fpc` (ge-0/0/5 -> ge-3/0/5), so that copies
// of one config name different ports.
std::string junos_on_fpc(std::string_view text, unsigned fpc) {
    std::string out;
    out.reserve(text.size() + 64);
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool port = i >= 2 && text.compare(i, 3, "-0/") == 0 &&
                    (text.compare(i - 2, 2, "ge") == 0 || text.compare(i - 2, 2, "xe") == 0 ||
                     text.compare(i - 2, 2, "et") == 0);
        if (!port) {
            out += text[i];
            continue;
        }
        out += fmt::format("-{}/", fpc);
        i += 2;
    }
    return out;
}

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }

// The names a Junos config gives its firewall filters, prefix lists and interface ranges: the
// word after `filter`, `prefix-list` (also as `source-prefix-list` ...) or `interface-range`.
std::set<std::string, std::less<>> junos_object_names(std::string_view text) {
    std::set<std::string, std::less<>> names;
    for (std::string_view keyword : {"filter ", "prefix-list ", "interface-range "})
        for (std::size_t at = text.find(keyword); at != std::string_view::npos; at = text.find(keyword, at + 1)) {
            std::size_t end = at + keyword.size();
            while (end < text.size() && name_char(text[end])) ++end;
            auto name = text.substr(at + keyword.size(), end - at - keyword.size());
            if (!name.empty() && name != "input" && name != "output" && name != "input-list" && name != "output-list")
                names.emplace(name);
        }
    return names;
}

// `text` with every whole word in `names` suffixed with _k.
std::string renamed_words(std::string_view text, const std::set<std::string, std::less<>>& names, unsigned k) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (!name_char(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && name_char(text[end])) ++end;
        auto word = text.substr(i, end - i);
        out.append(word);
        if (names.count(word)) out += fmt::format("_{}", k);
        i = end;
    }
    return out;
}

// Copy k of a Junos fixture: its ports on FPC k, its filters, prefix lists and interface ranges
// renamed, and, after the first copy, without the `groups`, `vlans` and top-level
// `apply-groups` it declares: the copies' ports use the first one's, as one bigger switch
// prints them. A device prints each object once; declared again in each copy, a filter merged
// its terms (their address lists multiplied), a prefix list its entries, an interface range
// its members (each copy's `members` line once more per port), group expansion grew with the
// square of the copies, and every VLAN held its id once per copy, which measured that, not
// parsing. Brace form: the top-level `groups { ... }`, `vlans { ... }` and `apply-groups`;
// set form: `set groups`, `set vlans`, `set apply-groups`.
std::string junos_copy(std::string_view text, unsigned k) {
    std::string moved = junos_on_fpc(text, k);
    if (k == 0) return moved;
    moved = renamed_words(moved, junos_object_names(text), k);
    std::string out;
    bool in_block = false;
    for (std::string_view line : lines_of(moved)) {
        if (line.starts_with("groups {") || line.starts_with("vlans {")) in_block = true;
        bool drop = in_block || line.starts_with("set groups ") || line.starts_with("set vlans ") ||
                    line.starts_with("apply-groups ") || line.starts_with("set apply-groups ");
        if (in_block && line.starts_with("}")) in_block = false;
        if (!drop) out.append(line).append("\n");
    }
    return out;
}

// Copy k of an nftables ruleset: after the first, every chain that is not a base chain (no
// `hook` on the line after its name) renamed NAME_k, with the jumps and gotos to it, so that the
// copies add classes' chains to one router, as a bigger one prints them, instead of appending
// every chain's rules again (nft merges a chain declared twice; each jump would then reach N
// copies of every rule).
std::string nft_copy(std::string_view text, unsigned k) {
    if (k == 0) return std::string(text);
    auto lines = lines_of(text);
    std::set<std::string, std::less<>> renamed;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        auto at = lines[i].find("chain ");
        if (at == std::string_view::npos || lines[i + 1].find(" hook ") != std::string_view::npos) continue;
        auto name = lines[i].substr(at + 6);
        renamed.emplace(name.substr(0, name.find_first_of(" {")));
    }
    std::string out;
    for (std::string_view line : lines) {
        for (std::string_view key : {"chain ", "jump ", "goto "}) {
            auto at = line.find(key);
            if (at == std::string_view::npos) continue;
            auto rest = line.substr(at + key.size());
            auto name = rest.substr(0, rest.find_first_of(" {;"));
            if (!renamed.count(name)) continue;
            out.append(line.substr(0, at + key.size())).append(name).append(fmt::format("_{}", k));
            line = rest.substr(name.size());
        }
        out.append(line).append("\n");
    }
    return out;
}

int limit_warnings(const ParsedConfig& parsed) {
    return static_cast<int>(std::count_if(parsed.warnings.begin(), parsed.warnings.end(), [](const auto& w) {
        return w.reason.find("more than") != std::string::npos;
    }));
}


// `copy(k)` for k = 0, 1, ... concatenated up to kFileBytes; fewer copies while the parser
// reports its interface limit. A note when the copies are not read as the one is (warnings
// not proportional).
std::string concatenated(PlatformId platform, const std::function<std::string(unsigned)>& copy,
                         std::vector<std::string>& notes, const std::string& what, std::size_t max_copies = 0) {
    ConfigParser parse = parser_for(platform);
    auto one = copy(0);
    auto copies = std::max<std::size_t>(1, kFileBytes / std::max<std::size_t>(1, one.size()));
    if (max_copies) copies = std::min(copies, max_copies);
    while (true) {
        std::string text;
        for (unsigned k = 0; k < copies; ++k) text += copy(k);
        auto parsed = parse(text);
        if (limit_warnings(parsed) > 0 && copies > 1) {
            copies = copies * 3 / 4;
            continue;
        }
        auto single = parse(one).warnings.size();
        if (parsed.warnings.size() != copies * single)
            notes.push_back(fmt::format("{}: {} copies give {} warnings, one gives {}", what, copies,
                                        parsed.warnings.size(), single));
        return text;
    }
}

// A fixture scaled to about kFileBytes. IOS and EOS: concatenation would name every port again
// (a device never prints a name twice, and the parser would keep both), so the fixture's port
// blocks are repeated renumbered, as further stack members (IOS) or ports (EOS), up to the
// interface limit. Junos: copies with each one's ports on the next FPC, groups declared once
// (junos_copy). nftables: copies with their own class chains (nft_copy).
CorpusFile scaled_fixture(PlatformId platform, const fs::path& path, std::vector<std::string>& notes) {
    auto text = read_text_file(path.string());
    if (!text) throw std::runtime_error(path.string() + ": " + text.error().message);
    std::string name = path.filename().string();
    std::string out;
    if (platform == PlatformId::cisco_ios || platform == PlatformId::arista_eos) {
        std::vector<std::string_view> extra(kFileBytes / std::max<std::size_t>(1, text->size()) + 1, *text);
        merge_ports(out, *text, extra);
    } else if (platform == PlatformId::junos) {
        out = concatenated(platform, [&](unsigned k) { return junos_copy(*text, k); }, notes, name);
    } else {
        out = concatenated(platform, [&](unsigned k) { return nft_copy(*text, k); }, notes, name);
    }
    return {"fixture-" + path.stem().string() + "-" + path.extension().string().substr(1), std::move(out)};
}

std::vector<CorpusFile> fixture_files(PlatformId platform, std::vector<std::string>& notes) {
    static const std::map<PlatformId, std::string> folders = {{PlatformId::cisco_ios, "cisco-ios"},
                                                              {PlatformId::arista_eos, "arista-eos"},
                                                              {PlatformId::junos, "junos"},
                                                              {PlatformId::nftables, "nftables"}};
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(fs::path(MICROSEG_SOURCE_DIR) / "tests/fixtures" / folders.at(platform))) {
        auto ext = e.path().extension().string();
        if (ext == ".cfg" || ext == ".conf" || ext == ".set" || ext == ".nft") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<CorpusFile> out;
    for (const auto& p : paths) out.push_back(scaled_fixture(platform, p, notes));
    return out;
}

struct PrintedSwitch {
    std::string name;
    std::string text;
    bool gateway;
};

constexpr std::size_t kSampledAccess = 400;

// The L network's gateways and its first kSampledAccess access switches of each platform, as
// compile writes them, then as their devices print them.
std::map<PlatformId, std::vector<PrintedSwitch>> printed_network(Corpus& corpus) {
    auto files = generate_network(*network_size("L"), 1);
    CompileOptions at;
    at.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{1}};
    auto compiled = compile_policy_text(files.front().text, "policy.yaml", at);
    if (!compiled.ok()) throw std::runtime_error("the L network does not compile");
    std::map<PlatformId, std::vector<PrintedSwitch>> out;
    std::map<PlatformId, std::size_t> access;
    for (const auto& sw : compiled.policy->switches()) {
        if (sw.gateway_for.empty() && sw.platform != PlatformId::nftables && ++access[sw.platform] > kSampledAccess)
            continue;
        auto emitted = emitter_for(sw.platform).emit(*compiled.policy, sw);
        if (!emitted) continue;
        auto printed = test::print_as_device(sw.platform, sw.name, emitted->text);
        if (!printed.text) {
            auto& notes = corpus[sw.platform].notes;
            auto note = "synthetic configs not printed: " + printed.why_not;
            if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
            continue;
        }
        out[sw.platform].push_back({sw.name, std::move(*printed.text), !sw.gateway_for.empty()});
    }
    return out;
}

// Gateways one file each; access switches merged into files of a few MB: IOS and EOS by
// merge_ports, Junos concatenated with each switch on an FPC of its own, nftables one file each
// (nft has no access switches).
void add_synthetic(Corpus& corpus) {
    for (auto& [platform, switches] : printed_network(corpus)) {
        auto& files = corpus[platform].files;
        std::vector<std::string_view> access;
        for (const auto& sw : switches)
            if (sw.gateway || platform == PlatformId::nftables) files.push_back({"l-" + sw.name, sw.text});
            else if (access.size() < kSampledAccess) access.push_back(sw.text);
        for (std::size_t at = 0, group = 0; at < access.size(); ++group) {
            std::string text;
            std::size_t merged = 0;
            if (platform == PlatformId::junos) {
                for (; at + merged < access.size() && text.size() < kFileBytes && merged < 250; ++merged)
                    text += junos_on_fpc(access[at + merged], static_cast<unsigned>(merged));
            } else {
                std::vector<std::string_view> rest(access.begin() + static_cast<std::ptrdiff_t>(at + 1), access.end());
                merged = merge_ports(text, access[at], rest);
            }
            files.push_back({fmt::format("l-access-{:02}", group), std::move(text)});
            at += merged;
        }
    }
}

// One module (48 ports) of an aggregation switch, compact as compile writes configs: uplinks
// with every VLAN (no allowed line: the default, which devices do not print), trunks with
// `1-4094` written out, downlinks with a long list (the IOS printer splits it over `add`
// lines) and with a short one.
std::string trunk_module(PlatformId platform, unsigned m) {
    bool ios = platform == PlatformId::cisco_ios;
    auto range = [&](std::string_view kind, unsigned first, unsigned last) {
        return ios ? fmt::format("interface range {}{}/0/{} - {}\n", kind, m, first, last)
                   : fmt::format("interface Ethernet{}/{}-{}\n", m, first, last);
    };
    std::string indent = ios ? " " : "   ";
    std::string evens;
    for (int v = 2; v <= 200; v += 2) evens += (evens.empty() ? "" : ",") + std::to_string(v);
    std::string out;
    auto block = [&](std::string_view kind, unsigned first, unsigned last, std::string_view description,
                     std::string_view allowed) {
        out += range(kind, first, last) + indent + "description " + std::string(description) + "\n";
        if (!allowed.empty()) out += indent + "switchport trunk allowed vlan " + std::string(allowed) + "\n";
        out += indent + "switchport mode trunk\n!\n";
    };
    block("TenGigabitEthernet", 1, 4, "uplink to core", "");
    block("TenGigabitEthernet", 5, 8, "server farm trunk", "1-4094");
    block("GigabitEthernet", 9, 24, "access switch downlink", evens);
    block("GigabitEthernet", 25, 48, "access switch downlink", "110,120,130,140-149,300");
    return out;
}

CorpusFile trunk_file(PlatformId platform) {
    std::string hostname = platform == PlatformId::cisco_ios ? "agg-ios-01" : "agg-eos-01";
    auto one = test::print_as_device(platform, hostname, trunk_module(platform, 1)).text->size();
    auto modules = std::min<std::size_t>(kPortsPerFile / 48, std::max<std::size_t>(1, kFileBytes / one));
    std::string compact;
    for (unsigned m = 1; m <= modules; ++m) compact += trunk_module(platform, m);
    return {"trunks-" + hostname, *test::print_as_device(platform, hostname, compact).text};
}

Corpus build_corpus() {
    Corpus corpus;
    for (const auto& p : platforms()) {
        auto& c = corpus[p.id];
        for (auto& f : fixture_files(p.id, c.notes)) c.files.push_back(std::move(f));
        if (p.id == PlatformId::cisco_ios || p.id == PlatformId::arista_eos) c.files.push_back(trunk_file(p.id));
    }
    add_synthetic(corpus);
    return corpus;
}

void write_corpus(const Corpus& corpus, const fs::path& dir) {
    for (const auto& [id, c] : corpus) {
        auto folder = dir / std::string(platform(id).name);
        fs::create_directories(folder);
        for (const auto& f : c.files)
            test::write_file((folder / (f.name + "." + std::string(platform(id).extension))).string(), f.text);
        fmt::print("{}: {} files\n", folder.string(), c.files.size());
    }
}

// The part of the corpus a file belongs to: its name's first word.
std::string part_of(const CorpusFile& f) {
    if (f.name.starts_with("fixture-")) return "fixtures";
    if (f.name.starts_with("trunks-")) return "trunks";
    return "synthetic L";
}

struct Timing {
    double mb = 0, cpu_s = 0, min_mbs = 0, max_mbs = 0;
    long rss_kb = 0;
};

// Every file parsed once per run, each run in a child; the parse's CPU time is the child's
// thread clock around the parses (the fork and the exit not counted).
Timing time_parses(PlatformId platform, const std::vector<const CorpusFile*>& files, int runs) {
    ConfigParser parse = parser_for(platform);
    Timing t;
    for (const auto* f : files) t.mb += static_cast<double>(f->text.size()) / 1e6;
    std::vector<double> cpu;
    std::vector<Measurement> all;
    for (int r = 0; r < runs; ++r) {
        all.push_back(run_in_child([&] {
            double start = thread_cpu_seconds();
            std::size_t warnings = 0;
            for (const auto* f : files) warnings += parse(f->text).warnings.size();
            return fmt::format("{} {}", thread_cpu_seconds() - start, warnings);
        }));
        if (all.back().exit_code != 0) throw std::runtime_error("a parse failed");
        cpu.push_back(std::stod(all.back().payload));
    }
    std::sort(cpu.begin(), cpu.end());
    t.cpu_s = cpu[cpu.size() / 2];
    t.min_mbs = t.mb / cpu.back();
    t.max_mbs = t.mb / cpu.front();
    t.rss_kb = median_of(all).max_rss_kb;
    return t;
}

void print_table(const Corpus& corpus, int runs) {
    fmt::print("Parsing device-printed configs, MB/s of CPU time, median of {} runs (load {}):\n\n", runs,
               load_average());
    fmt::print("| platform | part | files | MB | MB/s | range | peak RSS |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    for (const auto& [id, c] : corpus) {
        std::map<std::string, std::vector<const CorpusFile*>> parts;
        for (const auto& f : c.files) parts[part_of(f)].push_back(&f);
        double mb = 0, cpu = 0;
        for (const auto& [part, files] : parts) {
            auto t = time_parses(id, files, runs);
            mb += t.mb, cpu += t.cpu_s;
            fmt::print("| {} | {} | {} | {:.1f} | {:.0f} | {:.0f}-{:.0f} | {:.0f} MiB |\n", platform(id).name, part,
                       files.size(), t.mb, t.mb / t.cpu_s, t.min_mbs, t.max_mbs, static_cast<double>(t.rss_kb) / 1024);
        }
        fmt::print("| **{}** | all | {} | {:.1f} | **{:.0f}** | | |\n", platform(id).name, c.files.size(), mb, mb / cpu);
    }
    for (const auto& [id, c] : corpus)
        for (const auto& n : c.notes) fmt::print("\n{}: {}", platform(id).name, n);
    fmt::print("\n");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"each platform's parser over configs as devices print them"};
    int runs = 5;
    std::string corpus_dir;
    app.add_option("--runs", runs, "runs per platform and part (median)")->check(CLI::Range(1, 100));
    app.add_option("--write-corpus", corpus_dir, "write the corpus to DIR/<platform>/ and exit");
    CLI11_PARSE(app, argc, argv);
    try {
        auto corpus = build_corpus();
        if (!corpus_dir.empty()) {
            write_corpus(corpus, corpus_dir);
            return 0;
        }
        print_table(corpus, runs);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_parse_printed: {}\n", e.what());
        return 2;
    }
}
