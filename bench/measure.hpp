#pragma once
// Timing and memory of one benchmark step, always in a process of its own so that peak RSS
// (getrusage, ru_maxrss of the waited-for child) is the step's and nothing else's. The driver
// keeps itself small before it forks: a forked child's peak starts at the parent's size.

#include <functional>
#include <string>
#include <vector>

namespace microseg::bench {

struct Measurement {
    double wall_s = 0;
    double cpu_s = 0;         // user + system of the child
    long max_rss_kb = 0;
    int exit_code = 0;        // 128 + signal when killed by one
    std::string payload;      // what an in-process step reported (run_in_child)
};

inline constexpr int kTimedOut = 128 + 14;  // killed by SIGALRM

// Runs `argv` (argv[0] an absolute path) with stdout and stderr sent to /dev/null; a run that
// takes longer than `timeout_s` seconds (0: no limit) is killed and exits with kTimedOut.
Measurement run_program(const std::vector<std::string>& argv, unsigned timeout_s = 0);

// Runs `step` in a forked child; the string it returns comes back in `payload`. The child's
// exit code is 0, or 1 when `step` threw.
Measurement run_in_child(const std::function<std::string()>& step);

// The median of each field over the runs (wall, cpu and RSS independently); exit_code and
// payload are the last run's.
Measurement median_of(std::vector<Measurement> runs);

// Repeats `measure` `runs` times and returns the median; stops after a run that timed out.
Measurement repeat(int runs, const std::function<Measurement()>& measure);

// "/proc/loadavg"'s first three numbers, "1.23 0.98 0.75".
std::string load_average();

double seconds_since(double start);
double monotonic_seconds();
// CPU time of the calling thread: what an in-process step cost, whatever the machine's load.
double thread_cpu_seconds();

}  // namespace microseg::bench
