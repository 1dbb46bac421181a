#pragma once
// `--save DIR`: keeps each fetched configuration as `<DIR>/<switch>.<ext>`, redacted
// (audit/parse/redact.hpp), mode 0600, written atomically. Only a complete fetch is saved, so an
// incomplete or truncated pull never replaces the last good copy (RANCID's rule).
//
// The redaction key: MICROSEG_REDACT_KEY when set (any text, through key_from_text), else 16
// random bytes in ~/.config/microseg/redact.key, created 0600 on first use. The same key
// gives the same markers across runs, so a changed secret shows as a changed line between
// two saved copies; the key file must stay private (a group- or world-readable key file is
// refused), and deleting it makes the next run's markers differ from all earlier ones.

#include <string>

#include "audit/fetch/config_source.hpp"
#include "audit/parse/keyed_hash.hpp"
#include "model/diagnostic.hpp"

namespace microseg {

// $HOME/.config/microseg/redact.key ("" without HOME).
std::string default_redaction_key_path();

// The key file at `path`: read when present (exactly 16 bytes, not readable by others),
// created with fresh random bytes, mode 0600, when absent.
Result<HashKey> load_or_create_key_file(const std::string& path);

// MICROSEG_REDACT_KEY, else the default key file.
Result<HashKey> load_redaction_key();

class ConfigStore {
public:
    ConfigStore(std::string dir, HashKey key) : dir_(std::move(dir)), key_(key) {}

    // Redacts and writes one complete config; returns the path written.
    Result<std::string> save(const FetchTarget& target, const FetchedConfig& config) const;
    // Saves `result` when it is a complete config; returns false, touching nothing, when not.
    Result<bool> save_if_complete(const FetchTarget& target, const FetchResult& result) const;

private:
    std::string dir_;
    HashKey key_;
};

}  // namespace microseg
