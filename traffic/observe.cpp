#include "traffic/observe.hpp"

namespace microseg::traffic {

Result<Observation> observe(const Policy& policy, const std::vector<std::string>& files,
                            const std::vector<InventoryEntry>& inventory) {
    Observation out;
    out.traffic = std::make_unique<ObservedTraffic>(policy, inventory);
    ObservedTraffic& traffic = *out.traffic;
    SessionFolder folder([&](std::uint8_t protocol, std::uint16_t port) { return traffic.is_service_port(protocol, port); },
                         [&](const Session& s) { traffic.add(s); });
    for (std::uint32_t i = 0; i < files.size(); ++i) {
        auto read = read_flow_file(files[i], [&](const FlowRecord& r) { folder.add(r, i); });
        if (!read) return read.error();
        out.records += read->records;
        out.bad_lines += read->bad_lines;
        out.warnings.insert(out.warnings.end(), read->warnings.begin(), read->warnings.end());
        out.inputs.push_back({files[i], std::move(*read)});
    }
    folder.finish();
    out.duplicates = folder.duplicates();
    out.paired = folder.paired();
    return out;
}

}  // namespace microseg::traffic
