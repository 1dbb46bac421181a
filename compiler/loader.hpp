#pragma once
// Reads the top policy file and every file it includes (depth first, each file once), into one
// syntax tree per file, and hashes the exact bytes read so a compiled policy names its source.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax_tree.hpp"
#include "model/diagnostic.hpp"
#include "model/fnv_hash.hpp"

namespace microseg::compiler {

// Bounds include fan-out; a real policy has a handful of files.
inline constexpr std::size_t kMaxPolicyFiles = 256;

struct LoadedFiles {
    std::vector<syntax::Tree> trees;            // read order; trees[0] is the top file
    std::map<std::string, std::string> sources;  // file name -> text, for carets
    std::string version_hash;                    // FNV-1a 64 over every file's bytes, read order
    bool unreadable = false;                     // the top file itself could not be read
};

// `top_text` set: the top file's text is given (compile_policy_text); includes still come
// from disk, relative to `top_path`'s directory.
LoadedFiles load_policy_files(const std::string& top_path, std::optional<std::string_view> top_text,
                              Diagnostics& diags);

// The policy text's hash is model/fnv_hash.hpp's.
using ::microseg::fnv1a;
using ::microseg::kFnvOffset;

}  // namespace microseg::compiler
