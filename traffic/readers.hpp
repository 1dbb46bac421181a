#pragma once
// What the flow readers share (private to traffic/): the per-read context that counts records,
// skipped and bad lines; the line readers of each format; and the field parsers, written for
// speed (the 10-million-record goal): string_view fields, std::from_chars, no allocation per line.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "traffic/flow_reader.hpp"

namespace microseg::traffic::detail {

// One read: where records go and what is counted about the lines.
class ReadContext {
public:
    ReadContext(std::string name, const RecordSink& sink, ReadSummary& summary)
        : name_(std::move(name)), sink_(sink), summary_(summary) {}

    void emit(FlowRecord& record, int line) {
        record.line = line;
        ++summary_.records;
        sink_(record);
    }
    void skip() { ++summary_.skipped; }
    // A `bad-flow-line` warning at `line` (the first kMaxWarnings kept), counted either way.
    void bad(int line, std::string_view reason);
    const std::string& name() const { return name_; }

private:
    std::string name_;
    const RecordSink& sink_;
    ReadSummary& summary_;
};

// Reads one format line by line; `text` has no line end and is never empty.
class LineReader {
public:
    virtual ~LineReader() = default;
    virtual void line(std::string_view text, int number) = 0;
};

std::unique_ptr<LineReader> make_zeek_tsv_reader(ReadContext& context);
std::unique_ptr<LineReader> make_zeek_json_reader(ReadContext& context);
std::unique_ptr<LineReader> make_nfdump_reader(ReadContext& context);
std::unique_ptr<LineReader> make_plain_csv_reader(ReadContext& context);

// Detection helpers the readers own (a Zeek JSON line, a plain CSV header or record).
bool is_zeek_json_object(std::string_view line);
bool looks_like_plain_csv(std::string_view line);
bool looks_like_nfdump_header(std::string_view line);
bool looks_like_headerless_nfdump(std::string_view line);

// Splits `line` at `separator` into `fields` (cleared first; the views point into `line`).
void split(std::string_view line, char separator, std::vector<std::string_view>& fields);
void split(std::string_view line, std::string_view separator, std::vector<std::string_view>& fields);
std::string_view trim(std::string_view s);  // spaces and tabs at both ends

// Field parsers: nullopt (or false) for anything but the exact form.
std::optional<IpAddress> parse_address(std::string_view text);  // dotted IPv4 fast, else IPv6
std::optional<std::uint64_t> parse_count(std::string_view text);  // decimal digits only
std::optional<std::uint16_t> parse_port(std::string_view text);   // 0-65535
// A protocol name (tcp, udp, icmp, icmp6/ipv6-icmp, gre, esp, ah, sctp; any case) or 0-255.
std::optional<std::uint8_t> parse_protocol(std::string_view text, bool ipv6);
// Seconds with an optional fraction ("1258531221.486539"), as microseconds.
std::optional<std::int64_t> parse_seconds_us(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS[.ffffff][Z]" (or a space for the T), read as UTC, as microseconds.
std::optional<std::int64_t> parse_datetime_us(std::string_view text);
// Either form above.
std::optional<std::int64_t> parse_time_us(std::string_view text);
std::optional<std::uint64_t> parse_mac(std::string_view text);  // "00:11:22:aa:bb:cc"

// The field quoted for a warning: control bytes escaped, cut at 40 bytes.
std::string quote(std::string_view field);

// ICMP's "ports" are its type and code (Zeek and nfdump put them there): not a service.
inline void clear_icmp_ports(FlowRecord& r) {
    if (r.protocol == kIcmp || r.protocol == kIcmpV6) r.src_port = r.dst_port = 0;
}

// The record's ends, as every reader sets them (ICMP without ports).
inline void set_ends(FlowRecord& r, const IpAddress& src, const IpAddress& dst, std::uint8_t protocol,
                     std::uint16_t src_port, std::uint16_t dst_port) {
    r.src = src;
    r.dst = dst;
    r.protocol = protocol;
    r.src_port = src_port;
    r.dst_port = dst_port;
    clear_icmp_ports(r);
}

}  // namespace microseg::traffic::detail
