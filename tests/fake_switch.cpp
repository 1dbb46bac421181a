// A fake network device CLI for the SSH fetch tests. sshd runs it as ForceCommand, so the
// auditor talks to a real OpenSSH server and a real PTY; this program plays the device:
//
//   fake_switch --platform PLATFORM --config FILE [--hostname NAME]
//               [--banner] [--pager] [--ignore-length] [--stall-after N] [--drop-after N]
//               [--mac-table FILE] [--no-reprompt] [--think-ms N]
//
// PLATFORM is a policy platform name (cisco-ios) or its file extension (ios). What the device
// answers comes from the platform table (model/platform.hpp): its setup commands, config and
// MAC-table commands and fetch mode; how its CLI looks (prompt, pager, refusal) from the
// kDeviceStyles table below, one row per platform. An interactive_shell platform gets a CLI
// with a prompt, an optional banner and MOTD before it, a pager unless its screen-length setup
// command (or `| no-more`) was sent, and the canned config for the config command. An exec
// platform prints the config for the command in SSH_ORIGINAL_COMMAND.
// --stall-after N: after N config lines, go silent (until the client leaves, at most 30 s).
// --drop-after N: after N config lines, exit as if the connection died.
// --mac-table FILE: the answer to the platform's MAC table command.
// --no-reprompt: an empty line gets no new prompt (the auditor must not rely on one).
// --think-ms N: wait N ms before answering the config command, as a real switch does while
// it builds its running configuration (the audit benchmark's realistic device).
// Faults (tests/ssh_faults_test.cpp):
// --double-prompt: the login prompt comes twice, prompt-newline-prompt.
// --banner-prompt: a banner line equal to the prompt before the real one.
// --slow-ms N: every line typed (the empty one too) is answered N ms late.
// --error-answer KIND: the config command gets the platform's error answer (kErrorAnswers).
// --cr-pager: the pager is erased with '\r', spaces and '\r' instead of backspaces.
// --huge-mb N: N MiB of comment lines before the config.
// --escapes: the config holds a line with terminal escapes (cursor up, erase line, hide, title).
// --prompt-change: the prompt is different after the first command.
// --drip-ms N: one config line every N ms.
// --refuse: a message at login, then the session ends.
// An exec platform (nftables) has no prompt, pager or login: of the faults, it takes
// --error-answer (stderr and an exit status, kErrorAnswers), --stall-after, --drop-after
// (killed by a signal), --huge-mb, --escapes and --drip-ms; an empty --config file is an
// empty ruleset (nft prints nothing and exits 0).

#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/platform.hpp"

