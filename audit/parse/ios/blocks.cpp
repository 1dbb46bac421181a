#include "audit/parse/ios/blocks.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "audit/parse/ios/words.hpp"

namespace microseg {
namespace {

// Lines are split into words 64 bytes at a time, each byte one bit of a mask: a byte at a time,
// after a search for the line break, was a third of the instructions of reading a gateway.
constexpr std::uint64_t kOnes = 0x0101010101010101u;
constexpr std::uint64_t kHigh = 0x8080808080808080u;

// 0x80 in each byte of `v` that equals `c` (exact: no carry crosses from one byte into the next).
std::uint64_t bytes_equal(std::uint64_t v, char c) {
    v ^= kOnes * static_cast<unsigned char>(c);
    return ~(((v & ~kHigh) + ~kHigh) | v | ~kHigh);
}

// Bit i: the 0x80 of byte i (the partial products of the multiplication never overlap).
std::uint64_t pack(std::uint64_t flags) { return ((flags >> 7) * 0x0102040810204080u) >> 56; }

// The 64 bytes at p, of which `left` are in the text; past it, line breaks.
ByteClasses classify(const char* p, std::size_t left) {
    if (left >= 64) return classify_bytes(p);
    char padded[64];
    std::memcpy(padded, p, left);
    std::memset(padded + left, '\n', 64 - left);
    return classify_bytes(padded);
}

struct Buffers {
    std::vector<IosLine> lines;
    std::vector<std::string_view> words;
};

Buffers& thread_buffers() {
    thread_local Buffers buffers;
    return buffers;
}

// Spaces and tabs separate words; any other byte (a '\r' inside a line too) is part of one.
bool blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

// SSE2 is part of x86-64: 16 bytes a compare. Elsewhere 8 bytes a 64-bit word.
ByteClasses classify_bytes(const char* p) {
#if defined(__SSE2__)
    ByteClasses out;
    const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), newline = _mm_set1_epi8('\n');
    for (int i = 0; i < 4; ++i) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
        auto blank = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab))));
        auto stop = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
        out.blank |= std::uint64_t{blank} << (16 * i);
        out.stop |= std::uint64_t{stop} << (16 * i);
        if (stop) break;
    }
    return out;
#else
    return classify_bytes_portable(p);
#endif
}

ByteClasses classify_bytes_portable(const char* p) {
    ByteClasses out;
    for (int i = 0; i < 8; ++i) {
        std::uint64_t v;
        std::memcpy(&v, p + 8 * i, sizeof v);
        if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
        std::uint64_t stop = bytes_equal(v, '\n');
        out.blank |= pack(bytes_equal(v, ' ') | bytes_equal(v, '\t')) << (8 * i);
        out.stop |= pack(stop) << (8 * i);
        if (stop) break;
    }
    return out;
}

IosBlockReader::IosBlockReader(std::string_view text, std::size_t& skipped)
    : text_(text), skipped_(skipped), lines_(thread_buffers().lines), words_(thread_buffers().words) {
    lines_.clear();
}

IosBlockReader::~IosBlockReader() {
    // What a block of thousands of lines (a big ACL) left is given back to the system.
    constexpr std::size_t kKept = 1 << 14;
    if (lines_.capacity() > kKept) lines_ = {};
    if (words_.capacity() > 4 * kKept) words_ = {};
}

std::span<const IosLine> IosBlockReader::next() {
    if (next_started_) {
        // The line that ended the last block starts this one; its words move to the front.
        IosLine first = lines_.back();
        std::copy(words_.begin() + static_cast<std::ptrdiff_t>(first.first_word),
                  words_.begin() + static_cast<std::ptrdiff_t>(used_), words_.begin());
        used_ -= first.first_word;
        first.first_word = 0;
        lines_.clear();
        lines_.push_back(first);
        next_started_ = false;
    } else {
        lines_.clear();
        used_ = 0;
    }
    while (read_line())
        if (!lines_.back().indented && lines_.size() > 1) {
            next_started_ = true;
            break;
        }
    std::size_t count = lines_.size() - (next_started_ ? 1 : 0);
    // words_ may have moved while the block was read: the spans are made once it is whole.
    for (std::size_t i = 0; i < count; ++i) lines_[i].words = {words_.data() + lines_[i].first_word, lines_[i].word_count};
    return {lines_.data(), count};
}

