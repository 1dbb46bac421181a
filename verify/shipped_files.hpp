#pragma once
// The files verify proves: what `compile` writes for every switch (compiled into a temporary
// directory first), or the files of a directory an engineer has edited before a change. Each
// is read back through microseg's own parser for its platform, as the lab will run it, and
// checked statically against the intent first (DESIGN: what packets cannot show, such as a
// trunk carrying a VLAN no other switch has, is still reported with its device and line).

#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"
#include "verify/network_plan.hpp"

namespace microseg::verify {

// Compiles every switch's file into a new directory under $TMPDIR (or /tmp), as `compile -o`
// writes them, and returns the directory; verify then reads it like --configs.
Result<std::string> compile_to_temp_dir(const Policy& policy);
// Every switch's file in `dir`, named as compile names it; a missing or unreadable file is an
// error naming it.
Result<std::vector<ShippedFile>> read_files(const Policy& policy, const std::string& dir);

struct StaticFinding {
    std::string switch_name;
    std::string path;
    int line = 0;            // 0: the thing is absent from the file
    std::string impact;      // "exposure", "outage", "hygiene", "unknown"
    std::string message;
};

// The drift of each file against the intent (audit/drift), what the emulation cannot model
// (emulation_limits), and on IOS every isolated port that lost `switchport protected` (drift
// never relies on it; a file that compile wrote with it and now lacks it was edited).
std::vector<StaticFinding> static_check(const Policy& policy, const std::vector<ShippedFile>& files);

}  // namespace microseg::verify
