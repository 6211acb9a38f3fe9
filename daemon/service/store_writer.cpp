#include "daemon/service/store_writer.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>

#include "daemon/service/log.hpp"
#include "daemon/store/sqlite_db.hpp"
#include "drivers/utc_time.hpp"

namespace roadspeed {
namespace {

// Where a database that failed its check goes: "<db>.corrupt-20261126T170000Z".
std::string stamp_now() { return format_utc_compact(wall_now_ns()); }

void log_store(std::string_view text) { log::error(text); }

}  // namespace

StoreWriter::StoreWriter(std::filesystem::path db_path, const Site& site, int retention_days, LatencyMeter* latency)
    : db_path_(std::move(db_path)), site_(site), retention_days_(retention_days), latency_(latency) {
  marker_ = std::make_unique<store::OpenMarker>(db_path_);
  try {
    store_ = std::make_unique<store::Store>(db_path_, site_, wall_now_ns());
  } catch (const store::StoreError&) {
    // A database the last (unclean) run left unreadable is moved aside, not
    // deleted, and a fresh one started; any other failure is for the operator.
    if (!marker_->previous_run_unclean() || store::check_or_move_aside(db_path_, stamp_now(), log_store).ok) throw;
    store_ = std::make_unique<store::Store>(db_path_, site_, wall_now_ns());
  }
  queued_ = std::make_unique<store::QueuedWriter>(*store_, log_store);
  thread_ = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter() { close(); }

void StoreWriter::append(std::span<const Vehicle> vehicles, std::span<const TimePoint> last_edge_at) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < vehicles.size(); ++i) {
    if (inbox_.vehicles.size() >= max_inbox_vehicles) {
      ++dropped_;
      continue;
    }
    inbox_.vehicles.push_back(vehicles[i]);
    // One entry per vehicle, so they stay in step; TimePoint{}: untimed.
    inbox_last_edge_at_.push_back(i < last_edge_at.size() ? last_edge_at[i] : TimePoint{});
    if (i < last_edge_at.size() && last_edge_at[i] != TimePoint{})
      inbox_deadline_ = std::min(inbox_deadline_, last_edge_at[i] + row_deadline);
  }
  wake_.notify_one();  // lock held: the writer cannot miss it
}

void StoreWriter::append(const store::FaultSpan& fault) {
  std::lock_guard lock(mutex_);
  inbox_.faults.push_back(fault);
}

void StoreWriter::append(const store::ObservedSpan& observed) {
  std::lock_guard lock(mutex_);
  inbox_.observed.push_back(observed);
}

void StoreWriter::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  queued_.reset();
  store_.reset();
  marker_.reset();  // the clean close
}

std::uint64_t StoreWriter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_ + (queued_ ? queued_->dropped_vehicles() : 0);
}

std::uint64_t StoreWriter::committed() const {
  std::lock_guard lock(mutex_);
  return committed_;
}

std::uint64_t StoreWriter::vehicle_commits() const {
  std::lock_guard lock(mutex_);
  return vehicle_commits_;
}

std::uint64_t StoreWriter::early_commits() const {
  std::lock_guard lock(mutex_);
  return early_commits_;
}

void StoreWriter::run() {
  // Storage may lag a second; the event loop reading edges may not. Let the
  // loop win when both want a core (a commit's SQLite work, a quick_check).
  errno = 0;
  const int nice_now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  if (errno == 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(nice_now + storage_nice_offset, 19));
  if (marker_->previous_run_unclean()) check_after_unclean_stop();
  // A commit a second (coverage and faults go with it), and vehicles no
  // later than needed: a vehicle that comes a second or more after the last
  // commit that stored vehicles is committed at once, not at the next tick.
  // Otherwise vehicles are committed at most once a second, unless one of
  // them would miss its row_deadline.
  using Clock = std::chrono::steady_clock;
  auto last_commit = Clock::now();
  auto last_vehicles = last_commit - commit_interval;
  for (bool closing = false; !closing;) {
    bool vehicles = false, early = false;
    {
      std::unique_lock lock(mutex_);
      const auto tick = last_commit + commit_interval;
      wake_.wait_until(lock, tick, [this] { return closing_ || !inbox_.vehicles.empty(); });
      if (!inbox_.vehicles.empty()) {
        const auto paced = std::min(tick, last_vehicles + commit_interval);
        // Each vehicle that comes meanwhile may bring the deadline forward.
        while (!closing_) {
          const auto due = std::min(paced, inbox_deadline_);
          if (Clock::now() >= due) break;
          wake_.wait_until(lock, due);
        }
        early = inbox_deadline_ < paced && Clock::now() < paced;
      }
      closing = closing_;
      vehicles = !inbox_.vehicles.empty();
      if (vehicles) {
        ++vehicle_commits_;
        if (early) ++early_commits_;
      }
    }
    last_commit = Clock::now();
    if (vehicles) last_vehicles = last_commit;
    commit_inbox();
  }
}

// The last run did not close cleanly: check the database while the daemon
// already detects (vehicles wait in the inbox meanwhile).
void StoreWriter::check_after_unclean_stop() {
  const store::CheckResult r = store::check_or_move_aside(db_path_, stamp_now(), log_store);
  if (r.ok) {
    log::info("store: " + db_path_.string() + " passed quick_check after an unclean stop");
    return;
  }
  queued_.reset();
  store_ = std::make_unique<store::Store>(db_path_, site_, wall_now_ns());
  queued_ = std::make_unique<store::QueuedWriter>(*store_, log_store);
}

void StoreWriter::record_latency() {
  const TimePoint now = std::chrono::steady_clock::now();
  if (latency_)
    for (const TimePoint& t : queued_last_edge_at_)
      if (t != TimePoint{}) latency_->add(std::chrono::duration_cast<std::chrono::nanoseconds>(now - t).count());
  queued_last_edge_at_.clear();
}

void StoreWriter::commit_inbox() {
  store::Batch batch;
  std::vector<TimePoint> last_edge_at;
  {
    std::lock_guard lock(mutex_);
    std::swap(batch, inbox_);
    std::swap(last_edge_at, inbox_last_edge_at_);
    inbox_deadline_ = TimePoint::max();
  }
  queued_last_edge_at_.insert(queued_last_edge_at_.end(), last_edge_at.begin(), last_edge_at.end());
  for (const Vehicle& v : batch.vehicles) queued_->add(v);
  for (const store::FaultSpan& f : batch.faults) queued_->add(f);
  for (const store::ObservedSpan& o : batch.observed) queued_->add(o);
  const std::int64_t now_ns = wall_now_ns();
  const std::size_t before = queued_->queued_vehicles();
  if (!queued_->flush(now_ns)) {
    // Past its bound the queue dropped its oldest vehicles.
    while (queued_last_edge_at_.size() > queued_->queued_vehicles()) queued_last_edge_at_.pop_front();
    return;
  }
  record_latency();
  {
    std::lock_guard lock(mutex_);
    committed_ += before;
  }
  // Retention: a few of the oldest rows per second never hold the lock long.
  const std::int64_t cutoff_ns = now_ns - std::int64_t{retention_days_} * 86'400 * 1'000'000'000;
  try {
    store_->prune_vehicles(cutoff_ns, store::default_prune_batch_rows);
  } catch (const store::StoreError& e) {
    log::error(std::string("store: pruning: ") + e.what());
  }
}

}  // namespace roadspeed
