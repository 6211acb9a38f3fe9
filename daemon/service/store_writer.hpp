// The daemon's storage thread: vehicles, fault spans and observed spans from
// the event loop go into a bounded inbox; once a second this thread commits
// them to SQLite in one transaction (QueuedWriter: a full or failing disk
// keeps them queued and retried, and an overflow is recorded as a gap), then
// prunes a few old per-vehicle rows. After an unclean shutdown it first runs
// `PRAGMA quick_check`, and moves a failing database aside for a fresh one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "daemon/service/latency_meter.hpp"
#include "daemon/site/site.hpp"
#include "daemon/store/db_check.hpp"
#include "daemon/store/queued_writer.hpp"
#include "daemon/store/records.hpp"
#include "daemon/store/store.hpp"

namespace roadspeed {

class StoreWriter {
 public:
  static constexpr std::chrono::seconds commit_interval{1};
  // A timed vehicle is committed no later than this after its last edge,
  // even if that means a second commit within the interval: detection
  // itself may hold a vehicle for more than a second (a slow platoon that
  // could be a road train), and its row is due 1.5 s after that edge
  // (docs/benchmarks.md, "Latency"). What is left is for the commit itself.
  static constexpr std::chrono::milliseconds row_deadline{1200};
  // The storage thread runs this much nicer than the event loop.
  static constexpr int storage_nice_offset = 5;
  // Vehicles the inbox holds while the thread is busy (a quick_check of a
  // large database); the QueuedWriter behind it has its own bound.
  static constexpr std::size_t max_inbox_vehicles = 100'000;

  // Opens (creates, migrates) the database and records the site: a failure
  // is a start-up error (StoreError). The thread starts at once.
  // `latency`, when given, learns how long each vehicle took from its last
  // edge to its committed row.
  StoreWriter(std::filesystem::path db_path, const Site& site, int retention_days, LatencyMeter* latency = nullptr);
  ~StoreWriter();  // close()
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // `last_edge_at`: when each vehicle's last edge happened, or empty.
  void append(std::span<const Vehicle> vehicles,
              std::span<const std::chrono::steady_clock::time_point> last_edge_at = {});
  void append(const store::FaultSpan& fault);
  void append(const store::ObservedSpan& observed);
  // Commits everything and stops the thread; a clean close.
  void close();

  std::uint64_t dropped() const;
  std::uint64_t committed() const;
  // Transactions that stored vehicles, and how many of them a vehicle's
  // row_deadline brought forward (SD-card writes: docs/daemon.md).
  std::uint64_t vehicle_commits() const;
  std::uint64_t early_commits() const;

 private:
  void run();
  void check_after_unclean_stop();
  void commit_inbox();
  void record_latency();

  std::filesystem::path db_path_;
  Site site_;
  int retention_days_;
  std::unique_ptr<store::OpenMarker> marker_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::QueuedWriter> queued_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  store::Batch inbox_;
  LatencyMeter* latency_;
  using TimePoint = std::chrono::steady_clock::time_point;
  std::vector<TimePoint> inbox_last_edge_at_;  // for the inbox's timed vehicles
  TimePoint inbox_deadline_ = TimePoint::max();  // the earliest row_deadline among them
  std::deque<TimePoint> queued_last_edge_at_;  // for those queued behind a failing disk (storage thread)
  std::uint64_t dropped_ = 0, committed_ = 0, vehicle_commits_ = 0, early_commits_ = 0;
  bool closing_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace roadspeed
