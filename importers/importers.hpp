#pragma once
// importers/: bootstrapping a policy from what exists (issue 23). Readers of other systems'
// data that write policy text: RFC 8520 MUD files (mud.hpp, and the way back: a class as a MUD
// file) and NetBox's REST API JSON (netbox.hpp). JSON is read with nlohmann-json; every
// problem is a located diagnostic (file, and the JSON path), never a partial output.
