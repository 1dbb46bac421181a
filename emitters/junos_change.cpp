// Placeholder until this platform's change writer lands (issue 21).
#include <stdexcept>

#include "emitters/change_form.hpp"

namespace microseg {

const ChangeWriter& junos_change_writer() { throw std::logic_error("junos change writer not written yet"); }

}  // namespace microseg
