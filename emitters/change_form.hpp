#pragma once
// How each platform changes a switch that already has a configuration (DESIGN "plan states"):
// the ordered commands, in that platform's safest form, that take what a switch runs to a
// target. One writer per platform (emitters/<platform>_change.cpp), next to its full-config
// emitter, found through one table. plan/ drives them: it types their commands into a
// simulated device (plan/device.hpp) to get every intermediate state and the config after, and
// proves each state.
//
// What a writer may touch (DESIGN "What microseg owns"): the VLANs, access ports and trunks the
// policy names, the ACLs and filters whose names carry microseg's prefix, the nft tables
// `microseg`. Everything else in the running config is left as it is; an owned ACL that
// something microseg does not own still uses (`access-class`, another interface) is left too.

#include <string>
#include <string_view>
#include <vector>

#include "model/as_built.hpp"
#include "model/policy.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

// Commands typed together. After each step the device is in a state the proof checks, so a
// writer ends a step wherever the device's behaviour changes (on IOS every command that binds,
// moves or deletes something; on a transactional platform only the commit).
struct ChangeStep {
    std::string title;                  // "bind MS_IN_WORKSTATION_V1A2B on Vlan120"
    std::vector<std::string> commands;  // as typed at the device, in order
};

struct ChangeForm {
    std::vector<ChangeStep> steps;  // empty: the switch already holds the target
    // For the operator, printed with the plan: what the commands cannot do themselves
    // ("sessions of removed flows live on in conntrack").
    std::vector<std::string> notes;
    // Optional commands after the plan, outside the proof (nftables: `conntrack -D ...`).
    std::vector<std::string> optional_commands;
};

struct ChangeRequest {
    const Policy& policy;
    const Switch& sw;
    const ParsedConfig& current;    // what the switch runs, as its audit parser reads it
    // That running config's text as the platform prints it (plan/ passes the simulated device's
    // print of any text: no IOS ranges, Junos `set` lines only, the nft ruleset).
    std::string_view current_text;
    // Where to go, in device names (ChangeWriter::in_device_names): the intent, or for a
    // rollback the as-built of the config the plan started from.
    const SwitchIntent& target;
    // The whole file of the target: what compile writes for the switch, or for a rollback the
    // running config the plan started from (printed as current_text is). Writers that work on text (Junos statements, the
    // nft tables) read it; IOS-style writers read `target`.
    std::string_view target_text;
    bool rollback = false;  // target is a previous running config, not the intent
};

class ChangeWriter {
public:
    virtual ~ChangeWriter() = default;
    // `intent` with every ACL and filter named as this platform's files name it (the names its
    // emitter writes), so that it compares with a parsed config field by field.
    virtual SwitchIntent in_device_names(const SwitchIntent& intent, const Switch& sw) const = 0;
    // The commands from request.current to request.target.
    virtual ChangeForm write(const ChangeRequest& request) const = 0;
};

// The writer for a platform; every platform of the table has one (a missing one is a
// programming error: std::logic_error).
const ChangeWriter& change_writer_for(PlatformId platform);

}  // namespace microseg
