// Formats relied on:
// - nfdump 1.7 `-o csv`: a header line naming the columns (ts,te,td,sa,da,sp,dp,pr,...,ipkt,
//   ibyt,...), one line per flow ("No matching flows" when none), then a "Summary" block; checked against the
//   output of Debian bookworm's nfdump 1.7.1 reading what softflowd 1.1.0 exported (NetFlow v9).
// - Zeek conn.log: the TSV header block (#separator \x09 written with a space, then tab-separated
//   #set_separator, #empty_field, #unset_field, #path, #open, #fields, #types; #close at the end)
//   and the field list and types of Zeek 5/6 as shown in docs.zeek.org/en/v5.2.2/logs/conn.html
//   and the Zeek TSV examples of zed.brimdata.io ("Reading Zeek Log Formats"); the JSON form is
//   one object per line with dotted keys ("id.orig_h"), times as epoch seconds, unset fields left
//   out, and `ip_proto` as Zeek 7 added it (docs.zeek.org/en/master/logs/conn.html).
// - softflowd 1.1.0 (`softflowctl dump-flows` lists active flows as "[a]:p <> [b]:q proto:N").
#include "tests/support/traffic_lab.hpp"

#include "verify/probe.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sched.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

namespace microseg::testing {
namespace {

using verify::to_sockaddr;

using namespace std::chrono_literals;

Diagnostic sys_error(const std::string& what) {
    return make_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

std::int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A file descriptor closed at the end of scope.
struct Fd {
    int fd = -1;
    explicit Fd(int f = -1) : fd(f) {}
    Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd, o.fd);
        return *this;
    }
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// A blocking socket opened inside /run/netns/<netns> (the socket keeps its namespace), with
// 5 s send and receive timeouts so that a lost packet fails the test instead of hanging it.
Result<Fd> socket_in(const std::string& netns, int type) {
    Fd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    Fd ns(::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC));
    if (home.fd < 0 || ns.fd < 0) return sys_error("opening the namespace of " + netns);
    if (::setns(ns.fd, CLONE_NEWNET) != 0) return sys_error("entering " + netns);
    Fd s(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
    int saved = errno;
    if (::setns(home.fd, CLONE_NEWNET) != 0) std::terminate();  // never go on inside a lab namespace
    errno = saved;
    if (s.fd < 0) return sys_error("socket in " + netns);
    timeval tv{5, 0};
    ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    return s;
}

bool send_all(int fd, std::size_t n) {
    std::string buf(n, 'm');
    for (std::size_t sent = 0; sent < n;) {
        ssize_t k = ::send(fd, buf.data() + sent, n - sent, MSG_NOSIGNAL);
        if (k <= 0) return false;
        sent += static_cast<std::size_t>(k);
    }
    return true;
}

bool recv_exactly(int fd, std::size_t n) {
    std::string buf(n, '\0');
    for (std::size_t got = 0; got < n;) {
        ssize_t k = ::recv(fd, buf.data(), n - got, 0);
        if (k <= 0) return false;
        got += static_cast<std::size_t>(k);
    }
    return true;
}

std::uint16_t local_port(int fd) {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    return ntohs(sa.sin_port);
}

Result<Fd> bound(const verify::LabHost& host, int type, std::uint16_t port) {
    auto s = socket_in(host.netns, type);
    if (!s) return s;
    auto sa = to_sockaddr(host.address, port);
    if (::bind(s->fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        return sys_error(fmt::format("bind {}:{} in {}", host.address.str(), port, host.netns));
    return s;
}

constexpr std::size_t kRequest = 1000, kAnswer = 200, kDatagram = 48;

Result<bool> tcp_exchange(const verify::LabHost& to, std::uint16_t port, int rounds, int client,
                          int listener) {
    auto sa = to_sockaddr(to.address, port);
    if (::connect(client, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        return sys_error(fmt::format("connect to {}:{}", to.address.str(), port));
    Fd server(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    if (server.fd < 0) return sys_error("accept");
    for (int i = 0; i < rounds; ++i)
        if (!send_all(client, kRequest) || !recv_exactly(server.fd, kRequest) || !send_all(server.fd, kAnswer) ||
            !recv_exactly(client, kAnswer))
            return sys_error(fmt::format("exchange {} with {}:{}", i, to.address.str(), port));
    // Orderly close from both ends: FIN each way, so each direction's flow ends as TCP does.
    char c;
    if (::shutdown(client, SHUT_WR) != 0 || ::recv(server.fd, &c, 1, 0) != 0) return sys_error("closing (server side)");
    if (::shutdown(server.fd, SHUT_WR) != 0 || ::recv(client, &c, 1, 0) != 0) return sys_error("closing (client side)");
    return true;
}

Result<bool> udp_exchange(const verify::LabHost& to, std::uint16_t port, int rounds, int client, int server) {
    auto sa = to_sockaddr(to.address, port);
    std::string buf(kDatagram, 'n');
    for (int i = 0; i < rounds; ++i) {
        sockaddr_in peer{};
        socklen_t len = sizeof peer;
        char in[512];
        if (::sendto(client, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 ||
            ::recvfrom(server, in, sizeof in, 0, reinterpret_cast<sockaddr*>(&peer), &len) < 0 ||
            ::sendto(server, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&peer), len) < 0 ||
            ::recv(client, in, sizeof in, 0) < 0)
            return sys_error(fmt::format("datagram {} with {}:{}", i, to.address.str(), port));
    }
    return true;
}

}  // namespace

Result<MadeSession> make_session(const verify::LabHost& from, const verify::LabHost& to, bool tcp,
                                 std::uint16_t port, int rounds) {
    int type = tcp ? SOCK_STREAM : SOCK_DGRAM;
    auto server = bound(to, type, port);
    if (!server) return server.error();
    if (tcp && ::listen(server->fd, 4) != 0) return sys_error("listen");
    auto client = bound(from, type, 0);
    if (!client) return client.error();
    MadeSession s{from.class_name, to.class_name, from.address, to.address, tcp, local_port(client->fd), port};
    s.start_us = now_us();
    auto done = tcp ? tcp_exchange(to, port, rounds, client->fd, server->fd)
                    : udp_exchange(to, port, rounds, client->fd, server->fd);
    if (!done) return done.error();
    s.end_us = now_us();
    auto n = static_cast<std::uint64_t>(rounds);
    s.orig_bytes = n * (tcp ? kRequest : kDatagram);
    s.resp_bytes = n * (tcp ? kAnswer : kDatagram);
    s.orig_pkts = n + (tcp ? 5 : 0);  // TCP: SYN, ACK, FIN, the ACKs of the last answer and of its FIN
    s.resp_pkts = n + (tcp ? 3 : 0);  // TCP: SYN-ACK, FIN, the ACK of the client's FIN
    return s;
}

Result<bool> send_filler(const verify::LabHost& from, int datagrams) {
    auto s = bound(from, SOCK_DGRAM, 0);
    if (!s) return s.error();
    auto sa = to_sockaddr(from.gateway, kFillerPort);
    std::string buf(16, 'f');
    for (int i = 0; i < datagrams; ++i)
        if (::sendto(s->fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0)
            return sys_error("filler to " + from.gateway.str());
    return true;
}

// ---- processes in namespaces ----------------------------------------------------------------

NetnsProcess& NetnsProcess::operator=(NetnsProcess&& o) noexcept {
    std::swap(pid_, o.pid_);
    return *this;
}

NetnsProcess::~NetnsProcess() {
    if (pid_ > 0) (void)stop(SIGKILL, 2s);
}

Result<NetnsProcess> NetnsProcess::start(const std::string& netns, const std::vector<std::string>& argv,
                                         const std::string& log) {
    Fd out(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    Fd ns(netns.empty() ? -1 : ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC));
    if (out.fd < 0 || (!netns.empty() && ns.fd < 0)) return sys_error("starting " + argv.front());
    pid_t pid = ::fork();
    if (pid < 0) return sys_error("fork");
    if (pid == 0) {
        if (ns.fd >= 0 && ::setns(ns.fd, CLONE_NEWNET) != 0) ::_exit(126);
        ::dup2(out.fd, 1);
        ::dup2(out.fd, 2);
        int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, 0);
        // The tools live in /usr/sbin (softflowd) and /usr/bin (nfcapd, nfdump).
        std::string path = fmt::format("{}:/usr/sbin:/usr/bin:/sbin:/bin", ::getenv("PATH") ? ::getenv("PATH") : "");
        ::setenv("PATH", path.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    NetnsProcess p;
    p.pid_ = pid;
    return p;
}

Result<int> NetnsProcess::stop(int signal, std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return make_error("no process");
    if (signal) ::kill(pid_, signal);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;) {
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_ || (r < 0 && errno == ECHILD)) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
            return make_error(fmt::format("still running {} ms after signal {}", timeout.count(), signal));
        }
        std::this_thread::sleep_for(20ms);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

NetnsRun run_in_netns(const std::string& netns, const std::vector<std::string>& argv,
                      std::chrono::milliseconds timeout) {
    char log[] = "/tmp/microseg-netns-run-XXXXXX";
    Fd keep(::mkstemp(log));
    NetnsRun r;
    auto p = NetnsProcess::start(netns, argv, log);
    if (p) {
        auto code = p->stop(0, timeout);
        r.exit_code = code ? *code : -1;
    }
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    r.output = p ? text.str() : p.error().message;
    ::unlink(log);
    return r;
}

// ---- the capture ------------------------------------------------------------------------------

namespace {

// Waits until `ready` holds, up to `timeout`.
template <class Ready>
bool wait_for(Ready ready, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Only what enters the router from this bridge's own subnets, and only TCP and UDP over IPv4:
// no IPv6 neighbour discovery, no IGMP, and a routed packet is seen once.
std::string capture_filter(const verify::LabPlan& plan, const verify::LabBridge& bridge) {
    std::set<std::string> subnets;
    for (const auto& h : plan.hosts)
        if (h.bridge == bridge.name) subnets.insert(fmt::format("src net {}/{}", h.subnet.network.str(), h.subnet.prefix_len));
    std::string any;
    for (const auto& s : subnets) any += (any.empty() ? "" : " or ") + s;
    return fmt::format("ip and (tcp or udp) and ({})", any);
}

const verify::LabHost* first_host_on(const verify::LabPlan& plan, const std::string& bridge) {
    for (const auto& h : plan.hosts)
        if (h.bridge == bridge) return &h;
    return nullptr;
}

}  // namespace

std::string FlowCapture::control_socket(std::size_t index) const {
    return fmt::format("{}/softflowd-{}.ctl", dir_, plan_.bridges[index].name);
}

Result<bool> FlowCapture::start() {
    std::filesystem::create_directories(capture_dir());
    std::string log = dir_ + "/nfcapd.log";
    auto c = NetnsProcess::start(plan_.router_netns, {"nfcapd", "-b", "127.0.0.1", "-p", std::to_string(port_), "-w",
                                                      capture_dir(), "-t", "3600"}, log);
    if (!c) return c.error();
    collector_ = std::move(*c);
    if (!wait_for([&] { return file_text(log).find("Startup") != std::string::npos; }, 5s))
        return make_error("nfcapd did not start: " + file_text(log));
    for (std::size_t i = 0; i < plan_.bridges.size(); ++i) {
        const auto& br = plan_.bridges[i];
        std::string ctl = control_socket(i), sf_log = fmt::format("{}/softflowd-{}.log", dir_, br.name);
        auto p = NetnsProcess::start(plan_.router_netns,
                                     {"softflowd", "-i", br.name, "-n", fmt::format("127.0.0.1:{}", port_), "-v", "9",
                                      "-d", "-c", ctl, "-p", fmt::format("{}/softflowd-{}.pid", dir_, br.name),
                                      capture_filter(plan_, br)},
                                     sf_log);
        if (!p) return p.error();
        probes_.push_back(std::move(*p));
        auto up = [&] { return run_in_netns(plan_.router_netns, {"softflowctl", "-c", ctl, "statistics"}).exit_code == 0; };
        if (!wait_for(up, 5s)) return make_error("softflowd did not start: " + file_text(sf_log));
    }
    return true;
}

// softflowd reads its capture without libpcap's immediate mode: packets wait in the kernel's
// ring until a block fills. Filler datagrams sent after the sessions fill it; once softflowd
// lists the filler's flow, every packet before it has been read.
Result<bool> FlowCapture::flush_bridge(std::size_t index) {
    const auto* host = first_host_on(plan_, plan_.bridges[index].name);
    if (!host) return true;
    std::string marker = fmt::format("[{}]:{} ", host->gateway.str(), kFillerPort);
    for (int burst = 0; burst < 40; ++burst) {
        if (auto ok = send_filler(*host, 500); !ok) return ok;
        std::this_thread::sleep_for(50ms);
        auto flows = run_in_netns(plan_.router_netns, {"softflowctl", "-c", control_socket(index), "dump-flows"});
        if (flows.output.find(marker) != std::string::npos) return true;
    }
    return make_error("softflowd on " + plan_.bridges[index].name + " never showed the filler flow");
}

Result<bool> FlowCapture::finish() {
    for (std::size_t i = 0; i < probes_.size(); ++i)
        if (auto ok = flush_bridge(i); !ok) return ok;
    for (std::size_t i = 0; i < probes_.size(); ++i) {
        for (const char* command : {"expire-all", "shutdown"}) {
            auto r = run_in_netns(plan_.router_netns, {"softflowctl", "-c", control_socket(i), command});
            if (r.exit_code != 0) return make_error(fmt::format("softflowctl {}: {}", command, r.output));
        }
        if (auto code = probes_[i].stop(0, 5s); !code) return code.error();
    }
    std::this_thread::sleep_for(300ms);  // the last export datagrams reach nfcapd over loopback
    if (auto code = collector_.stop(SIGTERM, 5s); !code) return code.error();  // SIGTERM: nfcapd closes its file
    return true;
}

Result<std::string> FlowCapture::nfdump_csv() const {
    auto r = run_in_netns("", {"nfdump", "-R", capture_dir(), "-o", "csv", fmt::format("not port {}", kFillerPort)});
    if (r.exit_code != 0) return make_error("nfdump failed: " + r.output);
    return r.output;
}

// ---- nfdump CSV ---------------------------------------------------------------------------------

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, sep)) {
        auto b = field.find_first_not_of(' '), e = field.find_last_not_of(' ');
        out.push_back(b == std::string::npos ? "" : field.substr(b, e - b + 1));
    }
    return out;
}

template <class T>
bool number(const std::string& text, T& out) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && p == text.data() + text.size();
}

std::optional<NfdumpRow> nfdump_row(const std::vector<std::string>& f, const std::map<std::string, std::size_t>& at) {
    auto col = [&](const char* name) -> const std::string& { return f[at.at(name)]; };
    NfdumpRow row;
    auto src = IpAddress::parse(col("sa")), dst = IpAddress::parse(col("da"));
    if (!src || !dst || !number(col("sp"), row.src_port) || !number(col("dp"), row.dst_port) ||
        !number(col("ipkt"), row.packets) || !number(col("ibyt"), row.bytes))
        return std::nullopt;
    row.src = *src;
    row.dst = *dst;
    row.protocol = col("pr");
    return row;
}

}  // namespace

Result<std::vector<NfdumpRow>> parse_nfdump_csv(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::map<std::string, std::size_t> at;
    while (at.empty() && std::getline(in, line))
        if (line.rfind("ts,", 0) == 0) {
            auto names = split(line, ',');
            for (std::size_t i = 0; i < names.size(); ++i) at[names[i]] = i;
        }
    for (const char* name : {"sa", "da", "sp", "dp", "pr", "ipkt", "ibyt"})
        if (!at.count(name)) return make_error(fmt::format("no column {} in nfdump's header", name));
    std::vector<NfdumpRow> rows;
    for (int n = 2; std::getline(in, line) && !line.empty() && line != "Summary" && line != "No matching flows"; ++n) {
        auto fields = split(line, ',');
        auto row = fields.size() == at.size() ? nfdump_row(fields, at) : std::nullopt;
        if (!row) return make_error(fmt::format("nfdump line {}: {}", n, line));
        rows.push_back(std::move(*row));
    }
    return rows;
}

// ---- Zeek conn.log ------------------------------------------------------------------------------

namespace {

std::string uid_of(std::size_t i) {  // Zeek's uids: "C" and 17 base-62 characters
    static const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string uid = "C";
    std::uint64_t x = 0x9e3779b97f4a7c15ULL * (i + 1);
    for (int k = 0; k < 17; ++k, x = x * 6364136223846793005ULL + 1442695040888963407ULL) uid += digits[(x >> 33) % 62];
    return uid;
}

std::string zeek_time(std::int64_t us) { return fmt::format("{}.{:06}", us / 1'000'000, us % 1'000'000); }

std::string zeek_stamp(std::int64_t us) {  // #open and #close: local time as Zeek writes it (here UTC)
    std::time_t t = us / 1'000'000;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d-%H-%M-%S", &tm);
    return buf;
}

std::uint64_t ip_bytes(const MadeSession& s, std::uint64_t payload, std::uint64_t packets) {
    return payload + packets * (s.tcp ? 20 + 32 : 20 + 8);  // IPv4 + TCP with timestamps, or UDP
}

const char* history(const MadeSession& s) { return s.tcp ? "ShADadFf" : "Dd"; }

}  // namespace

std::string zeek_conn_tsv(const std::vector<MadeSession>& sessions) {
    std::int64_t open = sessions.empty() ? 0 : sessions.front().start_us, close = open;
    for (const auto& s : sessions) close = std::max(close, s.end_us);
    std::string out = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n";
    out += fmt::format("#open\t{}\n", zeek_stamp(open));
    out += "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\t"
           "resp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\t"
           "resp_pkts\tresp_ip_bytes\ttunnel_parents\n";
    out += "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\t"
           "count\tstring\tcount\tcount\tcount\tcount\tset[string]\n";
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t-\t{}\t{}\t{}\tSF\t-\t-\t0\t{}\t{}\t{}\t{}\t{}\t-\n",
                           zeek_time(s.start_us), uid_of(i), s.initiator.str(), s.initiator_port, s.responder.str(),
                           s.responder_port, s.tcp ? "tcp" : "udp", zeek_time(s.end_us - s.start_us), s.orig_bytes,
                           s.resp_bytes, history(s), s.orig_pkts, ip_bytes(s, s.orig_bytes, s.orig_pkts), s.resp_pkts,
                           ip_bytes(s, s.resp_bytes, s.resp_pkts));
    }
    return out + fmt::format("#close\t{}\n", zeek_stamp(close));
}

std::string zeek_conn_json(const std::vector<MadeSession>& sessions) {
    std::string out;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        out += fmt::format(
            R"({{"ts":{},"uid":"{}","id.orig_h":"{}","id.orig_p":{},"id.resp_h":"{}","id.resp_p":{},"proto":"{}",)"
            R"("duration":{},"orig_bytes":{},"resp_bytes":{},"conn_state":"SF","missed_bytes":0,"history":"{}",)"
            R"("orig_pkts":{},"orig_ip_bytes":{},"resp_pkts":{},"resp_ip_bytes":{},"ip_proto":{}}})"
            "\n",
            zeek_time(s.start_us), uid_of(i), s.initiator.str(), s.initiator_port, s.responder.str(), s.responder_port,
            s.tcp ? "tcp" : "udp", zeek_time(s.end_us - s.start_us), s.orig_bytes, s.resp_bytes, history(s),
            s.orig_pkts, ip_bytes(s, s.orig_bytes, s.orig_pkts), s.resp_pkts, ip_bytes(s, s.resp_bytes, s.resp_pkts),
            s.tcp ? 6 : 17);
    }
    return out;
}

}  // namespace microseg::testing
