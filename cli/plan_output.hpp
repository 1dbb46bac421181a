#pragma once
// How `microseg plan` reports: per switch, the steps with their commands, the proof, the
// rollback's check and what diff still finds after the plan; as text for people or JSON.

#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace microseg::cli {

std::string render_plans_text(const std::vector<SwitchPlan>& plans, const std::vector<std::string>& written);
std::string render_plans_json(const std::vector<SwitchPlan>& plans);

// 2 when a switch could not be planned (or only unknown findings), 1 when any switch has steps,
// 0 when every switch already holds the intent.
int plans_exit_code(const std::vector<SwitchPlan>& plans);

}  // namespace microseg::cli
