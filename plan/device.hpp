#pragma once
// A simulated device: the running config as text, and what typing commands into it does, with
// that vendor's merge semantics (checked against vendor documentation; README "How each vendor
// merges"). Re-entering an IOS `ip access-list extended X` appends to it; EOS refuses an ACL
// line whose sequence number exists; Junos `load set`/`set` adds to a term and `delete` removes
// a whole subtree; `nft -f` applies a file as one transaction. plan/ types each step of a plan
// into one and reads the state back with the audit parser, so the proof judges what the
// device would hold, not what microseg meant; `<switch>.after.<ext>` is its final text.
//
// One platform, one file (plan/device_<family>.cpp), found through one table.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/platform.hpp"

namespace microseg {

class SimulatedDevice {
public:
    virtual ~SimulatedDevice() = default;
    // Types `commands` in order, from where the last call left off (a configuration mode, an
    // open EOS session or Junos candidate stays open between calls). A command the device
    // would refuse stops there: the error quotes it and says why (the device's own message
    // where the documentation gives one). Comment lines (the platform's comment prefix) and
    // blank lines are ignored, as a device does.
    virtual std::optional<Diagnostic> type(const std::vector<std::string>& commands) = 0;
    // The running configuration now, as the platform's config_command prints it (so the
    // platform's parser reads it). What an open session or uncommitted candidate holds is not
    // in it: it is not running yet.
    virtual std::string running_config() const = 0;
};

// A device of `platform` whose running config is `running_text` (as the platform prints it).
std::unique_ptr<SimulatedDevice> simulated_device(PlatformId platform, std::string_view running_text);

}  // namespace microseg
