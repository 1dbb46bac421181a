// Zeek's conn.log, in its two forms. Relied on:
// - Zeek "Log Formats and Inspection" (docs.zeek.org/en/v7.0.11/log-formats.html) and the
//   LogAscii writer options (docs.zeek.org/en/v8.2.0/scripts/base/frameworks/logging/writers/
//   ascii.zeek.html): the TSV header block `#separator \x09` (escaped, space-separated because
//   the separator is not known yet), then `#set_separator`, `#empty_field` `(empty)`,
//   `#unset_field` `-`, `#path`, `#open`, `#fields`, `#types`, each split by the separator;
//   `#close` at the end; a rotated or concatenated file repeats the block.
// - conn.log's fields (Zeek's Conn::Info): ts (time), id.orig_h/id.resp_h (addr),
//   id.orig_p/id.resp_p (port; ICMP type and code for ICMP), proto (tcp, udp, icmp,
//   unknown_transport), duration (interval), orig_bytes/resp_bytes (count, unset when unknown),
//   orig_l2_addr/resp_l2_addr (policy/protocols/conn/mac-logging), ip_proto (Zeek 6+).
// - JSON (LogAscii::use_json, policy/tuning/json-logs.zeek): one object per line, the same
//   names as keys, unset fields left out; ts a number, or an ISO-8601 string
//   ("2019-03-14T23:59:49.920582Z") with LogAscii::json_timestamps = JSON::TS_ISO8601, or
//   integer milliseconds with JSON::TS_MILLIS.
//   Renamed keys (Log::default_field_name_map, "id.orig_h" -> "id_orig_h") are read too.
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "traffic/readers.hpp"

namespace microseg::traffic::detail {
namespace {

using json = nlohmann::json;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    char lower = static_cast<char>(c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

// "\x09" -> a tab; other text as it is.
std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && hex_digit(s[i + 2]) >= 0 && hex_digit(s[i + 3]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 2]) * 16 + hex_digit(s[i + 3]));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The #fields columns a record is built from; -1 when the header has no such column.
enum Column : std::size_t { ts, orig_h, orig_p, resp_h, resp_p, proto, ip_proto, duration, orig_bytes, resp_bytes, orig_l2, resp_l2, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {
    "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "ip_proto", "duration",
    "orig_bytes", "resp_bytes", "orig_l2_addr", "resp_l2_addr"};

class ZeekTsvReader : public LineReader {
public:
    explicit ZeekTsvReader(ReadContext& context) : context_(context) { fields_.reserve(64); }

    void line(std::string_view text, int number) override {
        if (text.front() == '#') return header(text, number);
        if (!have_fields_) return context_.bad(number, "a record before the #fields header line");
        if (!usable_) return context_.skip();  // another log's records (its #fields said so once)
        record(text, number);
    }

private:
    void header(std::string_view text, int number);
    bool fields_header(int number);
    void record(std::string_view text, int number);
    bool read_record(int number);
    std::string_view field(Column c) const {
        int i = columns_[c];
        return i < 0 ? std::string_view(unset_) : fields_[static_cast<std::size_t>(i)];
    }
    bool unset(std::string_view f) const { return f == unset_ || f == empty_; }