// Appends the next line that carries meaning to lines_ (its words to words_); false at the end of
// the text.
bool IosBlockReader::read_line() {
    while (pos_ < text_.size()) {
        ++number_;
        if (!banner_end_.empty()) {
            auto raw = skip_line();
            ++skipped_;
            if (raw.find(banner_end_) != std::string_view::npos) banner_end_ = {};
            continue;
        }
        if (text_[pos_] == '!') {  // a comment (a third of a small config's lines): no words needed
            skip_line();
            continue;
        }
        std::size_t first = used_;
        std::size_t end = split_words(pos_);
        auto raw = text_.substr(pos_, end - pos_);
        pos_ = end < text_.size() ? end + 1 : end;  // past the '\n'
        if (!raw.empty() && raw.back() == '\r') {
            // The line's last byte ends its last word.
            raw.remove_suffix(1);
            words_[used_ - 1].remove_suffix(1);
            if (words_[used_ - 1].empty()) --used_;
        }
        std::span<const std::string_view> w(words_.data() + first, used_ - first);
        bool indented = !raw.empty() && blank(raw[0]);
        if (w.empty() || w[0].front() == '!') {
            used_ = first;
            continue;
        }
        if (!indented && w.size() >= 3 && is(w[0], "banner")) {
            // The delimiter is the first character of the third word (^C, #, %).
            std::string_view delim = w[2].substr(0, w[2].starts_with("^C") ? 2 : 1);
            auto rest = raw.substr(static_cast<std::size_t>(w[2].data() - raw.data()) + delim.size());
            if (rest.find(delim) == std::string_view::npos) banner_end_ = delim;
            used_ = first;
            continue;
        }
        lines_.push_back({raw, {}, number_, indented, first, w.size()});
        return true;
    }
    return false;
}

// The line at pos_, passed over.
std::string_view IosBlockReader::skip_line() {
    // Mostly a "!" alone; a banner's lines are short too.
    auto nl = find_in(text_, '\n', pos_);
    auto raw = text_.substr(pos_, nl == std::string_view::npos ? text_.npos : nl - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    return raw;
}

// Appends the words of the line that starts at `from` to words_; returns where it ends (its
// '\n', or the end of the text).
std::size_t IosBlockReader::split_words(std::size_t from) {
    constexpr std::size_t kNone = ~std::size_t{0};
    std::size_t running = kNone;      // where a word that runs on from the last window started
    std::uint64_t blank_before = 1;   // the byte before the window (the line's start counts as blank)
    for (std::size_t at = from;; at += 64) {
        if (words_.size() < used_ + 32) words_.resize(2 * words_.size() + 64);  // a window has at most 32 words
        std::string_view* out = words_.data() + used_;
        auto [blank, stop] = classify(text_.data() + at, text_.size() - at);
        if (stop) blank |= ~std::uint64_t{0} << std::countr_zero(stop);  // the line's end ends its words
        std::uint64_t word = ~blank;
        std::uint64_t starts = word & (blank << 1 | blank_before);
        std::uint64_t ends = blank & (word << 1 | (blank_before ^ 1));
        blank_before = blank >> 63;
        auto take = [&](std::uint64_t& bits) {
            std::size_t i = at + static_cast<std::size_t>(std::countr_zero(bits));
            bits &= bits - 1;
            return i;
        };
        auto add = [&](std::size_t begin, std::size_t end) { *out++ = {text_.data() + begin, end - begin}; };
        if (running != kNone && ends) add(std::exchange(running, kNone), take(ends));
        while (ends) {  // starts and ends alternate
            std::size_t begin = take(starts);
            add(begin, take(ends));
        }
        if (starts) running = take(starts);
        used_ = static_cast<std::size_t>(out - words_.data());
        if (stop) return at + static_cast<std::size_t>(std::countr_zero(stop));
    }
}

}  // namespace microseg
