// The flows section: each item becomes one FlowRule per (from, to) pair.
#include "compiler/build.hpp"
#include "compiler/diagnostic_kinds.hpp"
#include "compiler/scalars.hpp"

namespace microseg::compiler {
namespace {

const std::vector<std::string_view> kFlowKeys = {"from", "to", "services", "reason", "expires"};

// The class names of `from` or `to`, each checked; unknown or unusable ones are left out.
std::vector<std::string> read_ends(const Reader& r, const Node& n, std::string_view side, const Build& b) {
    std::vector<std::string> out;
    for (const Node* item : r.one_or_list(n, fmt::format("'{}' of a flow", side))) {
        auto name = r.text(*item, fmt::format("a class in '{}'", side));
        if (!name) continue;
        const DeviceClass* c = b.find_class(*name);
        if (!c) {
            r.error(*item, kinds::unknown_class,
                    fmt::format("unknown class '{}'{}", *name, did_you_mean(*name, b.class_names)));
            continue;
        }
        if (c->subnets.empty()) {
            r.error(*item, kinds::no_subnets,
                    fmt::format("flow {} class '{}', which has no subnets", side, *name));
            continue;
        }
        out.push_back(*name);
    }
    return out;
}

std::vector<std::string> read_services(const Reader& r, const Node& n, const Build& b) {
    std::vector<std::string> out;
    for (const Node* item : r.one_or_list(n, "'services' of a flow")) {
        auto name = r.text(*item, "a service of a flow");
        if (!name) continue;
        if (!b.service_names.count(*name)) {
            r.error(*item, kinds::unknown_service,
                    fmt::format("unknown service '{}'{}", *name, did_you_mean(*name, b.service_list)));
            continue;
        }
        out.push_back(*name);
    }
    if (out.empty() && n.kind == NodeKind::sequence && n.children.empty())
        r.error(n, kinds::no_services, "a flow needs at least one service");
    return out;
}

void read_extras(const Reader& r, const Node& body, FlowRule& rule) {
    if (const Node* reason = r.tree().find(body, "reason"))
        if (auto t = r.text(*reason, "'reason' of a flow")) rule.reason = *t;
    if (const Node* expires = r.tree().find(body, "expires")) {
        auto t = r.text(*expires, "'expires' of a flow");
        if (!t) return;
        rule.expires = parse_date(*t);
        if (!rule.expires)
            r.error(*expires, kinds::bad_date, fmt::format("expires must be a date YYYY-MM-DD, not '{}'", *t));
    }
}

void read_flow(const Reader& r, const Node& body, Build& b) {
    if (!r.is_map(body, "a flow")) return;
    r.check_keys(body, kFlowKeys, "a flow");
    const Node* from = r.require(body, "from", "a flow");
    const Node* to = r.require(body, "to", "a flow");
    const Node* services = r.require(body, "services", "a flow");
    auto froms = from ? read_ends(r, *from, "from", b) : std::vector<std::string>{};
    auto tos = to ? read_ends(r, *to, "to", b) : std::vector<std::string>{};
    FlowRule rule;
    rule.location = r.at(body);
    if (services) rule.services = read_services(r, *services, b);
    read_extras(r, body, rule);
    if (rule.services.empty()) return;
    for (const auto& f : froms)
        for (const auto& t : tos) {
            FlowRule pair = rule;
            pair.from = f;
            pair.to = t;
            b.policy.flows.push_back(std::move(pair));
        }
}

}  // namespace

void build_flows(const Sections& sections, Build& build, Diagnostics& diags) {
    build.policy.flows.reserve(sections.flows.size());
    for (const auto& e : sections.flows) read_flow(Reader(*e.tree, diags), *e.value, build);
}

std::string format_day(std::chrono::year_month_day day) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                       static_cast<unsigned>(day.day()));
}

// Removed from the model rather than skipped by each consumer, so that no command can forget:
// compile, paths, review, graph, report, verify, diff and audit all see the same live flows.
void drop_expired_flows(Build& build, std::chrono::year_month_day today, Diagnostics& diags) {
    auto& flows = build.policy.flows;
    std::vector<FlowRule> live;
    live.reserve(flows.size());
    for (std::size_t i = 0; i < flows.size();) {
        // The pairs of one flow item are adjacent and share its location: one warning per item.
        std::size_t end = i + 1;
        while (end < flows.size() && flows[end].location.file == flows[i].location.file &&
               flows[end].location.line == flows[i].location.line &&
               flows[end].location.column == flows[i].location.column)
            ++end;
        const FlowRule& f = flows[i];
        if (f.expires && *f.expires < today) {
            std::string more = end - i > 1 ? fmt::format(" (and {} more pairs of this flow)", end - i - 1) : "";
            diags.warning(f.location, kinds::expired_flow,
                          fmt::format("flow from '{}' to '{}'{} expired on {}: left out", f.from, f.to, more,
                                      format_day(*f.expires)));
        } else {
            for (std::size_t j = i; j < end; ++j) live.push_back(std::move(flows[j]));
        }
        i = end;
    }
    flows = std::move(live);
}

}  // namespace microseg::compiler
