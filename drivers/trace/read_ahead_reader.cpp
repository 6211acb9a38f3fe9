#include "drivers/trace/read_ahead_reader.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace roadspeed {
namespace {

// Big enough to make the hand-over cost nothing per edge, small enough to
// stay in cache; a few batches in flight keep both threads busy.
constexpr std::size_t batch_edges = 8192;
constexpr std::size_t max_batches_in_flight = 4;

struct Batch {
  std::vector<Edge> edges;
  std::exception_ptr error;  // set on the last batch when reading failed
  bool last = false;
};

class ReadAheadReader final : public EdgeReader {
 public:
  explicit ReadAheadReader(std::unique_ptr<EdgeReader> source)
      : source_(std::move(source)), worker_([this] { produce(); }) {}

  ~ReadAheadReader() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }

  std::optional<Edge> next() override {
    while (position_ == current_.edges.size()) {
      if (current_.last) {
        if (current_.error) std::rethrow_exception(std::exchange(current_.error, nullptr));
        return std::nullopt;
      }
      current_ = take();
      position_ = 0;
    }
    return current_.edges[position_++];
  }

 private:
  Batch take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty(); });
    Batch b = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return b;
  }

  void produce() {
    for (bool last = false; !last;) {
      Batch b;
      b.edges.reserve(batch_edges);
      try {
        while (b.edges.size() < batch_edges) {
          auto e = source_->next();
          if (!e) {
            b.last = true;
            break;
          }
          b.edges.push_back(*e);
        }
      } catch (...) {
        b.error = std::current_exception();
        b.last = true;
      }
      last = b.last;
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || ready_.size() < max_batches_in_flight; });
      if (stopping_) return;
      ready_.push_back(std::move(b));
      changed_.notify_all();
    }
  }

  std::unique_ptr<EdgeReader> source_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> ready_;
  bool stopping_ = false;
  Batch current_;
  std::size_t position_ = 0;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace

std::unique_ptr<EdgeReader> make_read_ahead_reader(std::unique_ptr<EdgeReader> source) {
  return std::make_unique<ReadAheadReader>(std::move(source));
}

}  // namespace roadspeed
