// Placeholder until this platform's simulated device lands (issue 21).
#include <stdexcept>

#include "plan/device.hpp"

namespace microseg {

std::unique_ptr<SimulatedDevice> simulated_arista_eos(std::string_view) { throw std::logic_error("arista_eos device not written yet"); }

}  // namespace microseg
