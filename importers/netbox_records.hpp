#pragma once
// The parts of NetBox's API objects the import uses, read out of the JSON once (netbox_read.cpp)
// so that placing them (netbox_import.cpp) never meets a missing field: a field the import
// needs and does not find is an error naming the file and its JSON path.

#include <optional>
#include <string>
#include <vector>

#include "importers/netbox.hpp"

namespace microseg::importers {

struct NbDevice {
    long long id = 0;
    std::string name;      // NetBox allows an unnamed device: "device-<id>" then
    std::string role;      // slug of `role` (4.x) or `device_role` (3.x)
    std::string platform;  // slug, "" when none
    std::vector<std::string> tags;
};

struct NbVlanRef {
    long long id = 0;
    int vid = 0;
    std::string name;
};

struct NbPrefix {
    long long id = 0;
    std::string prefix;
    std::optional<NbVlanRef> vlan;
    std::string role;  // slug, "" when none
    std::vector<std::string> tags;
};

struct NbVlan {
    long long id = 0;
    int vid = 0;
    std::string name;
    std::string role;
    std::vector<std::string> tags;
};

struct NbInterface {
    long long id = 0;
    long long device_id = 0;
    std::string device_name;
    std::string name;
    std::string mode;  // "access", "tagged", "tagged-all", "" when none
    std::string type;  // e.g. "virtual" for an SVI
    std::optional<int> untagged_vid;
    std::vector<int> tagged_vids;
};

struct NetboxRecords {
    std::vector<NbDevice> devices;
    std::vector<NbPrefix> prefixes;
    std::vector<NbVlan> vlans;
    std::vector<NbInterface> interfaces;
    std::vector<std::string> notes;
};

Result<NetboxRecords> read_netbox_records(const NetboxFiles& files);

}  // namespace microseg::importers
