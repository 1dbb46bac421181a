// The only file that includes libssh. See ssh_source.hpp for the safety rules it enforces.

#include "audit/fetch/ssh_source.hpp"

#include "audit/fetch/terminal.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include <libssh/libssh.h>

namespace microseg {
namespace {

using Clock = std::chrono::steady_clock;

struct SessionCloser {
    void operator()(ssh_session s) const {
        ssh_disconnect(s);
        ssh_free(s);
    }
};
using Session = std::unique_ptr<ssh_session_struct, SessionCloser>;

struct ChannelCloser {
    void operator()(ssh_channel c) const {
        if (ssh_channel_is_open(c)) ssh_channel_close(c);
        ssh_channel_free(c);
    }
};
using Channel = std::unique_ptr<ssh_channel_struct, ChannelCloser>;

struct KeyFree {
    void operator()(ssh_key k) const { ssh_key_free(k); }
};

NotAudited fail(NotAuditedKind kind, std::string reason) { return NotAudited{kind, std::move(reason)}; }

std::string where(const FetchTarget& t) { return fmt::format("{}:{}", t.address, t.port); }

// ---- reading with absolute deadlines ------------------------------------------------------

enum class ReadStatus { data, eof, timeout, error, too_large };

// Waits for data up to `deadline`. ssh_channel_read_timeout() returns 0 both on timeout and
// at end of file, so this polls in short slices and asks ssh_channel_is_eof() which it was.
// At most this much of a command's stderr is kept: its end, where the error is.
constexpr std::size_t kStderrTail = 4096;

// Appends what stderr holds now to `err`, keeping only its last kStderrTail bytes. Returns
// false when there was nothing.
bool drain_stderr(ssh_channel ch, std::string& err) {
    char buf[4096];
    int n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, 1);
    if (n <= 0) return false;
    err.append(buf, static_cast<std::size_t>(n));
    if (err.size() > kStderrTail) err.erase(0, err.size() - kStderrTail);
    return true;
}

ReadStatus read_some(ssh_channel ch, Clock::time_point deadline, std::string& out, std::string* err = nullptr) {
    char buf[16384];
    while (true) {
        if (err) drain_stderr(ch, *err);  // so a chatty command cannot stall on a full window
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return ReadStatus::timeout;
        int slice = static_cast<int>(std::min<long long>(left.count(), 100));
        int avail = ssh_channel_poll_timeout(ch, slice, 0);
        if (avail == SSH_ERROR) return ReadStatus::error;
        if (avail > 0) {
            int n = ssh_channel_read_nonblocking(ch, buf, static_cast<std::uint32_t>(std::min<int>(avail, sizeof buf)), 0);
            if (n < 0) return ReadStatus::error;
            out.append(buf, static_cast<std::size_t>(n));
            if (n > 0) return ReadStatus::data;
        }
        if (avail == SSH_EOF || ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch)) return ReadStatus::eof;
    }
}

std::string last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    auto nl = text.rfind('\n');
    return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

NotAudited read_failure(ReadStatus st, std::string_view during, std::chrono::milliseconds budget) {
    if (st == ReadStatus::too_large)
        return fail(NotAuditedKind::too_large, fmt::format("the answer to '{}' passed the --max-bytes cap; reading stopped", during));
    if (st == ReadStatus::timeout)
        return fail(NotAuditedKind::timeout,
                    fmt::format("no complete answer to '{}' within {} ms", during, budget.count()));
    return fail(NotAuditedKind::truncated, fmt::format("connection closed during '{}' before the output was complete", during));
}

// ---- one device -----------------------------------------------------------------------------

class Fetch {
public:
    Fetch(SshSource& source, const FetchTarget& target)
        : src_(source), opt_(source.options()), t_(target), plat_(platform(target.platform)),
          command_(target.content == FetchContent::mac_table ? plat_.mac_table_command : plat_.config_command),
          device_deadline_(Clock::now() + opt_.device_timeout) {}

