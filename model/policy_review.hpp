#pragma once
// What a policy change does to lateral movement: the (from, to, service) initiations it adds and
// removes (explicit flows, and implicit ones from VLAN or isolate changes), the lateral paths
// (entry class -> protected class) it opens and closes, and the change in each entry class's
// blast radius. Classes are matched by name across the two policies.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/lateral_paths.hpp"

namespace microseg {

struct EdgeChange {
    std::string from;
    std::string to;
    std::string service;  // "any" for implicit edges
    EdgeKind kind = EdgeKind::explicit_flow;
    std::size_t flow = kNoFlow;  // in the policy that has the edge (new for added, old for removed)
    int vlan = 0;
};

struct PathChange {
    std::string from;
    std::string to;
    ClassPath path;  // the shortest path, in the graph that has it (new if opened, old if closed)
};

struct RadiusChange {
    std::string entry;
    std::optional<BlastRadius> before;  // none: not an entry class (or absent) before
    std::optional<BlastRadius> after;   // none: not an entry class (or absent) after
};

struct PolicyReview {
    std::vector<EdgeChange> added;    // sorted by (from, to, service)
    std::vector<EdgeChange> removed;
    std::vector<PathChange> opened;   // sorted by (from, to)
    std::vector<PathChange> closed;
    std::vector<RadiusChange> radius;  // only entry classes whose radius changed, sorted by name

    bool empty() const {
        return added.empty() && removed.empty() && opened.empty() && closed.empty() && radius.empty();
    }
    // The change opens a path from an entry class to a protected class.
    bool opens_path() const { return !opened.empty(); }
};

PolicyReview review_policies(const ReachabilityGraph& before, const ReachabilityGraph& after);

}  // namespace microseg
