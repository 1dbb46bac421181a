#include "plan/device.hpp"

namespace microseg {

// Each defined in its plan/device_<family>.cpp.
std::unique_ptr<SimulatedDevice> simulated_cisco_ios(std::string_view running_text);
std::unique_ptr<SimulatedDevice> simulated_arista_eos(std::string_view running_text);
std::unique_ptr<SimulatedDevice> simulated_junos(std::string_view running_text);
std::unique_ptr<SimulatedDevice> simulated_nftables(std::string_view running_text);

namespace {

using DeviceMaker = std::unique_ptr<SimulatedDevice> (*)(std::string_view);

const PlatformEntry<DeviceMaker> kRegistry[] = {
    {PlatformId::cisco_ios, simulated_cisco_ios},
    {PlatformId::arista_eos, simulated_arista_eos},
    {PlatformId::junos, simulated_junos},
    {PlatformId::nftables, simulated_nftables},
};

}  // namespace

std::unique_ptr<SimulatedDevice> simulated_device(PlatformId platform, std::string_view running_text) {
    return platform_entry(kRegistry, platform, "simulated device")(running_text);
}

}  // namespace microseg
