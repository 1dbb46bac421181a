#include "tests/support/sshd_harness.hpp"

#include <arpa/inet.h>
#include <pwd.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace microseg::test {
namespace {

bool can_connect(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// "ssh-ed25519 AAAA... comment" -> "ssh-ed25519 AAAA..."
std::string key_without_comment(const std::string& pub) {
    std::istringstream in(pub);
    std::string type, blob;
    in >> type >> blob;
    return type + " " + blob;
}

std::string sshd_config_text(const std::string& dir, int port, const SshdConfig& c) {
    std::ostringstream o;
    o << "ListenAddress 127.0.0.1\nPort " << port << "\n"
      << "HostKey " << dir << "/host_ed25519\n"
      << "AuthorizedKeysFile " << dir << "/authorized_keys\n"
      << "PidFile " << dir << "/sshd.pid\n"
      << "UsePAM no\nStrictModes no\nUseDNS no\nPrintMotd no\nPrintLastLog no\n"
      << "PermitRootLogin " << (c.password_auth ? "yes" : "prohibit-password") << "\n"
      << "PubkeyAuthentication yes\nKbdInteractiveAuthentication no\n"
      << "PasswordAuthentication " << (c.password_auth ? "yes" : "no") << "\n"
      // The pool opens many sessions at once; the default 10:30:100 drops some at random.
      << "MaxStartups 400\nLogLevel VERBOSE\n"
      // Debian's bash sources ~/.bashrc for a top-level `bash -c` under sshd; SHLVL=1 makes the
      // ForceCommand's shell a nested one, so a root login (the nft live test) skips root's
      // bashrc, which may hang or print. /bin/sh users are unaffected.
      << "SetEnv SHLVL=1\n";
    if (!c.allow_user.empty()) o << "AllowUsers " << c.allow_user << "\n";
    o << "ForceCommand " << c.force_command << "\n";
    return o.str();
}

pid_t spawn_sshd(const std::string& dir) {
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    int log = ::open((dir + "/sshd.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log >= 0) {
        ::dup2(log, 2);
        ::dup2(log, 1);
    }
    std::string cfg = dir + "/sshd_config";
    // -r: no re-exec of sshd per connection. A loopback sshd shares the auditor's cores, and
    // loading sshd and its libraries again for every login was most of its cost per login.
    ::execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-r", "-f", cfg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
}

}  // namespace

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("cannot find a free port");
    ::close(fd);
    return ntohs(a.sin_port);
}

bool generate_key(const std::string& path) {
    std::string cmd = "ssh-keygen -q -t ed25519 -N '' -C microseg-test -f '" + path + "' </dev/null >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

std::string session_user() {
    const passwd* me = ::getpwuid(::getuid());
    if (::getuid() != 0) return me ? me->pw_name : "";
    // Root's login shell may run ~/.bashrc for ssh sessions (Debian's bash does) and hang or
    // print there; a dedicated user with /bin/sh runs the ForceCommand and nothing else. Its
    // password field is "*" (no password login) rather than "!", which sshd treats as locked.
    const char* name = "microseg-fake";
    if (!::getpwnam(name))
        (void)std::system("useradd --system --password '*' --no-create-home --home-dir /nonexistent --shell /bin/sh microseg-fake >/dev/null 2>&1");
    return ::getpwnam(name) ? name : "";
}

std::unique_ptr<SshdHarness> SshdHarness::start(const SshdConfig& config, std::string& why_not) {
    std::unique_ptr<SshdHarness> h(new SshdHarness());
    h->dir_ = make_temp_dir("sshd");
    ::chmod(h->dir_.c_str(), 0755);  // sshd reads authorized_keys as the session user
    ::mkdir("/run/sshd", 0755);  // sshd's privilege separation directory
    if (!generate_key(h->dir_ + "/host_ed25519") || !generate_key(h->client_key())) {
        why_not = "ssh-keygen failed";
        return nullptr;
    }
    write_file(h->dir_ + "/authorized_keys", read_file(h->client_key() + ".pub"));
    ::chmod((h->dir_ + "/authorized_keys").c_str(), 0644);
    SshdConfig cfg = config;
    if (cfg.allow_user.empty()) cfg.allow_user = session_user();
    if (cfg.allow_user.empty()) {
        why_not = "no user to run the fake switch as";
        return nullptr;
    }
    h->user_ = cfg.allow_user;
    for (int attempt = 0; attempt < 3; ++attempt) {  // the free port may be taken meanwhile
        h->port_ = free_port();
        write_file(h->dir_ + "/sshd_config", sshd_config_text(h->dir_, h->port_, cfg));
        h->pid_ = spawn_sshd(h->dir_);
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < until) {
            if (can_connect(h->port_)) return h;
            int status = 0;
            if (::waitpid(h->pid_, &status, WNOHANG) == h->pid_) {
                h->pid_ = -1;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (h->pid_ > 0) {  // alive but not listening: stop it before the next attempt
            ::kill(h->pid_, SIGTERM);
            ::waitpid(h->pid_, nullptr, 0);
            h->pid_ = -1;
        }
    }
    why_not = "sshd did not start: " + first_line(read_file(h->dir_ + "/sshd.log"));
    return nullptr;
}

SshdHarness::~SshdHarness() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string SshdHarness::known_hosts_line() const {
    return "[127.0.0.1]:" + std::to_string(port_) + " " + key_without_comment(read_file(dir_ + "/host_ed25519.pub"));
}

std::string SshdHarness::other_known_hosts_line() const {
    std::string path = dir_ + "/other_host_ed25519";
    if (!std::filesystem::exists(path) && !generate_key(path)) throw std::runtime_error("ssh-keygen failed");
    return "[127.0.0.1]:" + std::to_string(port_) + " " + key_without_comment(read_file(path + ".pub"));
}

const std::string& reachable_fake_switch() {
    static const TempDir dir("fake-switch");
    static const std::string exe = [] {
        std::string p = dir.path + "/fake_switch";
        std::filesystem::copy_file(FAKE_SWITCH_EXE, p, std::filesystem::copy_options::overwrite_existing);
        ::chmod(p.c_str(), 0755);
        return p;
    }();
    return exe;
}

}  // namespace microseg::test
