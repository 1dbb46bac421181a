// The layering and size rules of the code base, checked on the source tree (README "Layout"):
// model/ includes nothing from other project folders, only audit/fetch/ links libssh, no
// target compiles another folder's sources, no source file over 600 lines and no function
// over 60 (the report's CSS literal excepted).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = MICROSEG_SOURCE_DIR;

std::vector<std::string> lines_of(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The project's own source files (build trees and dot-folders left out).
std::vector<fs::path> sources(const std::vector<std::string>& extensions) {
    std::vector<fs::path> out;
    for (auto it = fs::recursive_directory_iterator(kRoot); it != fs::recursive_directory_iterator(); ++it) {
        auto name = it->path().filename().string();
        if (it->is_directory() && (name.starts_with("build") || name.starts_with("."))) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        for (const auto& ext : extensions)
            if (name.ends_with(ext)) out.push_back(it->path());
    }
    return out;
}

std::string rel_path(const fs::path& p) { return fs::relative(p, kRoot).string(); }

// A definition starts on a line at column 0 (or 4, inside a class) that ends with '{' after a
// parameter list, and ends at the first '}' at the same column. Control statements, types and
// namespaces do not count.
std::vector<std::string> long_functions(const fs::path& file) {
    static const std::regex not_function(R"(^\s*(if|for|while|switch|else|do|namespace|struct|class|enum|union|extern|case|try|catch|template|return|#|//|\}))");
    std::vector<std::string> out;
    auto lines = lines_of(file);
    for (std::size_t indent : {0u, 4u}) {
        const std::string close = std::string(indent, ' ') + "}";
        constexpr std::size_t none = static_cast<std::size_t>(-1);
        std::size_t start = none;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const auto& l = lines[i];
            bool at_indent = l.size() > indent && l.compare(0, indent, std::string(indent, ' ')) == 0 && l[indent] != ' ';
            if (start == none && at_indent && l.ends_with("{") && l.find(')') != std::string::npos &&
                !std::regex_search(l, not_function) && l.find(" = ") == std::string::npos) {
                start = i;
            } else if (start != none && l.starts_with(close) && (l.size() == close.size() || l[close.size()] != ' ')) {
                if (i - start + 1 > 60 && lines[start].find("report_css") == std::string::npos)
                    out.push_back(fmt::format("{}:{} ({} lines)", rel_path(file), start + 1, i - start + 1));
                start = none;
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("model/ includes nothing from the other project folders") {
    for (const auto& f : sources({".cpp", ".hpp"})) {
        if (rel_path(f).rfind("model/", 0) != 0) continue;
        for (const auto& l : lines_of(f))
            if (l.starts_with("#include \"")) CHECK_MESSAGE(l.starts_with("#include \"model/"), rel_path(f), ": ", l);
    }
}

TEST_CASE("only audit/fetch/ links libssh, and only its SSH source includes it") {
    static const std::regex links_ssh(R"(\bssh\b)");
    for (const auto& f : sources({"CMakeLists.txt"})) {
        bool fetch = rel_path(f) == "audit/fetch/CMakeLists.txt";
        for (const auto& l : lines_of(f)) {
            bool link_line = l.find("microseg_library(") != std::string::npos || l.find("target_link_libraries(") != std::string::npos;
            if (link_line && !fetch) CHECK_MESSAGE(!std::regex_search(l, links_ssh), rel_path(f), ": ", l);
            if (link_line && fetch) CHECK(std::regex_search(l, links_ssh));
        }
    }
    for (const auto& f : sources({".cpp", ".hpp"}))
        for (const auto& l : lines_of(f))
            if (l.starts_with("#include <libssh/")) CHECK(rel_path(f) == "audit/fetch/ssh_source.cpp");
}

TEST_CASE("no target compiles another folder's sources by path") {
    static const std::regex foreign_source(R"((\$\{PROJECT_SOURCE_DIR\}|\.\./)[^ )]*\.cpp)");
    for (const auto& f : sources({"CMakeLists.txt"}))
        for (const auto& l : lines_of(f)) CHECK_MESSAGE(!std::regex_search(l, foreign_source), rel_path(f), ": ", l);
}

TEST_CASE("no source file over 600 lines, no function over 60") {
    for (const auto& f : sources({".cpp", ".hpp"})) {
        CAPTURE(rel_path(f));
        CHECK(lines_of(f).size() <= 600);
        auto long_ones = long_functions(f);
        CHECK_MESSAGE(long_ones.empty(), fmt::format("{}", fmt::join(long_ones, ", ")));
    }
}
