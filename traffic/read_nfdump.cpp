// nfdump's CSV, as `nfdump -r FILE -o csv` of Debian bookworm's nfdump 1.7.1 prints it (checked
// on real output: tests/fixtures/traffic/README.md says how it was made). Relied on:
// - one header line `ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,...,ra,eng,
//   exid,tr`, then one line per flow record, each one direction of a connection; columns are
//   found by their header name, so other nfdump versions' column sets read too;
// - after the records, `Summary`, a header `flows,bytes,packets,avg_bps,avg_pps,avg_bpp` and its
//   values; with no record at all, the line `No matching flows`: none of them is a flow;
// - ts/te as `YYYY-MM-DD HH:MM:SS` (1.7.1 prints no milliseconds; `.mmm` is read when present)
//   in the local time of the machine that ran nfdump: read as UTC (run nfdump with TZ=UTC for
//   true times), td the duration in seconds with milliseconds;
// - pr a name (TCP, UDP, ICMP, ICMP6, ...) or a number; ICMP's dp is type*256+code: not a port;
// - ibyt the bytes of the record, obyt those of the reverse direction in bidirectional
//   (NSEL, IPFIX biflow) records, 0 otherwise; ra the exporting router's address, eng
//   "type/id", exid the exporter's id; ismc/idmc the MAC addresses where the exporter sends them.
// - with -q nfdump prints neither the header nor the summary: a file whose first line is a
//   48-field record beginning with a date is read with 1.7.1's header, kHeaderOf171.
// Numeric columns may be padded with spaces (`    0.000`): fields are trimmed.
#include <array>

#include <fmt/format.h>

#include "traffic/readers.hpp"

namespace microseg::traffic::detail {
namespace {

constexpr std::string_view kHeaderOf171 =
    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,"
    "ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr";
constexpr std::size_t kColumnsOf171 = 48;

enum Column : std::size_t { ts, te, td, sa, da, sp, dp, pr, ibyt, obyt, ra, exid, eng, ismc, idmc, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {
    "ts", "te", "td", "sa", "da", "sp", "dp", "pr", "ibyt", "obyt", "ra", "exid", "eng", "ismc", "idmc"};

class NfdumpReader : public LineReader {
public:
    explicit NfdumpReader(ReadContext& context) : context_(context) { fields_.reserve(64); }

    void line(std::string_view text, int number) override {
        // Records begin with a date; a line that begins otherwise may be a (new) header.
        if ((text.front() < '0' || text.front() > '9') && looks_like_nfdump_header(text)) return header(text, number);
        if (in_summary_ || text == "No matching flows" || text == "Summary") {
            in_summary_ = true;  // the rest of this output is the summary
            return context_.skip();
        }
        if (!usable_ && !seen_header_ && looks_like_headerless_nfdump(text)) header(kHeaderOf171, 0);
        if (!usable_) return context_.bad(number, "a record before the nfdump header line (ts,te,td,sa,da,...)");
        split(text, ',', fields_);
        if (fields_.size() != column_count_)
            return context_.bad(number, fmt::format("{} fields where the header names {}", fields_.size(), column_count_));
        if (read_record(number)) context_.emit(record_, number);
    }

private:
    void header(std::string_view text, int number);
    bool read_record(int number);
    bool read_times(int number);
    void read_exporter();
    std::string_view field(Column c) const {
        int i = columns_[c];
        return i < 0 ? std::string_view{} : trim(fields_[static_cast<std::size_t>(i)]);
    }
    bool bad(int number, Column c, std::string_view what) {
        context_.bad(number, fmt::format("bad {} ({}) {}", what, kColumnNames[c], quote(field(c))));
        return false;
    }

