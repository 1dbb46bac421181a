#pragma once
// An nftables ruleset as text, table by table: what `nft list ruleset` prints and what an
// `nft -f` file does to it. The change writer (emitters/nftables_change.cpp) compares the
// tables microseg owns; the simulated router (plan/device_nftables.cpp) holds one and applies
// files to it. Tables are found by brace matching (braces in comments and quoted strings do
// not count); what is inside a table is kept as its lines, so a table nothing touches prints
// back byte for byte.
//
// nft(8): `nft -f` reads a file as one transaction, all or nothing; `table F N` (or `add
// table`) declares a table, creating it empty when missing; `delete table F N` of a missing
// table fails the file ("Error: Could not process rule: No such file or directory");
// `destroy table` does not; a family left out is `ip`. nft lists tables in the order they were
// created, so a table deleted and declared again lists last.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microseg {

struct NftTable {
    std::string family;
    std::string name;
    std::string header;               // "table inet filter {" as printed
    std::vector<std::string> body;    // the lines between the header and the closing brace
    std::string text() const;         // header, body, "}" (no trailing newline)
    // The body with comments and blank lines dropped and runs of blanks made one: two tables
    // with the same normalised body hold the same rules, however they are laid out.
    std::vector<std::string> normalised_body() const;
};

class NftRuleset {
public:
    // Applies `file` as one nft transaction: on an error nothing changes and the error is
    // nft's message with the statement it refused.
    std::optional<std::string> apply(std::string_view file);
    // As `nft list ruleset` prints it: every table, in order.
    std::string print() const;
    const NftTable* find(std::string_view family, std::string_view name) const;
    const std::vector<NftTable>& tables() const { return tables_; }

private:
    std::vector<NftTable> tables_;
};

// The ruleset a text holds: `nft list ruleset` output or an `nft -f` file applied to nothing.
// nullopt when nft would refuse the text.
std::optional<NftRuleset> read_nft_ruleset(std::string_view text);

// The families of the tables microseg owns, each named "microseg" (DESIGN "What microseg owns").
const std::vector<std::string>& microseg_table_families();

}  // namespace microseg
