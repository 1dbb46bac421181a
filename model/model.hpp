#pragma once
// model/: the vendor-neutral model every other folder speaks. It owns services and address
// sets, device classes, VLANs, flows, switches and the platform table, and (in later files)
// the reachability graph and its analyses. It depends on nothing but the standard library,
// Boost and fmt: never on yaml-cpp, libssh or CLI11.

#include "model/diagnostic.hpp"
#include "model/interface_range.hpp"
#include "model/ip.hpp"
#include "model/platform.hpp"
#include "model/policy.hpp"
#include "model/service.hpp"
