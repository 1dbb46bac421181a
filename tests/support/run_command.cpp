#include "tests/support/run_command.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace microseg::testing {
namespace {

std::string read_all(int fd) {
    std::string s;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
    return s;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    // Output goes to temp files, not pipes, so a chatty child can never block on a full pipe.
    char out_path[] = "/tmp/microseg-test-out-XXXXXX";
    char err_path[] = "/tmp/microseg-test-err-XXXXXX";
    int out_fd = ::mkstemp(out_path);
    int err_fd = ::mkstemp(err_path);
    CommandResult r;
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, 0);
        for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    r.max_rss_kb = usage.ru_maxrss;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    ::lseek(out_fd, 0, SEEK_SET);
    ::lseek(err_fd, 0, SEEK_SET);
    r.out = read_all(out_fd);
    r.err = read_all(err_fd);
    ::close(out_fd);
    ::close(err_fd);
    ::unlink(out_path);
    ::unlink(err_path);
    return r;
}

CommandResult run_microseg(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    std::vector<std::string> argv = {MICROSEG_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, env);
}

}  // namespace microseg::testing
