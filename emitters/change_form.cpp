#include "emitters/change_form.hpp"

namespace microseg {

// Each defined in its emitters/<platform>_change.cpp.
const ChangeWriter& cisco_ios_change_writer();
const ChangeWriter& arista_eos_change_writer();
const ChangeWriter& junos_change_writer();
const ChangeWriter& nftables_change_writer();

namespace {

using WriterGetter = const ChangeWriter& (*)();

// A platform added to model/platform.cpp needs a line here (tests/platform_table_test.cpp).
const PlatformEntry<WriterGetter> kRegistry[] = {
    {PlatformId::cisco_ios, cisco_ios_change_writer},
    {PlatformId::arista_eos, arista_eos_change_writer},
    {PlatformId::junos, junos_change_writer},
    {PlatformId::nftables, nftables_change_writer},
};

}  // namespace

const ChangeWriter& change_writer_for(PlatformId platform) {
    return platform_entry(kRegistry, platform, "change writer")();
}

}  // namespace microseg
