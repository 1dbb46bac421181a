#include "report/svg_render.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>

#include <fmt/format.h>

#include "model/file_io.hpp"

extern char** environ;

namespace microseg::report {
namespace {

// A temporary file that is removed when it goes out of scope.
class TempFile {
public:
    explicit TempFile(const char* suffix) {
        const char* dir = std::getenv("TMPDIR");
        path_ = fmt::format("{}/microseg-graph-XXXXXX{}", dir && *dir ? dir : "/tmp", suffix);
        int fd = ::mkstemps(path_.data(), static_cast<int>(std::strlen(suffix)));
        if (fd < 0) {
            path_.clear();
            return;
        }
        ::close(fd);
    }
    ~TempFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Runs `dot -Tsvg IN -o OUT`; an error message, or empty on success.
std::string run_dot(const std::string& in, const std::string& out) {
    std::string prog = "dot", type = "-Tsvg", flag = "-o";
    char* argv[] = {prog.data(), type.data(), const_cast<char*>(in.c_str()), flag.data(),
                    const_cast<char*>(out.c_str()), nullptr};
    pid_t pid = 0;
    if (int rc = ::posix_spawnp(&pid, "dot", nullptr, nullptr, argv, environ); rc != 0)
        return fmt::format("cannot run Graphviz 'dot' ({}): it draws the reachability graph; "
                           "install graphviz (scripts/install-deps.sh does)", std::strerror(rc));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return "Graphviz 'dot' did not finish";
    if (!WIFEXITED(status)) return "Graphviz 'dot' was killed";
    if (WEXITSTATUS(status) != 0) return fmt::format("Graphviz 'dot' failed with exit status {}", WEXITSTATUS(status));
    return {};
}

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
    auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != text.end();
}


// The text without <!-- ... --> comments (Graphviz writes one per node and edge).
std::string without_comments(std::string_view text) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        auto open = text.find("<!--", at);
        if (open == std::string_view::npos) break;
        auto close = text.find("-->", open + 4);
        if (close == std::string_view::npos) break;
        out += text.substr(at, open - at);
        at = close + 3;
    }
    out += text.substr(at);
    return out;
}

// A start tag without ` name="..."`.
std::string without_attribute(std::string tag, std::string_view name) {
    std::string needle = fmt::format(" {}=\"", name);
    auto at = tag.find(needle);
    if (at == std::string::npos) return tag;
    auto close = tag.find('"', at + needle.size());
    if (close == std::string::npos) return tag;
    return tag.erase(at, close + 1 - at);
}

}  // namespace

Result<std::string> inline_svg(std::string_view svg_document) {
    auto start = svg_document.find("<svg");
    auto end = svg_document.rfind("</svg>");
    if (start == std::string_view::npos || end == std::string_view::npos || end < start)
        return make_error("Graphviz 'dot' did not produce SVG");
    std::string svg = without_comments(svg_document.substr(start, end + 6 - start));
    // Inline SVG in HTML needs no namespace declarations; dropping them leaves no URL behind.
    // The root's width and height go too: the drawing scales to the page, its viewBox keeps
    // the proportions.
    auto root_end = svg.find('>');
    std::string root = svg.substr(0, root_end);
    for (std::string_view attribute : {"xmlns", "xmlns:xlink", "width", "height"}) root = without_attribute(root, attribute);
    svg = root + svg.substr(root_end);
    for (std::string_view active : {"<script", "<foreignobject", "javascript:", "http:", "https:"})
        if (contains_ignoring_case(svg, active))
            return make_error(fmt::format("Graphviz's SVG holds '{}': refusing to inline it", active));
    static const std::regex handler(R"re(\son[a-z]+\s*=)re", std::regex::icase);
    if (std::regex_search(svg, handler)) return make_error("Graphviz's SVG holds an event handler: refusing to inline it");
    return svg;
}

Result<std::string> render_svg_document(std::string_view dot_text) {
    TempFile dot_file(".dot"), svg_file(".svg");
    if (dot_file.path().empty() || svg_file.path().empty())
        return make_error("cannot create a temporary file for Graphviz");
    if (auto wrote = write_file_atomically(dot_file.path(), dot_text); !wrote) return wrote.error();
    if (auto failure = run_dot(dot_file.path(), svg_file.path()); !failure.empty()) return make_error(failure);
    return read_text_file(svg_file.path());
}

Result<std::string> render_dot_to_svg(std::string_view dot_text) {
    auto svg = render_svg_document(dot_text);
    if (!svg) return svg.error();
    return inline_svg(*svg);
}

}  // namespace microseg::report
