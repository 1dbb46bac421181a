#pragma once
// Running the dataplane tools (ip, nft, sysctl) without a shell: fork/exec with an argv vector,
// optionally inside a named network namespace; and the emergency clean-up of the namespaces a
// lab created when the process is interrupted (SIGINT, SIGTERM, SIGHUP).

#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"

namespace microseg::verify {

struct ProcessResult {
    int exit_code = -1;   // -1: could not start, or killed by a signal
    std::string output;   // stdout and stderr, merged
    bool ok() const { return exit_code == 0; }
};

// `name` itself when it holds a slash; else the absolute path of `name`, searched in PATH and then /usr/sbin, /sbin; empty when absent.
std::string find_program(std::string_view name);

// Runs argv (argv[0] is looked up with find_program) with `input` on stdin. When `netns` is not
// empty the child joins /run/netns/<netns> before exec. Never uses a shell.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& netns = {},
                          const std::string& input = {});

// Namespaces registered here are deleted (unmounted and unlinked, as `ip netns del` does) by a
// signal handler if the process is interrupted; the handler then re-raises the signal.
// Storage is fixed-size so the handler allocates nothing. Returns false when full.
bool register_for_cleanup(const std::string& netns);
void unregister_for_cleanup(const std::string& netns);
void install_cleanup_handlers();

// A lab's namespaces: each created with `ip netns add` and registered for the clean-up above,
// appended to `created` as it is made (so that a failure half way leaves `created` exactly
// what to delete). The Ctrl-C handlers are installed first.
Result<bool> add_namespaces(const std::vector<std::string>& names, std::vector<std::string>& created);
// Deletes `created` (all but unregisters them when `keep`) and clears it.
void delete_namespaces(std::vector<std::string>& created, bool keep);

}  // namespace microseg::verify