    ReadContext& context_;
    std::string separator_ = "\t", unset_ = "-", empty_ = "(empty)";
    std::array<int, kColumns> columns_{};
    std::size_t column_count_ = 0;
    bool have_fields_ = false, usable_ = false;
    std::vector<std::string_view> fields_;
    FlowRecord record_;
};

void ZeekTsvReader::header(std::string_view text, int number) {
    if (text.starts_with("#separator")) {
        std::string sep = unescape(trim(text.substr(10)));
        if (sep.empty()) return context_.bad(number, "an empty #separator");
        separator_ = std::move(sep);
        have_fields_ = usable_ = false;  // a new log begins
        return context_.skip();
    }
    split(text, separator_, fields_);
    std::string_view key = fields_.front();
    if (key == "#fields" && !fields_header(number)) return;
    if (key == "#unset_field" && fields_.size() > 1) unset_ = std::string(fields_[1]);
    if (key == "#empty_field" && fields_.size() > 1) empty_ = std::string(fields_[1]);
    // #set_separator, #path, #open, #close, #types: nothing a flow needs (no conn.log column
    // this reader uses is a set).
    context_.skip();
}

// Where each column is; false (reported) when the log is no conn.log.
bool ZeekTsvReader::fields_header(int number) {
    columns_.fill(-1);
    column_count_ = fields_.size() - 1;
    for (std::size_t i = 1; i < fields_.size(); ++i)
        for (std::size_t c = 0; c < kColumns; ++c)
            if (fields_[i] == kColumnNames[c]) columns_[c] = static_cast<int>(i - 1);
    have_fields_ = true;
    usable_ = true;
    for (Column c : {ts, orig_h, orig_p, resp_h, resp_p, proto}) {
        if (columns_[c] >= 0) continue;
        usable_ = false;
        context_.bad(number, fmt::format("the #fields header has no {} column: not a conn.log; its records are skipped",
                                         kColumnNames[c]));
        return false;
    }
    return true;
}

void ZeekTsvReader::record(std::string_view text, int number) {
    split(text, separator_, fields_);
    if (fields_.size() != column_count_)
        return context_.bad(number, fmt::format("{} fields where the #fields header names {}", fields_.size(), column_count_));
    if (read_record(number)) context_.emit(record_, number);
}

// Fills record_ from fields_; false when the line was bad (reported) or skipped.
bool ZeekTsvReader::read_record(int number) {
    auto src = parse_address(field(orig_h));
    auto dst = parse_address(field(resp_h));
    if (!src || !dst) return context_.bad(number, fmt::format("bad address {}", quote(field(src ? resp_h : orig_h)))), false;
    auto sport = parse_port(field(orig_p));
    auto dport = parse_port(field(resp_p));
    if (!sport || !dport) return context_.bad(number, fmt::format("bad port {}", quote(field(sport ? resp_p : orig_p)))), false;
    std::string_view proto_text = field(proto);
    if (proto_text == "unknown_transport" && !unset(field(ip_proto))) proto_text = field(ip_proto);
    auto protocol = parse_protocol(proto_text, src->family == IpFamily::v6);
    if (!protocol && proto_text == "unknown_transport") return context_.skip(), false;
    if (!protocol) return context_.bad(number, fmt::format("bad protocol {}", quote(proto_text))), false;
    auto first_us = parse_time_us(field(ts));
    if (!first_us) return context_.bad(number, fmt::format("bad ts {}", quote(field(ts)))), false;
    std::optional<std::int64_t> duration_us = unset(field(duration)) ? 0 : parse_seconds_us(field(duration));
    if (!duration_us) return context_.bad(number, fmt::format("bad duration {}", quote(field(duration)))), false;
    std::uint64_t bytes = 0;
    for (Column c : {orig_bytes, resp_bytes}) {
        if (unset(field(c))) continue;
        auto n = parse_count(field(c));
        if (!n) return context_.bad(number, fmt::format("bad {} {}", kColumnNames[c], quote(field(c)))), false;
        bytes += *n;
    }
    set_ends(record_, *src, *dst, *protocol, *sport, *dport);
    record_.bytes = bytes;
    record_.first_ms = *first_us / 1000;
    record_.last_ms = (*first_us + *duration_us) / 1000;
    record_.initiator_known = true;
    record_.src_mac = columns_[orig_l2] < 0 ? 0 : parse_mac(field(orig_l2)).value_or(0);
    record_.dst_mac = columns_[resp_l2] < 0 ? 0 : parse_mac(field(resp_l2)).value_or(0);
    return true;
}

// A key as Zeek names it ("id.orig_h") or renamed with '_' for stores that refuse dots.
const json* member(const json& object, std::string_view dotted) {
    auto it = object.find(dotted);
    if (it != object.end()) return &*it;
    if (dotted.find('.') == dotted.npos) return nullptr;
    std::string underscored(dotted);
    underscored[underscored.find('.')] = '_';
    it = object.find(underscored);
    return it == object.end() ? nullptr : &*it;
}

std::optional<std::string_view> string_member(const json& object, std::string_view key) {
    const json* v = member(object, key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string_view(v->get_ref<const std::string&>());
}

std::optional<std::uint64_t> count_member(const json& object, std::string_view key) {
    const json* v = member(object, key);
    if (!v || !v->is_number_unsigned()) return std::nullopt;
    return v->get<std::uint64_t>();
}

// A JSON time: seconds as a number (JSON::TS_EPOCH), an ISO-8601 string (JSON::TS_ISO8601), or
// integer milliseconds (JSON::TS_MILLIS), told from seconds by size: 1e11 seconds is year 5138.
std::optional<std::int64_t> time_member(const json& object, std::string_view key) {
    const json* v = member(object, key);
    if (v && v->is_string()) return parse_datetime_us(v->get_ref<const std::string&>());
    if (!v || !v->is_number()) return std::nullopt;
    if (v->is_number_unsigned() && v->get<std::uint64_t>() >= 100'000'000'000ULL) {
        auto ms = v->get<std::uint64_t>();
        if (ms >= 100'000'000'000'000ULL) return std::nullopt;
        return static_cast<std::int64_t>(ms) * 1000;
    }
    double seconds = v->get<double>();
    if (!(seconds >= 0 && seconds < 1e11)) return std::nullopt;
    return static_cast<std::int64_t>(seconds * 1e6 + 0.5);
}

class ZeekJsonReader : public LineReader {
public:
    explicit ZeekJsonReader(ReadContext& context) : context_(context) {}

    void line(std::string_view text, int number) override {
        json object = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (object.is_discarded() || !object.is_object()) return context_.bad(number, "not a JSON object");
        if (auto why = read(object); !why.empty()) return context_.bad(number, why);
        context_.emit(record_, number);
    }

private:
    std::string read(const json& object);
    std::string read_times_and_bytes(const json& object);

    ReadContext& context_;
    FlowRecord record_;
};

// Fills record_; the reason when the object is no usable conn.log record.
std::string ZeekJsonReader::read(const json& object) {
    auto src_text = string_member(object, "id.orig_h"), dst_text = string_member(object, "id.resp_h");
    if (!src_text || !dst_text) return "no id.orig_h and id.resp_h strings: not a conn.log record";
    auto src = parse_address(*src_text), dst = parse_address(*dst_text);
    if (!src || !dst) return fmt::format("bad address {}", quote(src ? *dst_text : *src_text));
    auto sport = count_member(object, "id.orig_p"), dport = count_member(object, "id.resp_p");
    if (!sport || !dport || *sport > 65535 || *dport > 65535) return "id.orig_p and id.resp_p must be ports (0-65535)";
    auto proto_text = string_member(object, "proto");
    std::optional<std::uint8_t> protocol;
    if (proto_text) protocol = parse_protocol(*proto_text, src->family == IpFamily::v6);
    if (auto ip_proto = count_member(object, "ip_proto"); !protocol && ip_proto && *ip_proto <= 255)
        protocol = static_cast<std::uint8_t>(*ip_proto);
    if (!protocol) return fmt::format("bad proto {}", proto_text ? quote(*proto_text) : "(none)");
    set_ends(record_, *src, *dst, *protocol, static_cast<std::uint16_t>(*sport), static_cast<std::uint16_t>(*dport));
    record_.initiator_known = true;
    auto mac = [&](std::string_view key) {
        auto text = string_member(object, key);
        return text ? parse_mac(*text).value_or(0) : 0;
    };
    record_.src_mac = mac("orig_l2_addr");
    record_.dst_mac = mac("resp_l2_addr");
    return read_times_and_bytes(object);
}

std::string ZeekJsonReader::read_times_and_bytes(const json& object) {
    auto first_us = time_member(object, "ts");
    if (!first_us) return "no ts (seconds, or an ISO-8601 time)";
    std::int64_t duration_us = 0;
    if (const json* d = member(object, "duration")) {
        if (!d->is_number() || !(d->get<double>() >= 0 && d->get<double>() < 1e10)) return "bad duration";
        duration_us = static_cast<std::int64_t>(d->get<double>() * 1e6 + 0.5);
    }
    record_.bytes = 0;
    for (std::string_view key : {"orig_bytes", "resp_bytes"}) {
        const json* v = member(object, key);
        if (v && !v->is_null() && !v->is_number_unsigned()) return fmt::format("bad {}", key);
        if (v && v->is_number_unsigned()) record_.bytes += v->get<std::uint64_t>();
    }
    record_.first_ms = *first_us / 1000;
    record_.last_ms = (*first_us + duration_us) / 1000;
    return {};
}

}  // namespace

bool is_zeek_json_object(std::string_view line) {
    json object = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    return !object.is_discarded() && object.is_object() && member(object, "id.orig_h") != nullptr;
}

std::unique_ptr<LineReader> make_zeek_tsv_reader(ReadContext& context) { return std::make_unique<ZeekTsvReader>(context); }
std::unique_ptr<LineReader> make_zeek_json_reader(ReadContext& context) {
    return std::make_unique<ZeekJsonReader>(context);
}

}  // namespace microseg::traffic::detail
