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

// The emitter for a platform; every PlatformId in the platform table has one.
const Emitter& emitter_for(PlatformId platform);

// What every emitter shares (emitters/emitter.cpp).
// The first line of every emitted file: "<comment> microseg policy NAME version HASH switch SW".
// An audit reads it back to tell which intent a device carries; `compile` replaces only files
// whose first line starts with "<comment> microseg ".
std::string header_line(const Policy& policy, const Switch& sw);
bool is_microseg_header(std::string_view first_line);
// DIR-relative file name of a switch's config: a safe identifier + the platform extension.
std::string config_file_name(const Switch& sw);
// The switch's intent, checked before anything is rendered: interface names are safe, and
// with `ipv4_only` no IPv6 prefix needs rendering.
Result<SwitchIntent> checked_intent(const Policy& policy, const Switch& sw, bool ipv4_only);
// An error naming the switch when `config` holds more entries than the switch's budget.
Result<EmittedConfig> within_budget(const Switch& sw, EmittedConfig config);

}  // namespace microseg
