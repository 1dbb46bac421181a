#include <doctest/doctest.h>

#include <stdexcept>
#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "audit/fetch/config_store.hpp"
#include "audit/fetch/fetch_pool.hpp"
#include "audit/fetch/file_source.hpp"
#include "model/config_file.hpp"
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

// Target "late" is fetched only after "first" has been consumed (or 5 s have passed): it can
// succeed only if results reach the caller while other fetches are still running.
struct WaitsForConsumer : ConfigSource {
    std::mutex m;
    std::condition_variable cv;
    bool first_consumed = false;
    FetchResult fetch(const FetchTarget& t) override {
        if (t.name == "late") {
            std::unique_lock lock(m);
            if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return first_consumed; }))
                return NotAudited{NotAuditedKind::timeout, "consumer never ran during the fetches"};
        }
        return FetchedConfig{t.name + "\nend\n", {}};
    }
};

TEST_CASE("fetch_each hands every result to the calling thread while other fetches run") {
    WaitsForConsumer src;
    std::vector<FetchTarget> ts{named("first"), named("late"), named("x"), named("y")};
    const auto caller = std::this_thread::get_id();
    std::vector<int> seen(ts.size(), 0);
    fetch_each(src, ts, 4, [&](std::size_t i, FetchResult&& r) {
        CHECK(std::this_thread::get_id() == caller);
        ++seen.at(i);
        CHECK(r.ok());
        if (ts[i].name == "first") {
            std::lock_guard lock(src.m);
            src.first_consumed = true;
            src.cv.notify_all();
        }
    });
    CHECK(seen == std::vector<int>{1, 1, 1, 1});
    // A consumer that throws: the workers still finish and are joined, then the error surfaces.
    CHECK_THROWS_AS(fetch_each(src, targets(20), 4, [](std::size_t, FetchResult&&) { throw std::logic_error("x"); }),
                    std::logic_error);
}

TEST_CASE("file source: missing, truncated and complete saved configs") {
    std::string dir = temp_dir();
    write_file_atomically(dir + "/a.ios", "hostname a\nend\n");
    write_file_atomically(dir + "/b.ios", "hostname b\ninterface Gi1\n");
    FileSource src(dir);
    CHECK(src.fetch(named("a")).ok());
    CHECK(src.fetch(named("b")).not_audited().kind == NotAuditedKind::truncated);
    CHECK(src.fetch(named("c")).not_audited().kind == NotAuditedKind::missing);
    // A name that could leave the directory is looked up only under its sanitised file name.
    CHECK(src.fetch(named("../a")).not_audited().kind == NotAuditedKind::missing);
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
    // A name that could leave the directory is saved inside it, under its sanitised file name.
    auto evil = store.save(named("../evil"), FetchedConfig{"end\n", {}});
    REQUIRE(evil.ok());
    CHECK(std::filesystem::path(*evil).parent_path() == std::filesystem::path(dir + "/saved"));
    CHECK(std::filesystem::path(*evil).filename() == config_file_name("../evil", PlatformId::cisco_ios));
    CHECK_FALSE(std::filesystem::exists(dir + "/evil.ios"));
    std::filesystem::remove_all(dir);
}
