// nftables' change form (DESIGN "plan states"): the atomic table replace. One step, one `nft -f`
// transaction, typed as a here-document so no file has to be copied to the router first:
//   nft -f - <<'MICROSEG'
//   table inet microseg / delete table inet microseg / table inet microseg { ... }   (and bridge)
//   MICROSEG
// The emitted file already declares, deletes and declares again each table microseg owns, so
// the transaction replaces exactly those tables (a declared table exists, so the delete cannot
// fail) and nothing else; it is all or nothing, so the router holds the old tables or the new
// ones, never a mix. The rollback is the same form with the tables the router ran before.
//
// Sessions the old tables let in stay in conntrack, and `ct state established,related accept`
// keeps passing them until they time out: the plan says so and gives `conntrack -D` for each
// flow the target no longer permits, as optional commands outside the proof.
//
// Sources: nft(8) "INPUT FILE FORMATS" (-f -: standard input; a file is one transaction) and
// the nftables wiki "Atomic rule replacement"; bash(1) "Here Documents" (a quoted delimiter:
// no expansion of `$` in the file); conntrack(8) of conntrack 1.4.7 (Debian 12) "FILTER
// PARAMETERS": -s/-d take CIDR notation, which implies --mask-src/--mask-dst, masks being
// accepted with -D; -p PROTO; --dport takes one PORT (no range); -f ipv6 names the family. It
// exits 1 with "0 flow entries have been deleted" when nothing matched.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emitters/change_form.hpp"
#include "emitters/nftables_ruleset.hpp"
#include "model/acl_diff.hpp"
#include "model/infrastructure_acl.hpp"