namespace {

using microseg::Platform;
using microseg::PlatformId;

// How each platform's CLI looks. A platform without a row cannot be faked (the platform-table
// test fails).
struct DeviceStyle {
    PlatformId platform;
    std::string_view prompt_format;  // {} is the host name
    std::string_view pager;
    std::string_view refusal;        // the answer to an unknown command
    std::string_view after_banner;   // a line some devices print after the MOTD
};

const DeviceStyle kDeviceStyles[] = {
    {PlatformId::cisco_ios, "{}#", " --More-- ", "                    ^\r\n% Invalid input detected at '^' marker.\r\n\r\n", ""},
    {PlatformId::arista_eos, "{}#", " --More-- ", "                    ^\r\n% Invalid input detected at '^' marker.\r\n\r\n", ""},
    {PlatformId::junos, "admin@{}> ", "---(more)---", "                    ^\r\nsyntax error.\r\n", "--- JUNOS 21.4R3 Kernel 64-bit\r\n"},
    {PlatformId::nftables, "{}$ ", "", "", ""},
};

// Error answers as the devices print them: IOS/EOS mark the bad word with a caret line;
// Junos prints `syntax error.`, `unknown command.` or `error: ...`. An exec platform has no
// terminal: a non-zero exit status sends the answer to stderr, as nft and the shell do.
struct ErrorAnswer {
    std::string_view name;
    std::string_view text;
    int exit_status = 0;  // exec platforms only
};

const ErrorAnswer kErrorAnswers[] = {
    {"invalid", "                    ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"},
    {"unknown", "% Unknown command or computer name, or unable to find computer address\r\n"},
    {"ambiguous", "% Ambiguous command:  \"show running-config\"\r\n"},
    {"syntax", "                       ^\r\nsyntax error.\r\n"},
    {"unknown-junos", "                 ^\r\nunknown command.\r\n"},
    {"error", "error: could not open configuration database (/var/run/db/juniper.data)\r\n"},
    // A hostile answer: retitles the terminal (OSC ... BEL) and hides what follows (ESC[8m).
    {"escapes", "% Invalid input detected\x1b]0;pwned\x07\x1b[8m hidden\x1b[0m\r\n"},
    // nft 1.0.6 run without CAP_NET_ADMIN (checked: setpriv --bounding-set=-all nft list ruleset).
    {"nft-eperm", "Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed: "
                  "Operation not permitted\n", 1},
    {"nft-missing", "sh: 1: nft: not found\n", 127},
    // A wrapper that merges stderr into stdout and exits 0 (`sudo nft ... 2>&1; true`).
    {"nft-stdout", "netlink: Error: cache initialization failed: Operation not permitted\n", 0},
    {"nft-escapes", "netlink: Error: \x1b]0;pwned\x07\x1b[8mhidden\x1b[0m Operation not permitted\n", 1},
};

struct Behaviour {
    const Platform* platform = &microseg::platform(PlatformId::cisco_ios);
    const DeviceStyle* style = &kDeviceStyles[0];
    std::string config_file;
    std::string mac_table_file;
    std::string hostname = "acc-sw-01";
    bool banner = false;
    bool pager = false;          // page output unless paging was switched off
    bool ignore_length = false;  // page even after `terminal length 0` (a broken device)
    long stall_after = -1;
    long drop_after = -1;
    bool no_reprompt = false;
    long think_ms = 0;
    bool double_prompt = false;
    bool banner_prompt = false;
    long slow_ms = 0;
    const ErrorAnswer* error_answer = nullptr;
    bool cr_pager = false;
    long huge_mb = 0;
    bool escapes = false;
    bool prompt_change = false;
    long drip_ms = 0;
    bool refuse = false;
};

void out(std::string_view s) {
    while (!s.empty()) {
        ssize_t n = ::write(1, s.data(), s.size());
        if (n <= 0) std::_Exit(0);  // the client has gone
        s.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Reads one byte; exits when the client has gone.
char read_key() {
    char c = 0;
    if (::read(0, &c, 1) != 1) std::_Exit(0);
    return c;
}

// Silent until the client closes stdin, and never longer than 30 s so no process lingers.
[[noreturn]] void stall() {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{0, POLLIN, 0};
        if (::poll(&p, 1, 200) > 0) {
            char buf[256];
            if (::read(0, buf, sizeof buf) <= 0) break;
        }
    }
    std::_Exit(0);
}

std::vector<std::string> load_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "fake_switch: cannot read " << path << "\n";
        std::exit(3);
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Prints the config like a device: CRLF line ends on a PTY, a pager every 20 lines that
// waits for a key and then erases itself with backspaces, as IOS does.
void print_file(const Behaviour& b, const std::string& file, bool paging, std::string_view eol, bool exec) {
    auto lines = load_lines(file);
    if (b.escapes && lines.size() > 2)
        lines.insert(lines.begin() + 2, "\x1b[1A\x1b[2K\x1b[8mhidden-line \x1b]0;pwned\x07\x1b[0m");
    if (b.huge_mb > 0) {
        std::string chunk;
        for (int i = 0; i < 16384; ++i)
            chunk += fmt::format("{} filler {:055}", b.platform->comment_prefix, i) + std::string(eol);
        for (long sent = 0; sent < b.huge_mb << 20; sent += static_cast<long>(chunk.size())) out(chunk);
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (static_cast<long>(i) == b.stall_after) stall();
        if (static_cast<long>(i) == b.drop_after) {
            if (exec) ::raise(SIGKILL);  // no exit status, like a dying session
            std::_Exit(0);
        }
        if (paging && i > 0 && i % 20 == 0) {
            out(b.style->pager);
            if (read_key() == 'q') return;
            if (b.cr_pager) out("\r          \r");
            else out("\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b");
        }
        if (b.drip_ms > 0) ::usleep(static_cast<useconds_t>(b.drip_ms) * 1000);
        out(lines[i]);
        out(eol);
    }
}

std::string read_line() {
    std::string line;
    while (true) {
        char c = read_key();
        if (c == '\r' || c == '\n') {
            out("\r\n");
            return line;
        }
        out(std::string_view(&c, 1));  // devices echo in raw mode
        line += c;
    }
}

void banner(const Behaviour& b) {
    out("\r\n****************************************\r\n");
    out("* Authorised access only.\r\nWARNING#\r\nWARNING#");
    ::usleep(60'000);  // a line that looks like a prompt, twice, then more banner
    out("\r\n* St Mary's clinical network         *\r\n****************************************\r\n\r\n");
    out("MOTD: maintenance window Sunday 02:00-04:00\r\n\r\n");
    out(b.style->after_banner);
}

// What a device prints when the session starts, faults included.
bool login(const Behaviour& b, const std::string& prompt) {
    if (b.refuse) {
        out("\r\n% Authorization failed: too many sessions\r\n\r\n");
        return false;
    }
    if (b.banner) banner(b);
    if (b.banner_prompt) out(prompt + "\r\n* Unauthorised access is prohibited *\r\n");
    if (b.double_prompt) out(prompt + "\r\n");
    return true;
}

int run_cli(const Behaviour& b) {
    termios tio{};
    if (::isatty(0) && ::tcgetattr(0, &tio) == 0) {
        ::cfmakeraw(&tio);
        ::tcsetattr(0, TCSANOW, &tio);
    }
    std::string prompt = fmt::format(fmt::runtime(b.style->prompt_format), b.hostname);
    const Platform& p = *b.platform;
    // `| no-more` switches the pager off for one command; the command without it pages.
    auto paged_form = [](std::string_view cmd) {
        return cmd.ends_with(" | no-more") ? cmd.substr(0, cmd.size() - 10) : cmd;
    };
    auto is_setup = [&](const std::string& cmd) {
        return std::find(p.setup_commands.begin(), p.setup_commands.end(), cmd) != p.setup_commands.end();
    };
    bool paging = b.pager;
    if (!login(b, prompt)) return 1;
    bool show_prompt = true;
    while (true) {
        if (show_prompt) out(prompt);
        std::string cmd = read_line();
        if (cmd == "exit" || cmd == "quit") return 0;
        if (b.slow_ms > 0) ::usleep(static_cast<useconds_t>(b.slow_ms) * 1000);
        show_prompt = !cmd.empty() || !b.no_reprompt;
        if (cmd.empty()) continue;
        if (b.prompt_change) prompt = fmt::format(fmt::runtime(b.style->prompt_format), b.hostname + "-standby");
        bool no_more = cmd.ends_with("| no-more") && !b.ignore_length;
        if (is_setup(cmd)) {
            if (cmd.find("length") != std::string::npos) paging = b.ignore_length;  // the pager switch
        } else if (cmd == p.config_command || cmd == paged_form(p.config_command)) {
            if (b.think_ms > 0) ::usleep(static_cast<useconds_t>(b.think_ms) * 1000);
            if (b.error_answer) out(b.error_answer->text);
            else print_file(b, b.config_file, paging && !no_more, "\r\n", false);
        } else if (!b.mac_table_file.empty() && (cmd == p.mac_table_command || cmd == paged_form(p.mac_table_command))) {
            print_file(b, b.mac_table_file, paging && !no_more, "\r\n", false);
        } else {
            out(b.style->refusal);
        }
    }
}

int run_exec(const Behaviour& b) {
    const char* cmd = std::getenv("SSH_ORIGINAL_COMMAND");
    if (cmd && !b.mac_table_file.empty() && std::string_view(cmd) == b.platform->mac_table_command) {
        print_file(b, b.mac_table_file, false, "\n", true);
        return 0;
    }
    if (!cmd || std::string_view(cmd) != b.platform->config_command) {
        std::cerr << "fake_switch: command not allowed: " << (cmd ? cmd : "(none)") << "\n";
        return 1;
    }
    if (b.think_ms > 0) ::usleep(static_cast<useconds_t>(b.think_ms) * 1000);
    if (b.error_answer) {
        if (b.error_answer->exit_status == 0) out(b.error_answer->text);
        else std::cerr << b.error_answer->text << std::flush;
        return b.error_answer->exit_status;
    }
    print_file(b, b.config_file, false, "\n", true);
    return 0;
}

void set_platform(Behaviour& b, const std::string& name) {
    for (const auto& p : microseg::platforms())
        if (p.name == name || p.extension == name) b.platform = &p;
    if (b.platform->name != name && b.platform->extension != name) {
        std::cerr << "fake_switch: unknown platform " << name << "\n";
        std::exit(2);
    }
    for (const auto& style : kDeviceStyles)
        if (style.platform == b.platform->id) {
            b.style = &style;
            return;
        }
    std::cerr << "fake_switch: no device style for platform " << name << "\n";
    std::exit(2);
}

const ErrorAnswer* error_answer(const std::string& kind) {
    for (const auto& e : kErrorAnswers)
        if (e.name == kind) return &e;
    std::cerr << "fake_switch: unknown error answer " << kind << "\n";
    std::exit(2);
}

Behaviour parse(int argc, char** argv) {
    Behaviour b;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "fake_switch: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--platform") set_platform(b, next());
        else if (a == "--config") b.config_file = next();
        else if (a == "--mac-table") b.mac_table_file = next();
        else if (a == "--hostname") b.hostname = next();
        else if (a == "--banner") b.banner = true;
        else if (a == "--pager") b.pager = true;
        else if (a == "--ignore-length") b.ignore_length = true;
        else if (a == "--stall-after") b.stall_after = std::stol(next());
        else if (a == "--drop-after") b.drop_after = std::stol(next());
        else if (a == "--no-reprompt") b.no_reprompt = true;
        else if (a == "--think-ms") b.think_ms = std::stol(next());
        else if (a == "--double-prompt") b.double_prompt = true;
        else if (a == "--banner-prompt") b.banner_prompt = true;
        else if (a == "--slow-ms") b.slow_ms = std::stol(next());
        else if (a == "--error-answer") b.error_answer = error_answer(next());
        else if (a == "--cr-pager") b.cr_pager = true;
        else if (a == "--huge-mb") b.huge_mb = std::stol(next());
        else if (a == "--escapes") b.escapes = true;
        else if (a == "--prompt-change") b.prompt_change = true;
        else if (a == "--drip-ms") b.drip_ms = std::stol(next());
        else if (a == "--refuse") b.refuse = true;
        else {
            std::cerr << "fake_switch: unknown argument " << a << "\n";
            std::exit(2);
        }
    }
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    ::signal(SIGPIPE, SIG_DFL);
    Behaviour b = parse(argc, argv);
    return b.platform->fetch_mode == microseg::FetchMode::exec ? run_exec(b) : run_cli(b);
}
