#include "fuzz/traffic_targets.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "traffic/flow_reader.hpp"
#include "traffic/observed.hpp"

namespace microseg::fuzz {

namespace {

Policy fuzz_policy() {
    PolicyParts parts;
    parts.services = builtin_services();
    for (auto [name, subnet] : {std::pair{"a", "10.1.0.0/16"}, {"b", "10.2.0.0/16"}, {"c", "2001:db8::/32"}}) {
        DeviceClass c;
        c.name = name;
        c.subnets = {*Cidr::parse(subnet)};
        c.addresses = AddressSet(c.subnets);
        parts.classes.push_back(c);
    }
    return Policy(std::move(parts));
}

}  // namespace

std::string run_flow_records(std::string_view input) {
    static const Policy policy = fuzz_policy();
    const auto lines = static_cast<std::uint64_t>(std::count(input.begin(), input.end(), '\n')) + 1;
    traffic::ObservedTraffic observed(policy, {});
    std::uint64_t sessions = 0;
    traffic::SessionFolder folder([&](std::uint8_t p, std::uint16_t port) { return observed.is_service_port(p, port); },
                                  [&](const traffic::Session& s) {
                                      sessions += s.count;
                                      observed.add(s);
                                  });
    std::string bad;
    auto read = traffic::read_flow_text(input, "fuzz", [&](const traffic::FlowRecord& r) {
        if (r.line < 1 || static_cast<std::uint64_t>(r.line) > lines) bad = fmt::format("record at line {}", r.line);
        folder.add(r, 0);
    });
    folder.finish();
    if (!bad.empty()) return bad;
    if (!read) return {};  // no flow file: an error, as it should be
    if (read->records + read->bad_lines + read->skipped > lines) return "more records and bad lines than lines";
    if (read->warnings.size() > traffic::kMaxWarnings) return "warnings not capped";
    for (const auto& w : read->warnings)
        if (w.location.line < 1 || static_cast<std::uint64_t>(w.location.line) > lines) return "warning off the file";
    if (observed.totals().sessions != sessions) return "sessions counted other than once";
    return {};
}

}  // namespace microseg::fuzz