    FetchResult run() {
        if (auto e = connect()) return *e;
        if (auto e = check_host_key()) return *e;
        if (auto e = authenticate()) return *e;
        auto r = plat_.fetch_mode == FetchMode::exec ? run_exec() : run_shell();
        if (r.ok()) r.config().notes.insert(r.config().notes.begin(), notes_.begin(), notes_.end());
        return r;
    }

private:
    std::optional<NotAudited> connect() {
        s_.reset(ssh_new());
        if (!s_) return fail(NotAuditedKind::connect_failed, "cannot create an SSH session");
        ssh_session s = s_.get();
        bool process_config = false;  // never read ~/.ssh/config: see PITFALLS.md
        int port = t_.port;
        long sec = static_cast<long>(opt_.connect_timeout.count() / 1000);
        long usec = static_cast<long>(opt_.connect_timeout.count() % 1000) * 1000;
        std::string user = t_.user.empty() ? opt_.default_user : t_.user;
        bool ok = ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &process_config) == 0 &&
                  ssh_options_set(s, SSH_OPTIONS_HOST, t_.address.c_str()) == 0 &&
                  ssh_options_set(s, SSH_OPTIONS_PORT, &port) == 0 &&
                  ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, opt_.known_hosts.c_str()) == 0 &&
                  ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") == 0 &&
                  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &sec) == 0 &&
                  ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &usec) == 0 &&
                  (user.empty() || ssh_options_set(s, SSH_OPTIONS_USER, user.c_str()) == 0);
        if (!ok) return fail(NotAuditedKind::connect_failed, fmt::format("bad SSH options: {}", ssh_get_error(s)));
        if (opt_.known_hosts.empty())
            return fail(NotAuditedKind::unknown_host_key, "no known_hosts file given (set --known-hosts or HOME)");
        if (ssh_connect(s) != SSH_OK)
            return fail(NotAuditedKind::connect_failed, fmt::format("cannot connect to {}: {}", where(t_), ssh_get_error(s)));
        return std::nullopt;
    }

    std::string fingerprint() {
        ssh_key raw = nullptr;
        if (ssh_get_server_publickey(s_.get(), &raw) != SSH_OK) return "(no key)";
        std::unique_ptr<ssh_key_struct, KeyFree> key(raw);
        unsigned char* hash = nullptr;
        std::size_t len = 0;
        if (ssh_get_publickey_hash(raw, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != 0) return "(no hash)";
        char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
        ssh_clean_pubkey_hash(&hash);
        std::string out = text ? text : "(no hash)";
        ssh_string_free_char(text);
        return fmt::format("{} {}", ssh_key_type_to_char(ssh_key_type(raw)), out);
    }

    // Before any credential leaves the process: a changed key may be an interceptor.
    std::optional<NotAudited> check_host_key() {
        std::lock_guard lock(src_.known_hosts_mutex());
        std::string fp = fingerprint();
        switch (ssh_session_is_known_server(s_.get())) {
            case SSH_KNOWN_HOSTS_OK: return std::nullopt;
            case SSH_KNOWN_HOSTS_CHANGED:
            case SSH_KNOWN_HOSTS_OTHER:
                return fail(NotAuditedKind::changed_host_key,
                            fmt::format("host key of {} ({}) does not match {}: possible interception; "
                                        "a changed key is never accepted, remove the old entry only after checking",
                                        where(t_), fp, opt_.known_hosts));
            case SSH_KNOWN_HOSTS_UNKNOWN:
            case SSH_KNOWN_HOSTS_NOT_FOUND:
                if (!opt_.accept_new)
                    return fail(NotAuditedKind::unknown_host_key,
                                fmt::format("host key of {} ({}) is not in {}; verify it, then use --accept-new to record it",
                                            where(t_), fp, opt_.known_hosts));
                if (ssh_session_update_known_hosts(s_.get()) != SSH_OK)
                    return fail(NotAuditedKind::io_error, fmt::format("cannot record the host key in {}: {}",
                                                                      opt_.known_hosts, ssh_get_error(s_.get())));
                notes_.push_back(fmt::format("accepted and recorded new host key {} for {} in {}", fp, where(t_), opt_.known_hosts));
                return std::nullopt;
            case SSH_KNOWN_HOSTS_ERROR: break;
        }
        return fail(NotAuditedKind::io_error, fmt::format("cannot check {}: {}", opt_.known_hosts, ssh_get_error(s_.get())));
    }

    bool try_identity_file() {
        ssh_key raw = nullptr;
        if (ssh_pki_import_privkey_file(opt_.identity_file.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
            notes_.push_back(fmt::format("cannot read identity file {}", opt_.identity_file));
            return false;
        }
        std::unique_ptr<ssh_key_struct, KeyFree> key(raw);
        return ssh_userauth_publickey(s_.get(), nullptr, raw) == SSH_AUTH_SUCCESS;
    }

    // Answers only prompts that ask for a password and do not echo: the password is never
    // typed into a prompt that asks for something else (a one-time code, a username).
    bool try_keyboard_interactive() {
        ssh_session s = s_.get();
        int rc = ssh_userauth_kbdint(s, nullptr, nullptr);
        for (int round = 0; rc == SSH_AUTH_INFO && round < 4; ++round) {
            int n = ssh_userauth_kbdint_getnprompts(s);
            for (int i = 0; i < n; ++i) {
                char echo = 0;
                std::string prompt = ssh_userauth_kbdint_getprompt(s, static_cast<unsigned>(i), &echo);
                std::transform(prompt.begin(), prompt.end(), prompt.begin(), ::tolower);
                if (echo || prompt.find("password") == std::string::npos) return false;
                ssh_userauth_kbdint_setanswer(s, static_cast<unsigned>(i), opt_.password.c_str());
            }
            rc = ssh_userauth_kbdint(s, nullptr, nullptr);
        }
        return rc == SSH_AUTH_SUCCESS;
    }

    std::optional<NotAudited> authenticate() {
        std::vector<std::string> tried;
        auto ok = [&](std::string_view method, auto&& attempt) {
            tried.emplace_back(method);
            return attempt();
        };
        ssh_session s = s_.get();
        if (opt_.use_agent && std::getenv("SSH_AUTH_SOCK") &&
            ok("ssh-agent", [&] { return ssh_userauth_agent(s, nullptr) == SSH_AUTH_SUCCESS; }))
            return std::nullopt;
        if (!opt_.identity_file.empty() && ok("key " + opt_.identity_file, [&] { return try_identity_file(); }))
            return std::nullopt;
        if (!opt_.password.empty()) {
            if (ok("keyboard-interactive", [&] { return try_keyboard_interactive(); })) return std::nullopt;
            if (ok("password", [&] { return ssh_userauth_password(s, nullptr, opt_.password.c_str()) == SSH_AUTH_SUCCESS; }))
                return std::nullopt;
        }
        if (ssh_get_status(s) & (SSH_CLOSED | SSH_CLOSED_ERROR))
            return fail(NotAuditedKind::connect_failed, fmt::format("{} closed the connection during authentication", where(t_)));
        std::string methods = tried.empty() ? "no credentials (no agent, --identity or MICROSEG_SSH_PASSWORD)"
                                            : fmt::format("{}", fmt::join(tried, ", "));
        return fail(NotAuditedKind::auth_failed, fmt::format("{} refused authentication; tried {}", where(t_), methods));
    }

    Clock::time_point command_deadline() const {
        return std::min(Clock::now() + opt_.command_timeout, device_deadline_);
    }

    std::optional<NotAudited> open_channel() {
        ch_.reset(ssh_channel_new(s_.get()));
        if (!ch_ || ssh_channel_open_session(ch_.get()) != SSH_OK)
            return fail(NotAuditedKind::connect_failed, fmt::format("cannot open a channel: {}", ssh_get_error(s_.get())));
        return std::nullopt;
    }

    // nftables and other exec-mode platforms: one command, output to end of file, exit 0.
    FetchResult run_exec() {
        if (auto e = open_channel()) return *e;
        std::string cmd(command_);
        if (ssh_channel_request_exec(ch_.get(), cmd.c_str()) != SSH_OK)
            return fail(NotAuditedKind::command_failed, fmt::format("exec '{}' refused: {}", cmd, ssh_get_error(s_.get())));
        std::string out, err;
        auto deadline = command_deadline();
        ReadStatus st;
        while ((st = read(deadline, out, &err)) == ReadStatus::data) {
        }
        if (st != ReadStatus::eof) return read_failure(st, cmd, opt_.command_timeout);
        // What stderr still holds after stdout's end: the error line a failing command printed
        // last (sshd's own "Could not chdir to home directory" comes first).
        while (drain_stderr(ch_.get(), err)) {
        }
        int status = ssh_channel_get_exit_status(ch_.get());
        if (status == -1) return fail(NotAuditedKind::truncated, fmt::format("'{}' ended without an exit status", cmd));
        // Shells report a command killed by signal N as 128+N: the output was cut off.
        if (status > 128 && status < 160)
            return fail(NotAuditedKind::truncated, fmt::format("'{}' was killed by signal {}", cmd, status - 128));
        if (status != 0)
            return fail(NotAuditedKind::command_failed, fmt::format("'{}' exited with status {}: {}", cmd, status, last_line(err)));
        return finish(std::move(out), 0);
    }

    bool send_line(std::string_view line) {
        std::string data = std::string(line) + "\n";
        return ssh_channel_write(ch_.get(), data.data(), static_cast<std::uint32_t>(data.size())) ==
               static_cast<int>(data.size());
    }

    // Banners and MOTD come first, and a banner line may end in '#' or '>'. A line that looks
    // like a prompt is confirmed by asking again: an empty line makes every device CLI print
    // its prompt once more. Only a repeat that the empty line answered counts (its line break
    // came after the line was sent): a banner may hold the same prompt-like line twice. (Every
    // login used to wait for 200 ms of silence instead.) A device that ignores the empty line is
    // taken at its prompt after a second of silence.
    std::optional<NotAudited> wait_for_prompt() {
        auto deadline = command_deadline();
        bool asked = false;
        std::size_t asked_at = 0;  // the text's length when the empty line was sent
        while (true) {
            const std::string_view prompt = prompt_candidate(asked);
            if (!prompt.empty() && asked && term_.tail_repeats_line(asked_at)) break;
            if (!prompt.empty() && !asked) {
                if (!send_line("")) return fail(NotAuditedKind::truncated, "cannot send a line at login");
                asked = true;
                asked_at = term_.text().size();
            }
            std::string raw;
            auto quiet = std::min(Clock::now() + std::chrono::seconds(1), deadline);
            ReadStatus st = read(prompt.empty() ? deadline : quiet, raw);
            term_.feed(raw);
            if (st == ReadStatus::timeout && !prompt_candidate(asked).empty() && Clock::now() < deadline) break;
            if (st != ReadStatus::data) return read_failure(st, "login (waiting for the prompt)", opt_.command_timeout);
        }
        prompt_ = std::string(prompt_candidate(asked));
        term_.clear();
        return std::nullopt;
    }

    // The line that may be the prompt: the unfinished last line, or, once the empty line was
    // sent, the line its echo ended (a device that prints no new prompt for it); "" if none.
    std::string_view prompt_candidate(bool asked) const {
        std::string_view tail = rtrim(term_.tail_line());
        if (looks_like_prompt(tail)) return tail;
        if (asked && tail.empty() && looks_like_prompt(term_.previous_line())) return rtrim(term_.previous_line());
        return {};
    }

    // Every byte from the device counts against --max-bytes, so a device that never stops
    // talking costs at most the cap (plus one read) in memory and is "too large".
    ReadStatus read(Clock::time_point deadline, std::string& out, std::string* err = nullptr) {
        std::size_t before = out.size();
        ReadStatus st = read_some(ch_.get(), deadline, out, err);
        received_ += out.size() - before;
        return received_ > opt_.max_bytes ? ReadStatus::too_large : st;
    }

    // Where the answer to `command` starts: just after the line that echoes it ("P#command"
    // or "command"), searching complete lines from `scanned`; npos while it has not come.
    // Anything before the echo (a late prompt answering an earlier line, a banner line equal
    // to the prompt) belongs to an earlier input, so the reader can never fall one answer behind.
    std::size_t echo_end(std::string_view command, std::size_t& scanned) const {
        std::string_view text = term_.text();
        for (auto nl = text.find('\n', scanned); nl != std::string_view::npos; nl = text.find('\n', scanned)) {
            std::string_view line = text.substr(scanned, nl - scanned);
            scanned = nl + 1;
            if (line.starts_with(prompt_)) line.remove_prefix(prompt_.size());
            while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
            if (rtrim(line) == command) return scanned;
        }
        return std::string_view::npos;
    }

    // The prompt came back on a line of its own after the answer that starts at `start`.
    bool answered(std::size_t start) const {
        std::string_view tail = term_.tail_line();
        return start != std::string_view::npos && term_.text().size() - tail.size() >= start && rtrim(tail) == prompt_;
    }

    NotAudited command_failure(ReadStatus st, std::string_view command) const {
        std::string_view tail = rtrim(term_.tail_line());
        if (st == ReadStatus::timeout && looks_like_prompt(tail) && tail != prompt_)
            return fail(NotAuditedKind::timeout, fmt::format("the prompt changed from '{}' to '{}' during '{}'", prompt_,
                                                             tail, command));
        return read_failure(st, command, opt_.command_timeout);
    }

    // Sends `command` and reads its echo, then the answer up to the prompt on a line of its
    // own, answering any pager. Returns the text between the echo and the prompt.
    std::variant<std::string, NotAudited> run_command(std::string_view command) {
        term_.clear();
        if (!send_line(command)) return fail(NotAuditedKind::truncated, fmt::format("cannot send '{}'", command));
        auto deadline = command_deadline();
        std::size_t scanned = 0, start = std::string_view::npos;
        while (true) {
            if (start == std::string_view::npos) start = echo_end(command, scanned);
            if (answered(start)) break;
            if (term_.take_pager()) {
                ++pagers_;
                if (ssh_channel_write(ch_.get(), " ", 1) != 1) return fail(NotAuditedKind::truncated, "cannot answer the pager");
                continue;
            }
            std::string raw;
            ReadStatus st = read(deadline, raw);
            term_.feed(raw);
            if (st != ReadStatus::data) return command_failure(st, command);
        }
        std::string_view text = term_.text();
        text.remove_suffix(term_.tail_line().size());  // the prompt
        return std::string(text.substr(start));
    }

    FetchResult run_shell() {
        if (auto e = open_channel()) return *e;
        if (ssh_channel_request_pty_size(ch_.get(), "vt100", 511, 24) != SSH_OK ||
            ssh_channel_request_shell(ch_.get()) != SSH_OK)
            return fail(NotAuditedKind::connect_failed, fmt::format("no interactive shell: {}", ssh_get_error(s_.get())));
        if (auto e = wait_for_prompt()) return *e;
        for (std::string_view setup : plat_.setup_commands) {
            auto r = run_command(setup);
            if (auto* e = std::get_if<NotAudited>(&r)) return *e;
        }
        int pagers_before = pagers_;
        auto r = run_command(command_);
        if (auto* e = std::get_if<NotAudited>(&r)) return *e;
        send_line("exit");
        return finish(std::move(std::get<std::string>(r)), pagers_ - pagers_before);
    }

    // A reply is a configuration only when it validates for its platform; a platform's error
    // answer is "command failed" with its first line. Neither is ever audited or saved.
    FetchResult finish(std::string text, int pagers) {
        if (auto error = error_answer(text))
            return fail(NotAuditedKind::command_failed, fmt::format("'{}' rejected: {}", command_, *error));
        // A MAC table has no end marker: the prompt after it is the only sign it is complete.
        if (t_.content == FetchContent::config) {
            if (auto problem = config_problem(plat_, text)) {
                bool cut = problem->starts_with("ended without");
                return fail(cut ? NotAuditedKind::truncated : NotAuditedKind::command_failed,
                            fmt::format("the answer to '{}' is not a configuration: {}", command_, *problem));
            }
        }
        FetchedConfig out{std::move(text), {}};
        if (pagers > 0)
            out.notes.push_back(fmt::format("answered {} pager prompt(s): the setup commands did not disable paging", pagers));
        return out;
    }

    SshSource& src_;
    const SshOptions& opt_;
    const FetchTarget& t_;
    const Platform& plat_;
    std::string_view command_;  // the config or MAC table command of the platform
    Clock::time_point device_deadline_;
    std::vector<std::string> notes_;
    Session s_;
    Channel ch_;  // declared after s_: freed first
    Terminal term_;
    std::string prompt_;
    int pagers_ = 0;
    std::uint64_t received_ = 0;  // bytes read from the device so far
};

}  // namespace

std::string default_known_hosts_path() {
    const char* home = std::getenv("HOME");
    return home && *home ? std::string(home) + "/.ssh/known_hosts" : std::string();
}

std::string password_from_environment() {
    const char* p = std::getenv("MICROSEG_SSH_PASSWORD");
    return p ? std::string(p) : std::string();
}

SshSource::SshSource(SshOptions options) : options_(std::move(options)) {}

FetchResult SshSource::fetch(const FetchTarget& target) { return Fetch(*this, target).run(); }

}  // namespace microseg