    ReadContext& context_;
    std::array<int, kColumns> columns_{};
    std::size_t column_count_ = 0;
    bool usable_ = false, in_summary_ = false, seen_header_ = false;
    std::vector<std::string_view> fields_;
    FlowRecord record_;
};

// `number` 0: the header nfdump -q leaves out, assumed (no line to count or blame).
void NfdumpReader::header(std::string_view text, int number) {
    seen_header_ = true;
    in_summary_ = false;  // a second nfdump output begins (several piped into one file)
    split(text, ',', fields_);
    columns_.fill(-1);
    column_count_ = fields_.size();
    for (std::size_t i = 0; i < fields_.size(); ++i)
        for (std::size_t c = 0; c < kColumns; ++c)
            if (trim(fields_[i]) == kColumnNames[c]) columns_[c] = static_cast<int>(i);
    usable_ = true;
    for (Column c : {ts, sa, da, sp, dp, pr, ibyt}) {
        if (columns_[c] >= 0) continue;
        usable_ = false;
        return context_.bad(number, fmt::format("the nfdump header has no {} column", kColumnNames[c]));
    }
    if (number > 0) context_.skip();
}

bool NfdumpReader::read_record(int number) {
    auto src = parse_address(field(sa));
    if (!src) return bad(number, sa, "address");
    auto dst = parse_address(field(da));
    if (!dst) return bad(number, da, "address");
    auto sport = parse_port(field(sp));
    if (!sport) return bad(number, sp, "port");
    auto dport = parse_port(field(dp));
    if (!dport) return bad(number, dp, "port");
    auto protocol = parse_protocol(field(pr), false);
    if (!protocol) return bad(number, pr, "protocol");
    auto in_bytes = parse_count(field(ibyt));
    if (!in_bytes) return bad(number, ibyt, "byte count");
    std::optional<std::uint64_t> out_bytes = field(obyt).empty() ? 0 : parse_count(field(obyt));
    if (!out_bytes) return bad(number, obyt, "byte count");
    set_ends(record_, *src, *dst, *protocol, *sport, *dport);
    record_.bytes = *in_bytes + *out_bytes;
    record_.initiator_known = false;
    record_.src_mac = parse_mac(field(ismc)).value_or(0);
    record_.dst_mac = parse_mac(field(idmc)).value_or(0);
    read_exporter();
    return read_times(number);
}

// first from ts; last from te, or ts + td when that is later (1.7.1 prints te in whole seconds).
bool NfdumpReader::read_times(int number) {
    auto first_us = parse_datetime_us(field(ts));
    if (!first_us) return bad(number, ts, "time");
    std::int64_t last_us = *first_us;
    if (!field(te).empty()) {
        auto end = parse_datetime_us(field(te));
        if (!end) return bad(number, te, "time");
        last_us = std::max(last_us, *end);
    }
    if (!field(td).empty()) {
        auto duration = parse_seconds_us(field(td));
        if (!duration) return bad(number, td, "duration");
        last_us = std::max(last_us, *first_us + *duration);
    }
    record_.first_ms = *first_us / 1000;
    record_.last_ms = last_us / 1000;
    return true;
}

void NfdumpReader::read_exporter() {
    std::string_view router = field(ra);
    if (!router.empty()) {
        record_.exporter.assign(router);
    } else if (!field(exid).empty()) {
        record_.exporter.assign("exporter ");
        record_.exporter.append(field(exid));
    } else if (!field(eng).empty()) {
        record_.exporter.assign("engine ");
        record_.exporter.append(field(eng));
    } else {
        record_.exporter.clear();
    }
}

}  // namespace

// `ts,te,td,sa,da...`, or any header naming sa, da, sp, dp and pr.
bool looks_like_nfdump_header(std::string_view line) {
    if (line.starts_with("ts,te,td,sa,da")) return true;
    std::vector<std::string_view> fields;
    split(line, ',', fields);
    int found = 0;
    for (auto f : fields)
        for (std::string_view name : {"sa", "da", "sp", "dp", "pr"})
            if (trim(f) == name) ++found;
    return found == 5;
}

// A record of `nfdump -q -o csv` (no header): 1.7.1's 48 fields, a date first, addresses 4th and 5th.
bool looks_like_headerless_nfdump(std::string_view line) {
    std::vector<std::string_view> fields;
    split(line, ',', fields);
    return fields.size() == kColumnsOf171 && parse_datetime_us(fields[0]) && parse_address(trim(fields[3])) &&
           parse_address(trim(fields[4]));
}

std::unique_ptr<LineReader> make_nfdump_reader(ReadContext& context) { return std::make_unique<NfdumpReader>(context); }

}  // namespace microseg::traffic::detail
