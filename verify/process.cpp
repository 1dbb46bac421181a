#include "verify/process.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

namespace microseg::verify {

namespace {

// The running child, so that the clean-up handler can stop it first: an `ip netns add` that
// finished after the clean-up would leave its namespace behind.
volatile std::sig_atomic_t g_child = 0;

bool is_executable(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Feeds `input` to `in_fd` and collects `out_fd` until both are done; never deadlocks on a
// child that writes while it reads.
std::string pump(int in_fd, int out_fd, const std::string& input) {
    std::string output;
    std::size_t written = 0;
    if (input.empty() && in_fd >= 0) {
        ::close(in_fd);
        in_fd = -1;
    }
    char buf[4096];
    while (out_fd >= 0) {
        pollfd fds[2] = {{out_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
        if (::poll(fds, in_fd >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (in_fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n < 0 || written == input.size()) {
                ::close(in_fd);
                in_fd = -1;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::read(out_fd, buf, sizeof buf);
            if (n > 0) output.append(buf, static_cast<std::size_t>(n));
            if (n == 0 || (n < 0 && errno != EINTR)) {
                ::close(out_fd);
                out_fd = -1;
            }
        }
    }
    if (in_fd >= 0) ::close(in_fd);
    return output;
}

// The signals whose handler deletes the lab's namespaces.
sigset_t cleanup_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
    return set;
}

// In the child: only async-signal-safe calls until exec. The clean-up handler is the parent's
// business (a Ctrl-C reaches the whole process group), so the child takes the default action
// before the signals it inherited blocked are let through.
[[noreturn]] void exec_child(int ns_fd, int in_fd, int out_fd, const char* path, char* const* argv,
                             const sigset_t& parent_mask) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &parent_mask, nullptr);
    if (ns_fd >= 0 && ::setns(ns_fd, CLONE_NEWNET) != 0) _exit(126);
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
    ::execv(path, argv);
    _exit(127);
}

// Waits for the child to end but reaps it only with the clean-up signals blocked and g_child
// cleared: until then its pid cannot be reused, so the handler never kills a stranger.
int wait_for(pid_t pid) {
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0)
        if (errno != EINTR) break;
    sigset_t block = cleanup_signals(), old;
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    g_child = 0;
    int status = 0;
    pid_t reaped = ::waitpid(pid, &status, 0);
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (reaped != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string find_program(std::string_view name) {
    if (name.find('/') != std::string_view::npos)
        return is_executable(std::string(name)) ? std::string(name) : std::string();
    std::string dirs = std::getenv("PATH") ? std::getenv("PATH") : "";
    dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        if (!dir.empty() && is_executable(dir + "/" + std::string(name))) return dir + "/" + std::string(name);
        start = end + 1;
    }
    return {};
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& netns,
                          const std::string& input) {
    std::string path = argv.empty() ? std::string() : find_program(argv[0]);
    if (path.empty()) return {-1, fmt::format("{}: not found", argv.empty() ? "" : argv[0])};
    int ns_fd = -1;
    if (!netns.empty()) {
        ns_fd = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
        if (ns_fd < 0) return {-1, fmt::format("network namespace {}: {}", netns, std::strerror(errno))};
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return {-1, "pipe failed"};
    if (::pipe2(out, O_CLOEXEC) != 0) return {-1, "pipe failed"};
    // A clean-up signal that arrives during fork() is handled as fork returns, before the
    // parent could record the child: the child would go on to create a namespace after the
    // clean-up. So the signals wait until g_child names the child.
    sigset_t block = cleanup_signals(), old;
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    pid_t pid = ::fork();
    if (pid == 0) exec_child(ns_fd, in[0], out[1], path.c_str(), args.data(), old);
    if (pid > 0) g_child = pid;
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    ::close(in[0]);
    ::close(out[1]);
    if (ns_fd >= 0) ::close(ns_fd);
    if (pid < 0) {
        ::close(in[1]);
        ::close(out[0]);
        return {-1, "fork failed"};
    }
    std::string output = pump(in[1], out[0], input);
    int code = wait_for(pid);
    return {code, std::move(output)};
}

// ---- emergency clean-up -------------------------------------------------------------------

namespace {

constexpr int kSlots = 1024;
constexpr int kPathMax = 128;
char g_paths[kSlots][kPathMax];
volatile std::sig_atomic_t g_used[kSlots];

void cleanup_handler(int sig) {
    if (pid_t child = g_child; child > 0) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
    }
    for (int i = 0; i < kSlots; ++i) {
        if (!g_used[i]) continue;
        ::umount2(g_paths[i], MNT_DETACH);
        ::unlink(g_paths[i]);
        g_used[i] = 0;
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

}  // namespace

bool register_for_cleanup(const std::string& netns) {
    std::string path = "/run/netns/" + netns;
    if (path.size() >= kPathMax) return false;
    for (int i = 0; i < kSlots; ++i) {
        if (g_used[i]) continue;
        std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
        g_used[i] = 1;
        return true;
    }
    return false;
}

void unregister_for_cleanup(const std::string& netns) {
    std::string path = "/run/netns/" + netns;
    for (int i = 0; i < kSlots; ++i)
        if (g_used[i] && path == g_paths[i]) g_used[i] = 0;
}

void install_cleanup_handlers() {
    struct sigaction sa {};
    sa.sa_handler = cleanup_handler;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

Result<bool> add_namespaces(const std::vector<std::string>& names, std::vector<std::string>& created) {
    install_cleanup_handlers();
    for (const auto& ns : names) {
        if (!register_for_cleanup(ns)) return make_error("too many lab namespaces", {}, "verify-lab");
        auto r = run_process({"ip", "netns", "add", ns});
        if (!r.ok()) {
            unregister_for_cleanup(ns);
            return make_error(fmt::format("ip netns add {} failed (exit {}): {}", ns, r.exit_code, r.output), {},
                              "verify-lab");
        }
        created.push_back(ns);
    }
    return true;
}

void delete_namespaces(std::vector<std::string>& created, bool keep) {
    for (const auto& ns : created) {
        if (!keep) run_process({"ip", "netns", "del", ns});
        unregister_for_cleanup(ns);
    }
    created.clear();
}

}  // namespace microseg::verify
