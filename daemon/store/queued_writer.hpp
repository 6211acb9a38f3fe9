// The writer side the daemon feeds: detection never waits on storage and
// never loses a vehicle to a passing disk problem. Vehicles queue in memory
// (bounded); flush(), called once a second, commits them all in one
// transaction. When the disk is full or failing, they stay queued and flush
// retries next time; past the bound the oldest are dropped, and the gap is
// recorded as a fault span (with a health event) once storage works again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string_view>

#include "daemon/store/records.hpp"
#include "daemon/store/store.hpp"

namespace roadspeed::store {

using LogFn = std::function<void(std::string_view)>;

class QueuedWriter {
 public:
  // Bound that holds about an hour of a busy two-lane road.
  static constexpr std::size_t default_max_queued_vehicles = 20'000;

  QueuedWriter(Store& store, LogFn log, std::size_t max_queued_vehicles = default_max_queued_vehicles);

  void add(const Vehicle& v);
  void add(const FaultSpan& f) { pending_.faults.push_back(f); }
  void add(const ObservedSpan& s) { pending_.observed.push_back(s); }
  void add(const HealthEvent& h) { pending_.health.push_back(h); }

  // Commits everything queued. True when it is stored; false when storage
  // failed (logged once per outage) and it stays queued for the next call.
  bool flush(std::int64_t now_ns);

  std::size_t queued_vehicles() const { return vehicles_.size(); }
  std::uint64_t dropped_vehicles() const { return dropped_total_; }

 private:
  struct Dropped {
    std::int64_t first_ns = 0;
    std::int64_t last_ns = 0;
    std::uint64_t count = 0;
  };

  Batch next_batch(std::int64_t now_ns) const;

  Store& store_;
  LogFn log_;
  std::size_t max_queued_vehicles_;
  std::deque<Vehicle> vehicles_;
  Batch pending_;  // everything but the vehicles
  std::map<std::uint16_t, Dropped> dropped_;  // per detector, not yet recorded
  std::uint64_t dropped_total_ = 0;
  bool failing_ = false;
};

}  // namespace roadspeed::store
