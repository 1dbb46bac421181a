#pragma once
// Changes a network architect makes to a policy, applied to any policy's parts (no example's
// names): the plan tests and the plan benchmark derive "the next version" with them, compile
// the previous version as the running configs and plan to the new one.

#include <optional>
#include <string>

#include "model/policy.hpp"

namespace microseg::testing {

enum class PolicyChange { flow_added, flow_removed, class_moved_vlan, port_moved };
inline constexpr PolicyChange kPolicyChanges[] = {PolicyChange::flow_added, PolicyChange::flow_removed,
                                                  PolicyChange::class_moved_vlan, PolicyChange::port_moved};
std::string_view to_string(PolicyChange c);

// `parts` with `change` made (and a new version_hash), and a sentence saying what changed;
// nothing when the policy has nothing the change applies to (no flow to remove, no switch with
// ports of two classes). With `on`, the change touches a switch of that platform (a flow of a
// class it is the gateway of, a port or class on one of its switches).
std::optional<std::pair<PolicyParts, std::string>> changed_policy(const PolicyParts& parts, PolicyChange change,
                                                                  std::optional<PlatformId> on = std::nullopt);

}  // namespace microseg::testing
