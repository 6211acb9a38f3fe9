// A bounded hand-over of batches from one thread to another: the producer
// waits while `capacity` batches are in flight, the consumer while there is
// none. Batches rather than items, so that the locking costs nothing per
// item. Used by the read-ahead trace reader and by analyze's CSV writer.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace roadspeed {

template <class Batch>
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

  // Waits for room; false (and the batch dropped) once the queue is closed.
  bool push(Batch batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return closed_ || ready_.size() < capacity_; });
    if (closed_) return false;
    ready_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }

  // Waits for a batch; nullopt once the queue is closed and empty.
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return closed_ || !ready_.empty(); });
    if (ready_.empty()) return std::nullopt;
    Batch batch = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return batch;
  }

  // Without waiting: false (and the batch dropped) when full or closed.
  bool try_push(Batch batch) {
    std::lock_guard lock(mutex_);
    if (closed_ || ready_.size() >= capacity_) return false;
    ready_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }

  // Without waiting: a batch if one is ready.
  std::optional<Batch> try_pop() {
    std::lock_guard lock(mutex_);
    if (ready_.empty()) return std::nullopt;
    Batch batch = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return batch;
  }

  // Either side is done: push() refuses from now on, pop() drains what is left.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> ready_;
  bool closed_ = false;
};

}  // namespace roadspeed
