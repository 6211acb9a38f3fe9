// A bounded hand-over of batches from one thread to another: the producer
// waits while `capacity` batches are in flight, the consumer while there is
// none. Batches rather than items, so that the locking costs nothing per
// item. Used by the read-ahead trace reader and by analyze's CSV writer.
//
// A side that waits is woken with some slack rather than at the first
// change: a full producer once the queue has drained to half, an idle
// consumer once `wake_consumer_at` batches are ready. Each wake-up is a
// futex call and a context switch; waking a producer at every pop made
// analyze ping-pong between threads once per batch (6,400 futex calls per
// 10M edges, most of them on the detection thread).
#pragma once

#include <algorithm>
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
  explicit BatchQueue(std::size_t capacity, std::size_t wake_consumer_at = 1)
      : capacity_(std::max<std::size_t>(capacity, 1)),
        wake_consumer_at_(std::clamp<std::size_t>(wake_consumer_at, 1, capacity_)),
        wake_producer_at_(capacity_ / 2) {}

  // Waits for room; false (and the batch dropped) once the queue is closed.
  bool push(Batch batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return closed_ || ready_.size() < capacity_; });
    if (closed_) return false;
    ready_.push_back(std::move(batch));
    if (ready_.size() >= wake_consumer_at_) not_empty_.notify_one();
    return true;
  }

  // Waits for a batch; nullopt once the queue is closed and empty.
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return closed_ || !ready_.empty(); });
    return take_front();
  }

  // Without waiting: false (and the batch dropped) when full or closed.
  bool try_push(Batch batch) {
    std::lock_guard lock(mutex_);
    if (closed_ || ready_.size() >= capacity_) return false;
    ready_.push_back(std::move(batch));
    if (ready_.size() >= wake_consumer_at_) not_empty_.notify_one();
    return true;
  }

  // Without waiting: a batch if one is ready.
  std::optional<Batch> try_pop() {
    std::lock_guard lock(mutex_);
    return take_front();
  }

  // Either side is done: push() refuses from now on, pop() drains what is left.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::optional<Batch> take_front() {  // with the lock held
    if (ready_.empty()) return std::nullopt;
    Batch batch = std::move(ready_.front());
    ready_.pop_front();
    if (ready_.size() <= wake_producer_at_) not_full_.notify_one();
    return batch;
  }

  const std::size_t capacity_;
  const std::size_t wake_consumer_at_;
  const std::size_t wake_producer_at_;
  std::mutex mutex_;
  std::condition_variable not_full_;   // the producer waits here
  std::condition_variable not_empty_;  // the consumer waits here
  std::deque<Batch> ready_;
  bool closed_ = false;
};

}  // namespace roadspeed
