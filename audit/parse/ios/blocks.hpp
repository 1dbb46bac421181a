#pragma once
// The line structure of IOS-style configs (audit/parse/ios/ios_style_parser.cpp): the lines that carry
// meaning, each split into words once, a block at a time (a top-level line and the indented
// lines under it). Blank lines, '!' comments and banners are left out.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace microseg {

struct IosLine {
    std::string_view text;                   // without the line break and a trailing '\r'
    std::span<const std::string_view> words; // separated by spaces and tabs; at least one
    int number = 0;                          // 1-based, counting every line of the text
    bool indented = false;
    std::size_t first_word = 0, word_count = 0;  // the reader's: where `words` lie in its list
};

// Bit i of each mask stands for byte i of 64 (the reader's word splitting, exposed for tests).
struct ByteClasses {
    std::uint64_t blank = 0;  // a space or a tab
    std::uint64_t stop = 0;   // a line break
};
// Exact up to the first line break; the bytes after the 16 (or 8) that hold it are not looked at.
ByteClasses classify_bytes(const char* p);           // SSE2 where the target has it
ByteClasses classify_bytes_portable(const char* p);  // 64-bit words, any target

class IosBlockReader {
public:
    // `skipped` counts the lines of banners. The reader's buffers are the thread's, kept from the
    // last parse: one reader at a time per thread.
    IosBlockReader(std::string_view text, std::size_t& skipped);
    ~IosBlockReader();
    IosBlockReader(const IosBlockReader&) = delete;
    IosBlockReader& operator=(const IosBlockReader&) = delete;
    // The next block, valid until the next call; empty at the end of the text. A block starts
    // with a line that is not indented, except when the text's first line is.
    std::span<const IosLine> next();

private:
    bool read_line();
    std::size_t split_words(std::size_t from);
    std::string_view skip_line();

    std::string_view text_;
    std::size_t& skipped_;
    std::size_t pos_ = 0;
    int number_ = 0;
    std::string_view banner_end_;    // inside "banner motd ^C ... ^C"
    std::vector<IosLine>& lines_;    // of the block; their words index words_ until it is whole
    // The words of the block in words_[0, used_): words_ is storage, grown ahead, so that the
    // split writes through a pointer (push_back reloaded the vector's bounds for every word).
    std::vector<std::string_view>& words_;
    std::size_t used_ = 0;
    bool next_started_ = false;      // lines_ ends with the next block's first line, read to end this one
};

}  // namespace microseg
