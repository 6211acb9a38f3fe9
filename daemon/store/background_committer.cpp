#include "daemon/store/background_committer.hpp"

#include <utility>

namespace roadspeed::store {

BackgroundCommitter::BackgroundCommitter(Store& store, std::function<void(const Batch&)> committed)
    : store_(store), committed_(std::move(committed)), thread_([this] { run(); }) {}

BackgroundCommitter::~BackgroundCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BackgroundCommitter::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void BackgroundCommitter::submit(Batch batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !waiting_ || error_; });
  rethrow_locked();
  waiting_ = std::move(batch);
  lock.unlock();
  changed_.notify_all();
}

void BackgroundCommitter::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return (!waiting_ && !busy_) || error_; });
  rethrow_locked();
}

void BackgroundCommitter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return waiting_ || stopping_; });
    if (stopping_ || error_) return;
    Batch batch = std::move(*waiting_);
    waiting_.reset();
    busy_ = true;
    lock.unlock();
    changed_.notify_all();
    try {
      store_.commit(batch);
      committed_(batch);
    } catch (...) {
      lock.lock();
      error_ = std::current_exception();
      busy_ = false;
      changed_.notify_all();
      return;
    }
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace roadspeed::store
