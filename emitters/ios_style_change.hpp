#pragma once
// The IOS-style change writer shared by Cisco IOS-XE and Arista EOS (emitters/change_form.hpp),
// and the block structure of their running configs, which the writer reads for what the audit
// parser does not keep (who else references an ACL, a port's description) and the simulated
// devices of plan/device_ios_style.cpp edit.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "emitters/change_form.hpp"
#include "emitters/ios_style.hpp"
#include "model/fnv_hash.hpp"

namespace microseg {

// A top-level line of a running config and the indented lines under it, as printed (without
// line breaks). A `!` line at column 0 is a block of its own; so is each line of a banner.
struct IosTextBlock {
    std::vector<std::string> lines;  // lines[0] is the top-level line
    const std::string& head() const { return lines.front(); }
};
std::vector<IosTextBlock> split_ios_text_blocks(std::string_view text);

// The words of a line, split at spaces and tabs.
std::vector<std::string> ios_words(std::string_view line);

// "110,120-125" -> ids (sorted, unique); "none" -> empty; "all" -> 1-4094; nullopt if malformed.
std::optional<std::vector<int>> parse_vlan_ids(std::string_view list);

// The interface names an `interface ...` line's words name (after "interface" and an IOS
// "range"), each in the platform's canonical spelling; empty when they do not read.
std::vector<std::string> interface_names_of(PlatformId platform, const std::vector<std::string>& words);

// What differs between IOS-XE and EOS for the writer.
struct IosChangeDialect {
    IosDialect syntax;           // notation and ACL command (range_header and isolated_port_lines unused)
    bool eos = false;            // EOS: one configure session with commit timer; IOS: a state per command
    bool protected_ports = false;  // IOS: isolated ports also get `switchport protected`
};

SwitchIntent ios_style_device_names(const SwitchIntent& intent);
ChangeForm write_ios_style_change(const ChangeRequest& request, const IosChangeDialect& dialect);

// The writer's parts, shared by its two files (ios_style_change.cpp decides what changes,
// ios_style_change_steps.cpp orders it into steps).
namespace ios_change {

bool starts_with_word(const std::vector<std::string>& words, std::initializer_list<std::string_view> prefix);
std::optional<std::vector<std::string>> child_line(const IosTextBlock* block, std::initializer_list<std::string_view> prefix);

class Writer {
public:
    Writer(const ChangeRequest& request, const IosChangeDialect& dialect);
    ChangeForm run();

private:
    struct Reference {
        std::size_t block, line;
    };
    struct Definition {
        std::string name;
        std::vector<std::string> commands;
        bool exists = false;  // defined in the running config (EOS replaces it in place)
    };
    // Deciding (ios_style_change.cpp).
    std::string canonical(std::string_view name) const;
    const IosTextBlock* block_of(const std::string& canonical_name) const;
    const IosTextBlock* original_block(const std::string& canonical_name) const;
    std::string inbound_acl(const std::string& canonical_name) const;
    bool equivalent(const std::string& live_name, const std::vector<AclEntry>& entries) const;
    bool defined(const std::string& name) const;
    std::vector<Reference> references(const std::string& acl) const;
    bool referenced(const std::string& acl) const;
    std::string isolation_acl_of(const AccessPortIntent& port) const;
    std::map<std::string, std::vector<std::string>> sites() const;
    std::vector<const Acl*> target_acls() const;
    std::string fresh_name(const Acl& acl) const;
    std::vector<std::string> definition(const std::string& name, const std::vector<AclEntry>& entries) const;
    void plan_acls();
    std::string bound_after(const std::string& site) const;
    ChangeForm finish();
    // Ordering (ios_style_change_steps.cpp).
    void plan_unbinds();
    void vlan_step();
    void definition_steps();
    void svi_steps();
    void free_subnets(const SviIntent& svi);
    void svi_update(const SviIntent& svi, const SviIntent* live);
    std::string address_line(const SviAddress& a, bool secondary) const;
    void trunk_steps(bool adding);
    std::vector<std::string> port_commands(const AccessPortIntent& port);
    void access_port_steps();
    bool owned_svi(const SviIntent& svi) const;
    void svi_removal_steps();
    void acl_deletion_step();
    void vlan_removal_step();

    const ChangeRequest& r_;
    const IosChangeDialect& d_;
    PlatformId platform_;
    std::vector<IosTextBlock> blocks_;                     // of the running config
    std::map<std::string, std::size_t> interfaces_;       // canonical name -> block
    std::map<std::string, IosTextBlock> original_;        // rollback: the target's interface blocks
    std::map<std::string, const std::vector<AclEntry>*> known_;  // running ACLs fully read, by name
    std::map<std::string, const AccessPortIntent*> live_ports_;  // running access ports, by canonical name
    std::set<std::string> planned_names_;                 // definitions the plan types
    std::vector<Definition> definitions_;
    std::map<std::string, std::string> rebind_;           // site -> ACL bound inbound after ("" none)
    std::set<int> removed_svis_;                           // SVIs the plan deletes
    std::vector<ChangeStep> steps_;
    std::vector<std::string> notes_;
};

}  // namespace ios_change

}  // namespace microseg
