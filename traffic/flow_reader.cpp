// Reading flow files: the format detected from the first non-empty lines, then the file read in
// 1 MiB blocks and cut into lines with memchr, each line handed to its format's reader as a
// string_view into the block (no copy, no allocation per line). Also the field parsers the
// readers share (traffic/readers.hpp).
#include "traffic/flow_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "model/printable.hpp"
#include "traffic/readers.hpp"

namespace microseg::traffic {

std::string_view to_string(FlowFormat f) {
    switch (f) {
        case FlowFormat::zeek_tsv: return "Zeek conn.log (TSV)";
        case FlowFormat::zeek_json: return "Zeek conn.log (JSON)";
        case FlowFormat::nfdump_csv: return "nfdump CSV";
        case FlowFormat::plain_csv: return "plain CSV";
    }
    return "plain CSV";
}

namespace detail {

void ReadContext::bad(int line, std::string_view reason) {
    ++summary_.bad_lines;
    if (summary_.warnings.size() >= kMaxWarnings) return;
    Diagnostic d = make_error(std::string(reason), SourceLocation{name_, line, 1}, "bad-flow-line");
    d.severity = Severity::warning;
    summary_.warnings.push_back(std::move(d));
}

// Sixteen bytes compared at once: a conn.log line has some twenty short fields, and a memchr
// call per field was a third of the read time.
void split(std::string_view line, char separator, std::vector<std::string_view>& fields) {
    fields.clear();
    const char* begin = line.data();
    const char* field = begin;
    std::size_t i = 0;
    const std::size_t n = line.size();
#ifdef __SSE2__
    const __m128i wanted = _mm_set1_epi8(separator);
    for (; i + 16 <= n; i += 16) {
        __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i));
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, wanted)));
        while (mask) {
            const char* at = begin + i + static_cast<unsigned>(__builtin_ctz(mask));
            fields.emplace_back(field, static_cast<std::size_t>(at - field));
            field = at + 1;
            mask &= mask - 1;
        }
    }
#endif
    for (; i < n; ++i) {
        if (begin[i] != separator) continue;
        fields.emplace_back(field, static_cast<std::size_t>(begin + i - field));
        field = begin + i + 1;
    }
    fields.emplace_back(field, static_cast<std::size_t>(begin + n - field));
}

void split(std::string_view line, std::string_view separator, std::vector<std::string_view>& fields) {
    if (separator.size() == 1) return split(line, separator.front(), fields);
    fields.clear();
    if (separator.empty()) {
        fields.push_back(line);
        return;
    }
    std::size_t start = 0;
    for (auto at = line.find(separator); at != line.npos; at = line.find(separator, start)) {
        fields.push_back(line.substr(start, at - start));
        start = at + separator.size();
    }
    fields.push_back(line.substr(start));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

namespace {

// A dotted quad read in place, strictly (no NUL, no leading zeros, nothing after).
std::optional<std::uint32_t> dotted_quad(std::string_view text) {
    const char* p = text.data();
    const char* end = p + text.size();
    std::uint32_t value = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0 && (p == end || *p++ != '.')) return std::nullopt;
        const char* start = p;
        unsigned v = 0;
        while (p != end && p - start < 4 && static_cast<unsigned>(*p - '0') <= 9) v = v * 10 + static_cast<unsigned>(*p++ - '0');
        auto digits = p - start;
        if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && *start == '0')) return std::nullopt;
        value = value << 8 | v;
    }
    if (p != end) return std::nullopt;
    return value;
}

}  // namespace

