// The plain CSV, microseg's own least common denominator for flow exports of any tool:
//   src,dst,proto,dport[,sport,count,bytes,first,last]
// src initiates; proto is tcp, udp, icmp (any case) or an IANA number; count is the sessions the
// line stands for (1 when left out); first/last are Unix seconds (a fraction allowed) or
// ISO-8601 UTC (`2024-06-01T10:00:00.250Z`). An optional header line names the columns: exactly
// src,dst,proto,dport followed by any of sport,count,bytes,first,last in that order. Without one,
// columns are positional and trailing ones may be left out. Lines starting with '#' are
// comments; fields may be quoted ("10.0.0.1") and padded with spaces.
#include <array>

#include <fmt/format.h>

#include "traffic/readers.hpp"

namespace microseg::traffic::detail {
namespace {

enum Column : std::size_t { src, dst, proto, dport, sport, count, bytes, first, last, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {"src", "dst", "proto", "dport", "sport",
                                                                 "count", "bytes", "first", "last"};

std::string_view unquote(std::string_view f) {
    f = trim(f);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    return f;
}

bool uses_ports(std::uint8_t protocol) { return protocol == kTcp || protocol == kUdp || protocol == 132; }

class PlainCsvReader : public LineReader {
public:
    explicit PlainCsvReader(ReadContext& context) : context_(context) {
        fields_.reserve(16);
        for (std::size_t c = 0; c < kColumns; ++c) columns_[c] = static_cast<int>(c);
    }

    void line(std::string_view text, int number) override {
        if (text.front() == '#') return context_.skip();
        split(text, ',', fields_);
        if (unquote(fields_.front()) == "src") return header(number);
        if (fields_.size() < 4 || fields_.size() > column_count_)
            return context_.bad(number, fmt::format("{} fields where {} to {} are expected (src,dst,proto,dport[,...])",
                                                    fields_.size(), 4, column_count_));
        if (read_record(number)) context_.emit(record_, number);
    }

private:
    void header(int number);
    bool read_record(int number);
    bool read_counts(int number);
    std::string_view field(Column c) const {
        int i = columns_[c];
        return i < 0 || static_cast<std::size_t>(i) >= fields_.size() ? std::string_view{}
                                                                       : unquote(fields_[static_cast<std::size_t>(i)]);
    }
    bool bad(int number, Column c, std::string_view what) {
        context_.bad(number, fmt::format("bad {} ({}) {}", what, kColumnNames[c], quote(field(c))));
        return false;
    }

    ReadContext& context_;
    std::array<int, kColumns> columns_{};
    std::size_t column_count_ = kColumns;
    std::vector<std::string_view> fields_;
    FlowRecord record_;
};

void PlainCsvReader::header(int number) {
    std::array<int, kColumns> columns;
    columns.fill(-1);
    std::size_t next = 0;  // header names must come in kColumnNames order
    bool ok = fields_.size() >= 4;
    for (std::size_t i = 0; ok && i < fields_.size(); ++i) {
        std::string_view name = unquote(fields_[i]);
        while (next < kColumns && kColumnNames[next] != name && next > dport) ++next;
        ok = next < kColumns && kColumnNames[next] == name;
        if (ok) columns[next++] = static_cast<int>(i);
    }
    if (!ok)
        return context_.bad(number, "a header must be src,dst,proto,dport then any of sport,count,bytes,first,last in that order");
    columns_ = columns;
    column_count_ = fields_.size();
    context_.skip();
}

bool PlainCsvReader::read_record(int number) {
    auto from = parse_address(field(src));
    if (!from) return bad(number, src, "address");
    auto to = parse_address(field(dst));
    if (!to) return bad(number, dst, "address");
    auto protocol = parse_protocol(field(proto), from->family == IpFamily::v6);
    if (!protocol) return bad(number, proto, "protocol");
    bool portless = !uses_ports(*protocol);
    auto to_port = field(dport).empty() && portless ? std::optional<std::uint16_t>(0) : parse_port(field(dport));
    if (!to_port) return bad(number, dport, "port");
    auto from_port = field(sport).empty() ? std::optional<std::uint16_t>(0) : parse_port(field(sport));
    if (!from_port) return bad(number, sport, "port");
    set_ends(record_, *from, *to, *protocol, *from_port, *to_port);
    record_.initiator_known = true;
    return read_counts(number);
}

bool PlainCsvReader::read_counts(int number) {
    auto sessions = field(count).empty() ? std::optional<std::uint64_t>(1) : parse_count(field(count));
    if (!sessions || *sessions == 0) return bad(number, count, "session count");
    auto byte_count = field(bytes).empty() ? std::optional<std::uint64_t>(0) : parse_count(field(bytes));
    if (!byte_count) return bad(number, bytes, "byte count");
    auto first_us = field(first).empty() ? std::optional<std::int64_t>(0) : parse_time_us(field(first));
    if (!first_us) return bad(number, first, "time");
    auto last_us = field(last).empty() ? first_us : parse_time_us(field(last));
    if (!last_us) return bad(number, last, "time");
    if (*last_us < *first_us) return bad(number, last, "time (before first)");
    record_.sessions = *sessions;
    record_.bytes = *byte_count;
    record_.first_ms = *first_us / 1000;
    record_.last_ms = *last_us / 1000;
    return true;
}

}  // namespace

// A header `src,dst,...`, or a line whose first two fields are IP addresses.
bool looks_like_plain_csv(std::string_view line) {
    std::vector<std::string_view> fields;
    split(line, ',', fields);
    if (fields.size() < 2) return false;
    auto a = unquote(fields[0]), b = unquote(fields[1]);
    if (a == "src" && b == "dst") return true;
    return parse_address(a) && parse_address(b);
}

std::unique_ptr<LineReader> make_plain_csv_reader(ReadContext& context) {
    return std::make_unique<PlainCsvReader>(context);
}

}  // namespace microseg::traffic::detail
