#include "traffic/observe.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace microseg::traffic {

namespace {

// Reading (one thread) and folding + judging (another) overlap: at ten million records each
// is seconds of work. Records travel in batches through a short queue, so memory stays a few
// batches whatever the file's size.
class RecordPipe {
public:
    static constexpr std::size_t kBatch = 8192, kQueued = 4;
    using Batch = std::vector<std::pair<FlowRecord, std::uint32_t>>;

    void push(const FlowRecord& r, std::uint32_t file) {
        filling_.emplace_back(r, file);
        if (filling_.size() >= kBatch) hand_over();
    }
    void close() {
        if (!filling_.empty()) hand_over();
        std::lock_guard lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }
    // A batch the consumer is done with: its memory fills again (no page faults per batch).
    void give_back(Batch&& b) {
        b.clear();
        std::lock_guard lock(mutex_);
        spare_.push_back(std::move(b));
    }
    // An empty batch: closed and drained.
    Batch take() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return {};
        Batch b = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();
        return b;
    }

private:
    void hand_over() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return queue_.size() < kQueued; });
        queue_.push_back(std::move(filling_));
        filling_ = Batch();
        if (!spare_.empty()) {
            filling_ = std::move(spare_.back());
            spare_.pop_back();
        }
        filling_.reserve(kBatch);
        changed_.notify_all();
    }

    Batch filling_;
    std::deque<Batch> queue_;
    std::vector<Batch> spare_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool closed_ = false;
};

}  // namespace

Result<Observation> observe(const Policy& policy, const std::vector<std::string>& files,
                            const std::vector<InventoryEntry>& inventory) {
    Observation out;
    out.traffic = std::make_unique<ObservedTraffic>(policy, inventory);
    ObservedTraffic& traffic = *out.traffic;
    SessionFolder folder([&](std::uint8_t protocol, std::uint16_t port) { return traffic.is_service_port(protocol, port); },
                         [&](const Session& s) { traffic.add(s); });
    RecordPipe pipe;
    std::thread folding([&] {
        for (auto batch = pipe.take(); !batch.empty(); batch = pipe.take()) {
            for (const auto& [record, file] : batch) folder.add(record, file);
            pipe.give_back(std::move(batch));
        }
        folder.finish();
    });
    std::optional<Diagnostic> failed;
    for (std::uint32_t i = 0; i < files.size() && !failed; ++i) {
        auto read = read_flow_file(files[i], [&](const FlowRecord& r) { pipe.push(r, i); });
        if (!read) {
            failed = read.error();
            break;
        }
        out.records += read->records;
        out.bad_lines += read->bad_lines;
        out.warnings.insert(out.warnings.end(), read->warnings.begin(), read->warnings.end());
        out.inputs.push_back({files[i], std::move(*read)});
    }
    pipe.close();
    folding.join();
    if (failed) return *failed;
    out.duplicates = folder.duplicates();
    out.paired = folder.paired();
    return out;
}

}  // namespace microseg::traffic
