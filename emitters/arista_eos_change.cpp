// Placeholder until this platform's change writer lands (issue 21).
#include <stdexcept>

#include "emitters/change_form.hpp"

namespace microseg {

const ChangeWriter& arista_eos_change_writer() { throw std::logic_error("arista_eos change writer not written yet"); }

}  // namespace microseg
