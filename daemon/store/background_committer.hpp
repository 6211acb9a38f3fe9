// Commits batches on a thread of its own, in the order they were handed
// over, one transaction each, so that the producer (import's detection)
// works on the next batch while SQLite writes this one: on two cores an
// import then takes about as long as the slower of the two, not their sum.
// At most one batch waits besides the one being committed.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "daemon/store/records.hpp"
#include "daemon/store/store.hpp"

namespace roadspeed::store {

class BackgroundCommitter {
 public:
  // `committed` runs on the committing thread after each commit returned.
  BackgroundCommitter(Store& store, std::function<void(const Batch&)> committed);
  // Finishes the batch being committed (a transaction is never cut short
  // by us), drops one still waiting, and stops the thread.
  ~BackgroundCommitter();
  BackgroundCommitter(const BackgroundCommitter&) = delete;
  BackgroundCommitter& operator=(const BackgroundCommitter&) = delete;

  // Hands `batch` over, waiting while another still waits. Rethrows the
  // error of an earlier commit (nothing after it is committed).
  void submit(Batch batch);
  // Waits until every batch handed over is committed; rethrows an error.
  void drain();

 private:
  void run();
  void rethrow_locked();

  Store& store_;
  std::function<void(const Batch&)> committed_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Batch> waiting_;
  bool busy_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace roadspeed::store
