#include "compiler/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "compiler/diagnostic_kinds.hpp"
#include "model/file_io.hpp"

namespace microseg::compiler {


namespace {

namespace fs = std::filesystem;

// The identity of a file for cycle and read-once detection: two spellings of one path match.
std::string identity(const std::string& path) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path).lexically_normal().string() : canonical.string();
}

class Loader {
public:
    explicit Loader(Diagnostics& diags) : diags_(diags) {}

    LoadedFiles run(const std::string& top_path, std::optional<std::string_view> top_text) {
        std::string text;
        if (top_text) {
            text = std::string(*top_text);
        } else {
            auto read = read_text_file(top_path, syntax::kMaxPolicyFileBytes);
            if (!read) {
                diags_.add(read.error());
                out_.unreadable = true;
                return std::move(out_);
            }
            text = std::move(read.value());
        }
        if (text.size() > syntax::kMaxPolicyFileBytes) {
            diags_.error({top_path, 0, 0}, kinds::io, fmt::format("input is {} bytes; the limit is {} bytes",
                                                                  text.size(), syntax::kMaxPolicyFileBytes));
            out_.unreadable = true;
            return std::move(out_);
        }
        add_file(top_path, std::move(text));
        out_.version_hash = fmt::format("{:016x}", hash_);
        return std::move(out_);
    }

private:
    void add_file(const std::string& path, std::string text) {
        hash_ = fnv1a(hash_, text);
        loaded_.insert(identity(path));
        chain_.push_back(path);
        auto tree = syntax::parse_yaml(text, path, diags_, budget_);
        out_.sources.emplace(path, std::move(text));
        out_.trees.push_back(std::move(tree));
        std::size_t index = out_.trees.size() - 1;
        for (const auto& item : include_items(index)) follow(index, item);
        chain_.pop_back();
    }

    // (file name as written, location) of each include entry of tree `index`.
    std::vector<std::pair<std::string, SourceLocation>> include_items(std::size_t index) {
        std::vector<std::pair<std::string, SourceLocation>> items;
        const auto& tree = out_.trees[index];
        if (tree.empty() || tree.root().kind != syntax::NodeKind::map) return items;
        const syntax::Node* inc = tree.find(tree.root(), "include");
        if (!inc) return items;
        std::vector<syntax::NodeId> ids;
        if (inc->kind == syntax::NodeKind::sequence) {
            ids = inc->children;
        } else {
            items.emplace_back(inc->text, tree.location(*inc));
            if (inc->kind != syntax::NodeKind::scalar) items.back().first.clear();
        }
        for (auto id : ids) {
            const auto& n = tree.at(id);
            items.emplace_back(n.kind == syntax::NodeKind::scalar ? n.text : "", tree.location(n));
        }
        return items;
    }

    void follow(std::size_t from, const std::pair<std::string, SourceLocation>& item) {
        const auto& [name, where] = item;
        if (name.empty()) {
            diags_.error(where, kinds::bad_include, "include takes a file name or a list of file names");
            return;
        }
        fs::path base = fs::path(out_.trees[from].file).parent_path();
        std::string path = (base / name).lexically_normal().string();
        std::string id = identity(path);
        for (std::size_t i = 0; i < chain_.size(); ++i) {
            if (identity(chain_[i]) != id) continue;
            std::string cycle;
            for (std::size_t j = i; j < chain_.size(); ++j) cycle += chain_[j] + " -> ";
            diags_.error(where, kinds::include_cycle, fmt::format("include cycle: {}{}", cycle, path));
            return;
        }
        if (loaded_.count(id)) return;  // read once: a second include of a file adds nothing
        if (out_.trees.size() >= kMaxPolicyFiles) {
            diags_.error(where, kinds::too_many_files, fmt::format("more than {} policy files", kMaxPolicyFiles));
            return;
        }
        auto read = read_text_file(path, syntax::kMaxPolicyFileBytes);
        if (!read) {
            diags_.error(where, kinds::bad_include, fmt::format("cannot include '{}': {}", path, read.error().message));
            return;
        }
        add_file(path, std::move(read.value()));
    }

    Diagnostics& diags_;
    LoadedFiles out_;
    std::uint64_t hash_ = kFnvOffset;
    std::size_t budget_ = syntax::kMaxNodes;
    std::set<std::string> loaded_;
    std::vector<std::string> chain_;
};

}  // namespace

LoadedFiles load_policy_files(const std::string& top_path, std::optional<std::string_view> top_text,
                              Diagnostics& diags) {
    return Loader(diags).run(top_path, top_text);
}

}  // namespace microseg::compiler
