#pragma once
// The access ports of an IOS-style config (audit/parse/ios/ios_style_parser.cpp), gathered a range at a
// time while the config is read and written to as_built at the end, each name built once.

#include <string>
#include <vector>

#include "model/interface_range.hpp"
#include "model/switch_intent.hpp"

namespace microseg {

class IosPortList {
public:
    IosPortList();  // uses the thread's storage of the last parse: one parse at a time per thread
    ~IosPortList();
    IosPortList(const IosPortList&) = delete;
    IosPortList& operator=(const IosPortList&) = delete;

    // Every member of `names` is an access port in `vlan`, defined at `line`.
    void add(const InterfaceSpan& names, int vlan, bool isolated, int line);
    // The spans added so far; set_isolated(i) marks every port of the i-th isolated.
    std::size_t span_count() const;
    void set_isolated(std::size_t span);
    // The ports in interface_less order (as std::sort would leave them), with their lines.
    void finish(std::vector<AccessPortIntent>& ports, std::vector<int>& lines);

    struct Storage;

private:
    Storage& s_;
};

}  // namespace microseg