std::optional<IpAddress> parse_address(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;
    if (text.front() != ':' && text.size() <= 15 && text.find(':') == text.npos) {
        auto v4 = dotted_quad(text);
        return v4 ? std::optional(IpAddress::v4(*v4)) : std::nullopt;
    }
    // IpAddress::parse ends the text at a NUL, as inet_pton does: a field must be all address.
    if (std::memchr(text.data(), '\0', text.size())) return std::nullopt;
    return IpAddress::parse(text);
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    // Nineteen digits cannot overflow 64 bits: the overflow checks only for the twentieth.
    std::size_t safe = std::min<std::size_t>(text.size(), 19);
    for (std::size_t i = 0; i < safe; ++i) {
        auto digit = static_cast<unsigned>(text[i] - '0');
        if (digit > 9) return std::nullopt;
        v = v * 10 + digit;
    }
    if (safe == text.size()) return v;
    auto digit = static_cast<unsigned>(text[19] - '0');
    if (digit > 9 || __builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, digit, &v)) return std::nullopt;
    return v;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    auto v = parse_count(text);
    if (!v || *v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
}

std::optional<std::uint8_t> parse_protocol(std::string_view text, bool ipv6) {
    if (!text.empty() && text.front() >= '0' && text.front() <= '9') {
        auto v = parse_count(text);
        if (!v || *v > 255) return std::nullopt;
        return static_cast<std::uint8_t>(*v);
    }
    if (text.size() > 9) return std::nullopt;
    char lower[10] = {};
    for (std::size_t i = 0; i < text.size(); ++i)
        lower[i] = static_cast<char>(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a' : text[i]);
    std::string_view name(lower, text.size());
    if (name == "tcp") return kTcp;
    if (name == "udp") return kUdp;
    if (name == "icmp") return ipv6 ? kIcmpV6 : kIcmp;
    if (name == "icmp6" || name == "icmpv6" || name == "ipv6-icmp") return kIcmpV6;
    if (name == "gre") return 47;
    if (name == "esp") return 50;
    if (name == "ah") return 51;
    if (name == "sctp") return 132;
    if (name == "igmp") return 2;
    return std::nullopt;
}

namespace {

// Up to six fraction digits as microseconds; more digits are allowed and dropped.
std::optional<std::int64_t> fraction_us(std::string_view digits) {
    std::int64_t us = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        char c = digits[i];
        if (c < '0' || c > '9') return std::nullopt;
        if (i < 6) us = us * 10 + (c - '0');
    }
    for (std::size_t i = digits.size(); i < 6; ++i) us *= 10;
    return us;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The number of `width` digits at text[at], or -1.
int digits_at(std::string_view text, std::size_t at, std::size_t width) {
    if (at + width > text.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + width; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

}  // namespace

std::optional<std::int64_t> parse_seconds_us(std::string_view text) {
    auto dot = text.find('.');
    auto whole = parse_count(text.substr(0, dot));
    if (!whole || *whole > 100'000'000'000ULL) return std::nullopt;  // past year 5000: not a time
    std::int64_t us = static_cast<std::int64_t>(*whole) * 1'000'000;
    if (dot == text.npos) return us;
    auto frac = fraction_us(text.substr(dot + 1));
    if (!frac || dot + 1 == text.size()) return std::nullopt;
    return us + *frac;
}

std::optional<std::int64_t> parse_datetime_us(std::string_view t) {
    int year = digits_at(t, 0, 4), month = digits_at(t, 5, 2), day = digits_at(t, 8, 2);
    int hour = digits_at(t, 11, 2), minute = digits_at(t, 14, 2), second = digits_at(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 60 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') ||
        t[13] != ':' || t[16] != ':')
        return std::nullopt;
    std::string_view rest = t.substr(19);
    if (!rest.empty() && rest.back() == 'Z') rest.remove_suffix(1);
    std::int64_t us = 0;
    if (!rest.empty()) {
        if (rest.front() != '.' || rest.size() == 1) return std::nullopt;
        auto frac = fraction_us(rest.substr(1));
        if (!frac) return std::nullopt;
        us = *frac;
    }
    std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return ((days * 24 + hour) * 60 + minute) * 60'000'000LL + second * 1'000'000LL + us;
}

std::optional<std::int64_t> parse_time_us(std::string_view text) {
    if (text.size() >= 19 && text[4] == '-') return parse_datetime_us(text);
    return parse_seconds_us(text);
}

std::optional<std::uint64_t> parse_mac(std::string_view text) {
    if (text.size() != 17) return std::nullopt;
    std::uint64_t mac = 0;
    for (std::size_t i = 0; i < 17; i += 3) {
        unsigned byte = 0;
        auto [next, ec] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
        if (ec != std::errc{} || next != text.data() + i + 2) return std::nullopt;
        if (i + 2 < 17 && text[i + 2] != ':' && text[i + 2] != '-') return std::nullopt;
        mac = mac << 8 | byte;
    }
    return mac;
}

std::string quote(std::string_view field) {
    constexpr std::size_t kMax = 40;
    if (field.size() <= kMax) return "'" + printable(field) + "'";
    return "'" + printable(field.substr(0, kMax)) + "...'";
}

}  // namespace detail

namespace {

using detail::LineReader;
using detail::ReadContext;

constexpr std::size_t kBlockBytes = 1u << 20;
constexpr std::string_view kFormatsTried = "Zeek conn.log (TSV), Zeek conn.log (JSON), nfdump CSV, plain CSV";

// The line without its CR (a CRLF file) and without the UTF-8 byte order mark some editors add.
std::string_view clean_line(std::string_view line, int number) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    return line;
}

bool blank(std::string_view line) { return detail::trim(line).empty(); }

// The format of the first line that tells, or nullopt (then *undecided says whether a line
// was seen that no format claims). Zeek's other header lines and a plain CSV's comments (#...)
// are looked past; an input of blank and comment lines only reads as an empty plain CSV.
std::optional<FlowFormat> detect(std::string_view head, bool* undecided) {
    *undecided = false;
    int number = 0;
    while (!head.empty()) {
        auto nl = head.find('\n');
        std::string_view line = clean_line(head.substr(0, nl), ++number);
        head = nl == head.npos ? std::string_view{} : head.substr(nl + 1);
        if (blank(line)) continue;
        if (line.starts_with("#separator") || line.starts_with("#fields")) return FlowFormat::zeek_tsv;
        if (line.front() == '#') continue;
        if (line.front() == '{' && detail::is_zeek_json_object(line)) return FlowFormat::zeek_json;
        if (line.front() != '{' && (detail::looks_like_nfdump_header(line) || detail::looks_like_headerless_nfdump(line)))
            return FlowFormat::nfdump_csv;
        if (line.front() != '{' && detail::looks_like_plain_csv(line)) return FlowFormat::plain_csv;
        *undecided = true;
        return std::nullopt;
    }
    return std::nullopt;
}

std::unique_ptr<LineReader> make_reader(FlowFormat format, ReadContext& context) {
    switch (format) {
        case FlowFormat::zeek_tsv: return detail::make_zeek_tsv_reader(context);
        case FlowFormat::zeek_json: return detail::make_zeek_json_reader(context);
        case FlowFormat::nfdump_csv: return detail::make_nfdump_reader(context);
        case FlowFormat::plain_csv: return detail::make_plain_csv_reader(context);
    }
    return detail::make_plain_csv_reader(context);
}

// Where the bytes come from: a FILE (a file or stdin) or text already in memory.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Fills `buffer` up to `size` bytes; fewer only at the end of the input (or an error).
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
    virtual bool failed() const { return false; }
    // The block size to read with: a whole block unless the input is known to be smaller.
    virtual std::size_t block_bytes() const { return kBlockBytes; }
};

class FileSource : public ByteSource {
public:
    explicit FileSource(std::FILE* f) : f_(f) {}
    std::size_t read(char* buffer, std::size_t size) override { return std::fread(buffer, 1, size, f_); }
    bool failed() const override { return std::ferror(f_) != 0; }

private:
    std::FILE* f_;
};

class TextSource : public ByteSource {
public:
    explicit TextSource(std::string_view text) : text_(text) {}
    std::size_t block_bytes() const override { return std::min(kBlockBytes, text_.size() + 1); }
    std::size_t read(char* buffer, std::size_t size) override {
        std::size_t n = std::min(size, text_.size());
        std::memcpy(buffer, text_.data(), n);
        text_.remove_prefix(n);
        return n;
    }

private:
    std::string_view text_;
};

// Cuts the input into lines block by block. A line longer than a block is a bad line: its bytes
// are passed over up to the next newline, so memory stays one block whatever the input.
class LineCutter {
public:
    LineCutter(ByteSource& source, ReadContext& context)
        : source_(source), context_(context), buffer_(source.block_bytes()) {
        fill(0);
    }
    std::string_view head() const { return {buffer_.data(), have_}; }
    void run(LineReader& reader);

private:
    void fill(std::size_t keep) {
        have_ = keep + source_.read(buffer_.data() + keep, buffer_.size() - keep);
        eof_ = have_ < buffer_.size();
    }
    void deliver(LineReader& reader, std::string_view line) {
        ++number_;
        if (skipping_) {
            skipping_ = false;
            return context_.bad(number_, fmt::format("a line longer than {} bytes", buffer_.size()));
        }
        line = clean_line(line, number_);
        if (!blank(line)) reader.line(line, number_);
    }

    ByteSource& source_;
    ReadContext& context_;
    std::vector<char> buffer_;
    std::size_t have_ = 0;
    bool eof_ = false;
    bool skipping_ = false;  // inside a line longer than the buffer
    int number_ = 0;
};

void LineCutter::run(LineReader& reader) {
    while (true) {
        const char* base = buffer_.data();
        std::size_t start = 0;
        while (start < have_) {
            const void* hit = std::memchr(base + start, '\n', have_ - start);
            if (!hit) break;
            auto nl = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
            deliver(reader, std::string_view(base + start, nl - start));
            start = nl + 1;
        }
        if (eof_) {
            if (start < have_) deliver(reader, std::string_view(base + start, have_ - start));
            return;
        }
        std::size_t rest = have_ - start;
        if (rest == buffer_.size()) {  // no newline in a whole block
            skipping_ = true;
            rest = 0;
        }
        std::memmove(buffer_.data(), base + start, rest);
        fill(rest);
    }
}

Result<ReadSummary> read_source(ByteSource& source, const std::string& name, const RecordSink& sink) {
    ReadSummary summary;
    ReadContext context(name, sink, summary);
    LineCutter cutter(source, context);
    bool undecided = false;
    auto format = detect(cutter.head(), &undecided);
    if (source.failed()) return make_error(fmt::format("read failed: {}", std::strerror(errno)), SourceLocation{name, 0, 0}, "io");
    if (undecided)
        return make_error(fmt::format("not a flow file: tried {}", kFormatsTried), SourceLocation{name, 1, 1},
                          "unknown-flow-format");
    summary.format = format.value_or(FlowFormat::plain_csv);
    auto reader = make_reader(summary.format, context);
    cutter.run(*reader);
    if (source.failed()) return make_error(fmt::format("read failed: {}", std::strerror(errno)), SourceLocation{name, 0, 0}, "io");
    return summary;
}

}  // namespace

Result<ReadSummary> read_flow_file(const std::string& file, const RecordSink& sink) {
    if (file == "-") {
        FileSource source(stdin);
        return read_source(source, "<stdin>", sink);
    }
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return make_error(fmt::format("cannot open: {}", std::strerror(errno)), SourceLocation{file, 0, 0}, "io");
    FileSource source(f);
    auto result = read_source(source, file, sink);
    std::fclose(f);
    return result;
}

Result<ReadSummary> read_flow_text(std::string_view text, const std::string& name, const RecordSink& sink) {
    TextSource source(text);
    return read_source(source, name, sink);
}

}  // namespace microseg::traffic
