#pragma once
// Internal to importers/mud_*.cpp: one ACE of a MUD file read into the conversation it allows.
// An ACE whose meaning the policy language cannot hold exactly is left out with a warning:
// dropping a constraint would allow more than the manufacturer asked for.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "importers/mud.hpp"

namespace microseg::mud::detail {

// Who the device talks to, before the map turns it into a class.
struct PeerRef {
    std::string section;  // a MudMap section: controller, dnsname, network...
    std::string key;      // the key looked up in that section
    std::string path;     // JSON path of the match that named it
};

struct AceContext {
    std::string file;
    std::string mud_url;
    std::string authority;    // host of the MUD URL: the manufacturer, for same-manufacturer
    bool from_device_policy;  // the ACL is listed under from-device-policy
    Diagnostics* diagnostics;
};

struct AceReading {
    bool from_device = true;  // who opens the conversation
    ServicePort port;
    PeerRef peer;
};

// The conversation `ace` allows, or nullopt after a warning saying why it is left out.
// A structural error (a required field missing or of the wrong type) is returned as an error.
Result<std::optional<AceReading>> read_ace(const nlohmann::json& ace, const std::string& path,
                                           const AceContext& context);

// `file`: `path`: message, as a located warning.
void warn(const AceContext& context, const std::string& path, const std::string& kind, const std::string& message);

// The host of a URL ("https://lighting.example.com/x" -> "lighting.example.com").
std::string url_authority(const std::string& url);

}  // namespace microseg::mud::detail
