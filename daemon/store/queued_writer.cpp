#include "daemon/store/queued_writer.hpp"

#include <string>

namespace roadspeed::store {

QueuedWriter::QueuedWriter(Store& store, LogFn log, std::size_t max_queued_vehicles)
    : store_(store), log_(std::move(log)), max_queued_vehicles_(max_queued_vehicles) {}

void QueuedWriter::add(const Vehicle& v) {
  vehicles_.push_back(v);
  if (vehicles_.size() <= max_queued_vehicles_) return;
  // Keep the newest: the oldest have waited longest for a disk that may not come back.
  const Vehicle& lost = vehicles_.front();
  auto [it, fresh] = dropped_.try_emplace(lost.detector, Dropped{lost.t_ns, lost.t_ns, 0});
  it->second.last_ns = lost.t_ns;
  ++it->second.count;
  if (dropped_total_++ == 0 || fresh)
    log_("store: vehicle queue full (" + std::to_string(max_queued_vehicles_) +
         "); dropping the oldest unstored vehicles, the gap will be recorded");
  vehicles_.pop_front();
}

Batch QueuedWriter::next_batch(std::int64_t now_ns) const {
  Batch b = pending_;
  b.vehicles.assign(vehicles_.begin(), vehicles_.end());
  for (const auto& [detector, d] : dropped_) {
    const std::string what = std::to_string(d.count) + " vehicles not stored (storage failed, queue overflowed)";
    b.faults.push_back({detector, d.first_ns, d.last_ns + 1, "storage: " + what});
    b.health.push_back({now_ns, "store", "error", "detector " + std::to_string(detector) + ": " + what});
  }
  return b;
}

bool QueuedWriter::flush(std::int64_t now_ns) {
  const Batch batch = next_batch(now_ns);
  if (batch.empty()) return true;
  try {
    store_.commit(batch);
  } catch (const StoreError& e) {
    // Never fatal: detection goes on, the data waits in memory.
    if (!failing_) log_("store: commit failed, keeping " + std::to_string(vehicles_.size()) +
                        " vehicles queued and retrying: " + e.what());
    failing_ = true;
    return false;
  }
  if (failing_) log_("store: commits work again");
  failing_ = false;
  vehicles_.clear();
  pending_.clear();
  dropped_.clear();
  return true;
}

}  // namespace roadspeed::store
