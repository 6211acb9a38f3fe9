#include "drivers/trace/read_ahead_reader.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "drivers/trace/batch_queue.hpp"

namespace roadspeed {
namespace {

// Big enough to make the hand-over cost nothing per edge, small enough to
// stay in cache; a few batches in flight keep both threads busy, and the
// reader, woken when half of them are taken, then parses several in a row.
constexpr std::size_t batch_edges = 8192;
constexpr std::size_t max_batches_in_flight = 8;

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
    ready_.close();
    worker_.join();
  }

  std::optional<Edge> next() override {
    if (!refill()) return std::nullopt;
    return current_.edges[position_++];
  }

  // The batch the producer filled, lent as it is.
  std::span<const Edge> read_batch() override {
    if (!refill()) return {};
    const auto batch = std::span<const Edge>(current_.edges).subspan(position_);
    position_ = current_.edges.size();
    return batch;
  }

  std::size_t read(std::span<Edge> out) override {
    if (!refill()) return 0;
    const std::size_t n = std::min(out.size(), current_.edges.size() - position_);
    std::memcpy(out.data(), current_.edges.data() + position_, n * sizeof(Edge));
    position_ += n;
    return n;
  }

 private:
  // An edge is ready in current_; false at the end of the input.
  bool refill() {
    while (position_ == current_.edges.size()) {
      if (current_.last) {
        if (current_.error) std::rethrow_exception(std::exchange(current_.error, nullptr));
        return false;
      }
      Batch next = std::move(*ready_.pop());  // the producer ends with a `last` batch
      if (current_.edges.capacity() > 0) spare_.try_push(std::move(current_.edges));
      current_ = std::move(next);
      position_ = 0;
    }
    return true;
  }

  void produce() {
    for (bool last = false; !last;) {
      Batch b;
      if (auto spare = spare_.try_pop()) b.edges = std::move(*spare);
      b.edges.resize(batch_edges);  // initialises only a new array
      std::size_t filled = 0;
      try {
        while (filled < batch_edges) {
          const std::size_t n = source_->read(std::span(b.edges).subspan(filled));
          if (n == 0) {
            b.last = true;
            break;
          }
          filled += n;
        }
      } catch (...) {
        b.error = std::current_exception();
        b.last = true;
      }
      b.edges.resize(filled);
      last = b.last;
      if (!ready_.push(std::move(b))) return;  // the reader is going away
    }
  }

  std::unique_ptr<EdgeReader> source_;
  BatchQueue<Batch> ready_{max_batches_in_flight};
  // Spent edge arrays, back to the producer: allocating and initialising
  // (Edge has member initialisers) a new one per batch cost the reader
  // thread 7 instructions an edge. Room for every array there is.
  BatchQueue<std::vector<Edge>> spare_{max_batches_in_flight + 2};
  Batch current_;
  std::size_t position_ = 0;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace

std::unique_ptr<EdgeReader> make_read_ahead_reader(std::unique_ptr<EdgeReader> source) {
  return std::make_unique<ReadAheadReader>(std::move(source));
}

}  // namespace roadspeed
