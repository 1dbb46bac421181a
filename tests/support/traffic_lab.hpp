#pragma once
// Real traffic through a verify lab, observed the way a hospital would observe it: sessions made
// with sockets opened inside the hosts' namespaces, softflowd on the router's bridges exporting
// NetFlow v9 to nfcapd on the router's loopback, nfdump reading the capture back as CSV; and the
// same sessions written as a Zeek conn.log (TSV and JSON), for the pipeline test of issue 22.

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/ip.hpp"
#include "verify/lab.hpp"

namespace microseg::testing {

// One session the test made happen, with what crossed it (payload bytes and packets as the
// sockets saw them; headers are added when written as Zeek's *_ip_bytes).
struct MadeSession {
    std::string from_class, to_class;
    IpAddress initiator, responder;
    bool tcp = true;
    std::uint16_t initiator_port = 0, responder_port = 0;
    std::uint64_t orig_bytes = 0, resp_bytes = 0;
    std::uint64_t orig_pkts = 0, resp_pkts = 0;
    std::int64_t start_us = 0, end_us = 0;  // Unix time, microseconds
};

// A TCP connection (connect, `rounds` request/answer exchanges of 1000 and 200 bytes, orderly
// close from both ends) or a UDP exchange (`rounds` 48-byte datagrams each way, NTP-sized),
// from `from` to `to`:`port`.
Result<MadeSession> make_session(const verify::LabHost& from, const verify::LabHost& to, bool tcp,
                                 std::uint16_t port, int rounds);

// UDP datagrams from `from` to its gateway's discard port (9), so that a capture on `from`'s
// bridge has a steady stream to deliver; nothing listens, the datagrams end there.
Result<bool> send_filler(const verify::LabHost& from, int datagrams);
inline constexpr std::uint16_t kFillerPort = 9;

// A program running inside a network namespace (empty: this one), stdout and stderr into
// `log`. Stopped with SIGKILL on destruction if still running.
class NetnsProcess {
public:
    NetnsProcess() = default;
    NetnsProcess(NetnsProcess&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
    NetnsProcess& operator=(NetnsProcess&& o) noexcept;
    ~NetnsProcess();
    static Result<NetnsProcess> start(const std::string& netns, const std::vector<std::string>& argv,
                                      const std::string& log);
    // Sends `signal` (0: none) and waits up to `timeout` for the exit; the exit code, or an error
    // when it is still running (it is then killed).
    Result<int> stop(int signal, std::chrono::milliseconds timeout);
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
};

// Runs argv inside `netns` to its end (at most `timeout`); the exit code and the output.
struct NetnsRun {
    int exit_code = -1;
    std::string output;
};
NetnsRun run_in_netns(const std::string& netns, const std::vector<std::string>& argv,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

// nfcapd on the router's loopback and one softflowd per bridge, each capturing only the TCP
// and UDP packets that enter the router from its own VLAN's subnets (so a routed packet is
// counted once, on the bridge it came in by, not again on the bridge it leaves by).
class FlowCapture {
public:
    FlowCapture(const verify::LabPlan& plan, std::string work_dir, std::uint16_t port)
        : plan_(plan), dir_(std::move(work_dir)), port_(port) {}
    Result<bool> start();
    // Pushes every packet sent so far through softflowd's capture buffers (filler on each
    // bridge until softflowd shows it), exports every flow, stops softflowd and nfcapd.
    Result<bool> finish();
    // `nfdump -R <capture dir> -o csv 'not port 9'` (the filler left out): what nfdump printed.
    Result<std::string> nfdump_csv() const;
    std::string capture_dir() const { return dir_ + "/nfcapd"; }

private:
    Result<bool> flush_bridge(std::size_t index);
    std::string control_socket(std::size_t index) const;
    const verify::LabPlan& plan_;
    std::string dir_;
    std::uint16_t port_;
    NetnsProcess collector_;
    std::vector<NetnsProcess> probes_;  // one softflowd per bridge, in plan_.bridges' order
};

// One row of `nfdump -o csv`: the columns the pipeline test checks.
struct NfdumpRow {
    IpAddress src, dst;
    std::uint16_t src_port = 0, dst_port = 0;
    std::string protocol;  // "TCP", "UDP", ...
    std::uint64_t packets = 0, bytes = 0;
};
// The flow rows of nfdump's CSV (the header names the columns; the summary after the rows is
// not read); an error names the first line that does not parse.
Result<std::vector<NfdumpRow>> parse_nfdump_csv(const std::string& text);

// The sessions as Zeek writes conn.log: TSV with its # header block, and JSON lines.
std::string zeek_conn_tsv(const std::vector<MadeSession>& sessions);
std::string zeek_conn_json(const std::vector<MadeSession>& sessions);

}  // namespace microseg::testing
