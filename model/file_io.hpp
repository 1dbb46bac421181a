#pragma once
// Reading input files with a size limit and writing outputs atomically (temp file + rename),
// so that a failure never leaves a half-written config or report behind.

#include <cstddef>
#include <string>
#include <sys/types.h>

#include "model/diagnostic.hpp"

namespace microseg {

// Inputs larger than this are refused with a clear error rather than read into memory.
inline constexpr std::size_t kMaxInputFileBytes = 64u * 1024 * 1024;

// The whole file, or a located error: missing, a directory, unreadable, too large.
Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes = kMaxInputFileBytes);

// Writes `content` to a temp file beside `path`, fsyncs it, then renames it over `path`.
// `mode` applies to the new file (0600 for saved device configs).
Result<bool> write_file_atomically(const std::string& path, std::string_view content, mode_t mode = 0644);

}  // namespace microseg
