// A Linux router as `plan` drives it: shell commands typed by an operator. `nft -f - <<'EOF'`
// ... `EOF` (a here-document, any marker, quoted or not) applies the lines between as one nft
// transaction (emitters/nftables_ruleset.hpp: all or nothing); `nft` with a statement on its
// command line (`nft delete table inet microseg`, `nft 'flush ruleset'`) applies that one
// statement; `nft list ...` and `conntrack ...` change nothing in the ruleset. Anything else is
// refused, so a plan can only pass the proof with commands the simulation understands.
// Sources: nft(8) "INPUT FILE FORMATS" (`-f -` reads standard input) and bash(1) "Here
// Documents" (a quoted word: no expansion; the delimiter line is the word alone).
#include <fmt/format.h>

#include "emitters/nftables_ruleset.hpp"
#include "plan/device.hpp"

namespace microseg {
namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string unquoted(std::string_view word) {
    std::string out;
    for (char c : word)
        if (c != '\'' && c != '"') out += c;
    return out;
}

// The marker of `nft -f - <<'EOF'` / `nft -f /dev/stdin <<EOF`; nullopt when `line` is not one.
std::optional<std::string> heredoc_marker(std::string_view line) {
    auto at = line.find("<<");
    if (at == std::string_view::npos) return std::nullopt;
    auto head = trimmed(line.substr(0, at));
    if (head != "nft -f -" && head != "nft -f /dev/stdin") return std::nullopt;
    auto marker = unquoted(trimmed(line.substr(at + 2)));
    if (marker.empty() || marker.find_first_of(" \t;|&") != std::string::npos) return std::nullopt;
    return marker;
}

class NftablesDevice final : public SimulatedDevice {
public:
    explicit NftablesDevice(NftRuleset ruleset) : ruleset_(std::move(ruleset)) {}
    // A text nft would refuse: it is kept as it is and every command is refused with why.
    NftablesDevice(std::string text, std::string why) : unreadable_text_(std::move(text)), unreadable_(std::move(why)) {}

    std::optional<Diagnostic> type(const std::vector<std::string>& commands) override {
        if (!unreadable_.empty())
            return make_error(fmt::format("the running ruleset could not be read, so nothing is typed: {}", unreadable_));
        for (const auto& raw : commands) {
            if (auto refused = type_line(raw)) return refused;
        }
        return std::nullopt;
    }

    std::string running_config() const override { return unreadable_.empty() ? ruleset_.print() : unreadable_text_; }

private:
    std::optional<Diagnostic> type_line(std::string_view raw) {
        if (marker_) {
            if (raw == *marker_) return end_heredoc();
            file_ += raw;
            file_ += '\n';
            return std::nullopt;
        }
        auto line = trimmed(raw);
        if (line.starts_with("sudo ")) line = trimmed(line.substr(5));
        if (line.empty() || line.starts_with('#')) return std::nullopt;
        if (auto marker = heredoc_marker(line)) {
            marker_ = *marker;
            file_.clear();
            return std::nullopt;
        }
        if (line == "conntrack" || line.starts_with("conntrack ")) return std::nullopt;  // sessions, not rules
        if (line.starts_with("nft list ")) return std::nullopt;
        if (line.starts_with("nft ") && line.find(" -f") == std::string_view::npos) {
            auto statement = unquoted(trimmed(line.substr(4)));
            return refusal(raw, ruleset_.apply(statement));
        }
        return make_error(fmt::format("'{}': not a command the simulated router runs (nft -f - <<'EOF' ... "
                                      "EOF, nft STATEMENT, conntrack)",
                                      line));
    }

    std::optional<Diagnostic> end_heredoc() {
        marker_.reset();
        auto refused = ruleset_.apply(file_);
        file_.clear();
        return refusal("nft -f -", refused);
    }

    static std::optional<Diagnostic> refusal(std::string_view command, const std::optional<std::string>& error) {
        if (!error) return std::nullopt;
        return make_error(fmt::format("'{}' refused, nothing applied: {}", trimmed(command), *error));
    }

    NftRuleset ruleset_;
    std::string unreadable_text_, unreadable_;
    std::optional<std::string> marker_;  // inside a here-document until this line
    std::string file_;                   // its lines so far
};

}  // namespace

std::unique_ptr<SimulatedDevice> simulated_nftables(std::string_view running_text) {
    NftRuleset ruleset;
    if (auto refused = ruleset.apply(running_text))
        return std::make_unique<NftablesDevice>(std::string(running_text), *refused);
    return std::make_unique<NftablesDevice>(std::move(ruleset));
}

}  // namespace microseg
