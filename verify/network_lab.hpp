#pragma once
// Builds a NetworkPlan (network_plan.hpp) on the machine and loads every switch's filter:
// an nftables router's file unchanged, an IOS/EOS/Junos switch's emulation (emulation.hpp).
// Only namespaces are created in the host's global state, all named with the plan's prefix
// and registered for the Ctrl-C clean-up; every interface and nft table lives inside them, so
// deleting the namespaces removes everything. The destructor tears down unless keep().

#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "verify/network_plan.hpp"

namespace microseg::verify {

class NetworkLab {
public:
    explicit NetworkLab(NetworkPlan plan) : plan_(std::move(plan)) {}
    ~NetworkLab();
    NetworkLab(const NetworkLab&) = delete;
    NetworkLab& operator=(const NetworkLab&) = delete;

    // Namespaces, links, addresses, routes, and then each switch's filter from its file.
    Result<bool> build(const std::vector<ShippedFile>& files);
    void keep() { keep_ = true; }
    void teardown();
    const NetworkPlan& plan() const { return plan_; }
    std::string how_to_enter(const std::vector<ShippedFile>& files) const;

private:
    Result<bool> load_filter(const LabNode& node, const ShippedFile& file);
    Result<bool> wait_for_carrier();
    NetworkPlan plan_;
    std::vector<std::string> created_;
    bool keep_ = false;
};

}  // namespace microseg::verify
