#include <doctest/doctest.h>

#include <stdexcept>
#include <sys/stat.h>

#include <filesystem>

#include "audit/config_store.hpp"
#include "audit/fetch_pool.hpp"
#include "audit/file_source.hpp"
#include "model/file_io.hpp"

using namespace microseg;

namespace {
FetchTarget named(std::string name) {
    FetchTarget t;
    t.name = std::move(name);
    return t;
}

// Answers from memory: "bad-*" is not audited, "throw-*" throws, others return their name.
struct MemorySource : ConfigSource {
    FetchResult fetch(const FetchTarget& t) override {
        if (t.name.starts_with("throw")) throw std::runtime_error("boom");
        if (t.name.starts_with("bad")) return NotAudited{NotAuditedKind::timeout, "slow"};
        return FetchedConfig{t.name + "\nend\n", {}};
    }
};

std::vector<FetchTarget> targets(int n) {
    std::vector<FetchTarget> out;
    for (int i = 0; i < n; ++i)
        out.push_back(named(fmt::format("{}-{}", i % 7 == 3 ? "bad" : i % 11 == 5 ? "throw" : "sw", i)));
    return out;
}

std::string temp_dir() {
    std::string t = "/tmp/microseg-unit-XXXXXX";
    REQUIRE(::mkdtemp(t.data()));
    return t;
}
}  // namespace

TEST_CASE("the pool keeps input order, contains failures and reports progress once per device") {
    MemorySource src;
    auto ts = targets(40);
    for (int jobs : {1, 8, 64}) {
        std::size_t calls = 0;
        auto rs = fetch_all(src, ts, jobs, [&](const FetchProgress& p) { CHECK(p.done == ++calls); });
        REQUIRE(rs.size() == 40);
        CHECK(calls == 40);
        for (std::size_t i = 0; i < 40; ++i) {
            CAPTURE(i);
            if (ts[i].name.starts_with("sw")) CHECK((rs[i].ok() && rs[i].config().text == ts[i].name + "\nend\n"));
            else if (ts[i].name.starts_with("bad")) CHECK(rs[i].not_audited().kind == NotAuditedKind::timeout);
            else CHECK(rs[i].not_audited().reason == "internal error: boom");
        }
    }
    CHECK(progress_line(FetchProgress{3, 200, "acc-sw-07", true}) == "[  3/200] acc-sw-07 ok");
}

TEST_CASE("file source: missing, truncated and complete saved configs") {
    std::string dir = temp_dir();
    write_file_atomically(dir + "/a.ios", "hostname a\nend\n");
    write_file_atomically(dir + "/b.ios", "hostname b\ninterface Gi1\n");
    FileSource src(dir);
    CHECK(src.fetch(named("a")).ok());
    CHECK(src.fetch(named("b")).not_audited().kind == NotAuditedKind::truncated);
    CHECK(src.fetch(named("c")).not_audited().kind == NotAuditedKind::missing);
    CHECK(src.fetch(named("../a")).not_audited().kind == NotAuditedKind::io_error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("redaction key file: created 0600 once, reused, refused when others can read it") {
    std::string dir = temp_dir();
    std::string path = dir + "/cfg/microseg/redact.key";
    auto k1 = load_or_create_key_file(path);
    REQUIRE(k1.ok());
    struct stat st{};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(st.st_size == 16);
    auto k2 = load_or_create_key_file(path);
    REQUIRE(k2.ok());
    CHECK(*k1 == *k2);
    ::chmod(path.c_str(), 0644);
    auto refused = load_or_create_key_file(path);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == "redaction key file is readable by others; chmod 600 it");
    std::filesystem::remove_all(dir);
}

TEST_CASE("the store saves only complete pulls, redacted and 0600") {
    std::string dir = temp_dir();
    ConfigStore store(dir + "/saved", key_from_text("k"));
    FetchTarget t = named("acc-sw-01");
    auto saved = store.save_if_complete(t, FetchedConfig{"snmp-server community s3cr3t RO\nend\n", {}});
    REQUIRE(saved.ok());
    CHECK(*saved);
    std::string path = dir + "/saved/acc-sw-01.ios";
    auto text = read_text_file(path);
    REQUIRE(text.ok());
    CHECK(text->find("s3cr3t") == std::string::npos);
    auto kept = store.save_if_complete(t, NotAudited{NotAuditedKind::truncated, "cut"});
    REQUIRE(kept.ok());
    CHECK_FALSE(*kept);
    CHECK(read_text_file(path).value() == *text);
    CHECK_FALSE(store.save(named("../evil"), FetchedConfig{"end\n", {}}).ok());
    std::filesystem::remove_all(dir);
}
