#pragma once
// emitters/: one generator per platform over the shared model (emitters/<platform>.cpp), found
// through one table keyed on PlatformId. Output is deterministic: sorted, no timestamps.
// Emitters never include audit/ and audit never includes emitters/.

#include <cstddef>
#include <string>
#include <string_view>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

struct EmittedConfig {
    std::string text;            // the whole configuration file
    std::size_t ace_count = 0;   // ACL/filter entries, as counted against the TCAM budget
};

class Emitter {
public:
    virtual ~Emitter() = default;
    // The configuration for `sw`. An error (e.g. over the TCAM budget, or something this
    // platform cannot express) names the switch and renders nothing.
    virtual Result<EmittedConfig> emit(const Policy& policy, const Switch& sw) const = 0;
};

// The emitter for a platform; every platform of the table has one (a missing one is a
// programming error: std::logic_error).
const Emitter& emitter_for(PlatformId platform);

// What every emitter shares (emitters/emitter.cpp). The header line and the file name of a
// config are model/config_file.hpp's.
// The switch's intent, checked before anything is rendered: interface names are safe, and
// with `ipv4_only` no IPv6 prefix needs rendering.
Result<SwitchIntent> checked_intent(const Policy& policy, const Switch& sw, bool ipv4_only);
// An error naming the switch when `config` holds more entries than the switch's budget.
Result<EmittedConfig> within_budget(const Switch& sw, EmittedConfig config);

}  // namespace microseg
