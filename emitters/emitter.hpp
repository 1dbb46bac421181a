#pragma once
// emitters/: one generator per platform over the shared model (emitters/<platform>.cpp), found
// through one table keyed on PlatformId. Output is deterministic: sorted, no timestamps.
// Emitters never include audit/ and audit never includes emitters/.

#include <cstddef>
#include <string>

#include "model/diagnostic.hpp"
#include "model/policy.hpp"

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

}  // namespace microseg