namespace microseg {
namespace {

bool same_owned_tables(const NftRuleset& a, const NftRuleset& b) {
    for (const auto& family : microseg_table_families()) {
        const NftTable* ta = a.find(family, "microseg");
        const NftTable* tb = b.find(family, "microseg");
        if (!ta != !tb) return false;
        if (ta && ta->normalised_body() != tb->normalised_body()) return false;
    }
    return true;
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = std::min(text.size(), text.find('\n', start));
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.emplace_back(line);
        start = end + 1;
    }
    return out;
}

// The file that puts back `original`'s microseg tables: each declared (so that the delete
// cannot fail) and deleted, then its old text when it had one.
std::vector<std::string> restore_file(const NftRuleset& original) {
    std::vector<std::string> out{"# microseg rollback: the microseg tables as the router ran them"};
    for (const auto& family : microseg_table_families()) {
        out.push_back(fmt::format("table {} microseg", family));
        out.push_back(fmt::format("delete table {} microseg", family));
        if (const NftTable* t = original.find(family, "microseg")) {
            auto lines = lines_of(t->text());
            out.insert(out.end(), lines.begin(), lines.end());
        }
    }
    return out;
}

// A here-document delimiter that no line of the file is.
std::string delimiter_for(const std::vector<std::string>& file) {
    std::string marker = "MICROSEG";
    for (int n = 2; std::find(file.begin(), file.end(), marker) != file.end(); ++n) marker = fmt::format("MICROSEG_{}", n);
    return marker;
}

ChangeStep transaction_step(std::string title, const std::vector<std::string>& file) {
    auto marker = delimiter_for(file);
    ChangeStep step{std::move(title), {fmt::format("nft -f - <<'{}'", marker)}};
    step.commands.insert(step.commands.end(), file.begin(), file.end());
    step.commands.push_back(marker);
    return step;
}

const std::vector<AclEntry>* forward_list(const SwitchIntent& s) {
    for (const auto& svi : s.svis)
        if (svi.vlan == 0 && svi.acl.name == "forward") return &svi.acl.entries;
    return nullptr;
}

// What the emitted forward chain permits, as one first-match list: the source chains in the
// order the emitter dispatches them (most specific prefix first, each ending in a drop), an
// address of a class without a chain, or of the internal space, dropped at its own prefix.
std::vector<AclEntry> intended_forward_list(const Policy& policy, const Switch& sw) {
    struct Block {
        Cidr source;
        std::vector<AclEntry> entries;
    };
    std::vector<Block> blocks;
    for (const auto& c : policy.classes()) {
        auto entries = router_forward_entries(policy, sw, c);
        for (const auto& p : c.addresses.cidrs()) {
            Block b{p, {}};
            for (const auto& e : entries)
                if (p.contains(e.source)) b.entries.push_back(e);
            blocks.push_back(std::move(b));
        }
    }
    for (const auto& p : policy.internal_space()) blocks.push_back({p, {}});
    std::stable_sort(blocks.begin(), blocks.end(),
                     [](const Block& a, const Block& b) { return a.source.prefix_len > b.source.prefix_len; });
    std::vector<AclEntry> out;
    for (auto& b : blocks) {
        out.insert(out.end(), b.entries.begin(), b.entries.end());
        AclEntry drop;
        drop.action = AclAction::deny;
        drop.source = b.source;
        drop.destination = Cidr{IpAddress{b.source.network.family, 0}, 0};
        out.push_back(drop);
    }
    return out;
}

// `conntrack -D` for the sessions of `e` (to `port` when given); empty when it would name no
// address and no protocol, which deletes every session of the router.
std::string conntrack_delete(const AclEntry& e, std::optional<std::uint16_t> port) {
    const bool v6 = e.source.network.family == IpFamily::v6;
    std::vector<std::string> filters;
    if (e.source.prefix_len > 0) filters.push_back(fmt::format("-s {}", e.source));
    if (e.destination.prefix_len > 0) filters.push_back(fmt::format("-d {}", e.destination));
    if (e.protocol == Protocol::tcp || e.protocol == Protocol::udp) {
        filters.push_back(fmt::format("-p {}", e.protocol));
        if (port) filters.push_back(fmt::format("--dport {}", *port));
    } else if (e.protocol == Protocol::icmp) {
        filters.push_back(v6 ? "-p icmpv6" : "-p icmp");
    }
    if (filters.empty()) return {};
    return fmt::format("conntrack -D{} {}", v6 ? " -f ipv6" : "", fmt::join(filters, " "));
}

// --dport takes one port: a range of up to this many is one command per port it loses.
constexpr int kPortsPerEntry = 16;

// The sessions `current` lets in that `target` would refuse, one command per removed entry
// (per removed port of a small range); a wider range is deleted whole, which at worst ends a
// permitted session that conntrack then picks up again as new under the new tables.
std::vector<std::string> conntrack_commands(const std::vector<AclEntry>& target, const std::vector<AclEntry>& current) {
    std::vector<std::string> out;
    for (const auto& d : compare_acls(target, current).differences) {
        if (d.kind != AclDifferenceKind::exposure || d.live_entry >= current.size()) continue;
        const AclEntry& e = current[d.live_entry];
        const PortRange& ports = e.destination_ports;
        const bool has_ports = e.protocol == Protocol::tcp || e.protocol == Protocol::udp;
        if (!has_ports || ports.last - ports.first >= kPortsPerEntry) {
            out.push_back(conntrack_delete(e, has_ports && ports.is_single() ? std::optional(ports.first) : std::nullopt));
            continue;
        }
        for (int p = ports.first; p <= ports.last; ++p) {
            Packet probe = d.example;
            probe.destination_port = static_cast<std::uint16_t>(p);
            if (!acl_permits(target, probe)) out.push_back(conntrack_delete(e, static_cast<std::uint16_t>(p)));
        }
    }
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

class NftablesChangeWriter final : public ChangeWriter {
public:
    // The router's filter reads back as as-built SVI 0, ACL "forward" (audit/parse/nftables), and
    // router drift compares it per class with the policy (audit/drift/drift_router.cpp), not
    // by name: the intent needs no renaming.
    SwitchIntent in_device_names(const SwitchIntent& intent, const Switch&) const override { return intent; }

    ChangeForm write(const ChangeRequest& r) const override {
        auto current = read_nft_ruleset(r.current_text);
        auto target = read_nft_ruleset(r.target_text);
        if (current && target && same_owned_tables(*current, *target)) return {};
        ChangeForm form;
        if (r.rollback && !target) {
            form.notes.push_back("the ruleset the plan started from could not be read as nft: no rollback is written");
            return form;
        }
        form.steps.push_back(r.rollback ? transaction_step("restore the microseg tables in one nft transaction",
                                                            restore_file(*target))
                                        : transaction_step("replace the microseg tables in one nft transaction",
                                                            lines_of(r.target_text)));
        add_conntrack(form, r);
        return form;
    }

private:
    static void add_conntrack(ChangeForm& form, const ChangeRequest& r) {
        const auto* now = forward_list(r.current.as_built);
        if (!now) return;
        std::vector<AclEntry> after;
        if (!r.rollback) after = intended_forward_list(r.policy, r.sw);
        else if (const auto* before = forward_list(r.target)) after = *before;
        else return;  // the router ran no forward filter: nothing it lets in is removed
        form.optional_commands = conntrack_commands(after, *now);
        if (form.optional_commands.empty()) return;
        form.notes.push_back(
            "sessions of removed flows live on in conntrack until they time out (`ct state established,related "
            "accept` still passes them); the optional `conntrack -D` commands (Debian package conntrack) end them, "
            "and each says \"0 flow entries have been deleted\" and exits 1 when none was open");
    }
};

}  // namespace

const ChangeWriter& nftables_change_writer() {
    static const NftablesChangeWriter w;
    return w;
}

}  // namespace microseg
