#include "bench/measure.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace microseg::bench {
namespace {

double cpu_seconds(const rusage& ru) {
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

Measurement wait_for(pid_t pid, double start) {
    int status = 0;
    rusage ru{};
    while (::wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) throw std::runtime_error("wait4 failed");
    Measurement m;
    m.wall_s = seconds_since(start);
    m.cpu_s = cpu_seconds(ru);
    m.max_rss_kb = ru.ru_maxrss;
    m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return m;
}

void silence_output() {
    int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
        ::dup2(null, 1);
        ::dup2(null, 2);
    }
}

}  // namespace

double monotonic_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double seconds_since(double start) { return monotonic_seconds() - start; }

double thread_cpu_seconds() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

Measurement run_program(const std::vector<std::string>& argv, unsigned timeout_s) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);
    double start = monotonic_seconds();
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        silence_output();
        if (timeout_s > 0) ::alarm(timeout_s);  // a pending alarm survives execv
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return wait_for(pid, start);
}

Measurement run_in_child(const std::function<std::string()>& step) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::fflush(nullptr);
    double start = monotonic_seconds();
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::close(fds[0]);
        int code = 0;
        std::string out;
        try {
            out = step();
        } catch (const std::exception& e) {
            out = std::string("error: ") + e.what();
            code = 1;
        }
        for (std::size_t done = 0; done < out.size();) {
            ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::_exit(code);
    }
    ::close(fds[1]);
    std::string payload;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        payload.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    Measurement m = wait_for(pid, start);
    m.payload = std::move(payload);
    return m;
}

Measurement median_of(std::vector<Measurement> runs) {
    if (runs.empty()) return {};
    Measurement out = runs.back();
    auto median = [&](auto field) {
        std::vector<std::remove_cvref_t<decltype(runs[0].*field)>> v;
        for (const auto& r : runs) v.push_back(r.*field);
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    out.wall_s = median(&Measurement::wall_s);
    out.cpu_s = median(&Measurement::cpu_s);
    out.max_rss_kb = median(&Measurement::max_rss_kb);
    return out;
}

Measurement repeat(int runs, const std::function<Measurement()>& measure) {
    std::vector<Measurement> all;
    for (int i = 0; i < std::max(runs, 1); ++i) {
        all.push_back(measure());
        if (all.back().exit_code == kTimedOut) return all.back();
    }
    return median_of(std::move(all));
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

}  // namespace microseg::bench
