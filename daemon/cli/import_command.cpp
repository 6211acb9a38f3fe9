// roadspeed import: a recorded trace (or gpiomon log) -> vehicles, bins,
// sensor fault spans and coverage in the database. Commits in large batches by count, each one
// transaction, so an interrupted import leaves whole batches only; the
// commits run on a second thread while detection goes on.
#include <atomic>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/cli/commands.hpp"
#include "daemon/cli/trace_input.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/health/sensor_health.hpp"
#include "daemon/site/site.hpp"
#include "daemon/store/background_committer.hpp"
#include "daemon/store/store.hpp"

namespace roadspeed::cli {
namespace {

// Vehicles per transaction: large enough that the fsync per commit costs
// nothing against detection, small enough that a batch stays a few MB.
constexpr std::size_t default_vehicles_per_commit = 50'000;

struct ImportOptions {
  std::string db;
  TraceInputOptions input;
  std::size_t vehicles_per_commit = default_vehicles_per_commit;
  double commit_seconds = 0;  // also commit at least this often in trace time; 0: by count only
  bool progress = false;
};

// Detection into batches; each batch carries the span of the trace it covers.
class Importer {
 public:
  Importer(const Site& site, store::Store& store, const ImportOptions& o)
      : site_(site), detector_(site), health_(site), source_(o.input.trace), per_commit_(o.vehicles_per_commit),
        commit_interval_ns_(static_cast<std::int64_t>(o.commit_seconds * 1e9)), progress_(o.progress), writer_(store, [this](const store::Batch& b) { committed(b); }) {}

  void push(const Edge& e) {
    if (!first_edge_ns_) first_edge_ns_ = observed_from_ns_ = e.t_ns;
    last_edge_ns_ = e.t_ns;
    detector_.push(e, pending_);
    health_.push(e, fault_events_);
    take_faults();
    // Batches of exactly per_commit_, so that what is stored is always a
    // whole number of batches until the last.
    while (pending_.size() >= per_commit_) commit(per_commit_);
    // The daemon's pattern (a commit a second), for measuring what it writes.
    if (commit_interval_ns_ > 0 && e.t_ns >= next_commit_ns_) {
      if (next_commit_ns_ > 0) commit(pending_.size());
      next_commit_ns_ = e.t_ns - e.t_ns % commit_interval_ns_ + commit_interval_ns_;
    }
  }

  std::size_t committed() const { return committed_; }

  std::size_t finish() {
    detector_.finish(pending_);
    health_.close_all(last_edge_ns_, fault_events_);
    take_faults();
    commit(pending_.size(), true);
    writer_.drain();
    return committed_;
  }

 private:
  // Faults that ended go with the next batch, on every detector they touch.
  void take_faults() {
    for (const FaultEvent& f : fault_events_) {
      if (!f.end_ns) continue;
      for (std::uint16_t d : detectors_reading(site_, f.input))
        faults_.push_back(
            {d, f.start_ns, *f.end_ns, site_.inputs.at(f.input).name + " " + std::string(to_string(f.kind))});
    }
    fault_events_.clear();
  }

  void commit(std::size_t n, bool last = false) {
    store::Batch batch;
    // Every batch says how far the import has got, so a later import of
    // the same span is refused (store::ImportOverlap) instead of doubling it.
    if (first_edge_ns_) batch.import = store::ImportProgress{source_, *first_edge_ns_, last_edge_ns_, last};
    batch.vehicles.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    batch.faults.swap(faults_);
    if (first_edge_ns_ && last_edge_ns_ > observed_from_ns_) batch.observed.push_back({observed_from_ns_, last_edge_ns_});
    if (batch.empty()) return;
    writer_.submit(std::move(batch));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    observed_from_ns_ = last_edge_ns_;
  }

  // On the writer's thread, after the commit returned.
  void committed(const store::Batch& b) {
    committed_ += b.vehicles.size();
    // Said only now: what a kill cannot take back.
    if (progress_) std::cout << "committed " << committed_ << " vehicles so far" << std::endl;
  }

  const Site& site_;
  VehicleDetector detector_;
  SensorHealth health_;
  std::vector<FaultEvent> fault_events_;
  std::vector<store::FaultSpan> faults_;  // ended, not yet committed
  std::string source_;
  std::size_t per_commit_;
  std::int64_t commit_interval_ns_ = 0;
  std::int64_t next_commit_ns_ = 0;
  bool progress_;
  std::vector<Vehicle> pending_;  // detected, not yet handed to the writer
  std::optional<std::int64_t> first_edge_ns_;
  std::int64_t observed_from_ns_ = 0;
  std::int64_t last_edge_ns_ = 0;
  std::atomic<std::size_t> committed_ = 0;
  // Last: its thread stops (finishing the commit in flight) before the rest goes.
  store::BackgroundCommitter writer_;
};

int import_trace(const ImportOptions& o) {
  TraceInput input(o.input);
  const Site& site = input.site();
  EdgeReader& reader = input.reader();

  // The site version is stamped with the trace's first edge, not the wall
  // clock, so importing old recordings keeps their history in order.
  std::optional<Edge> first = reader.next();
  store::Store store(o.db, site, first ? first->t_ns : 0);
  // The common mistake, the same trace twice, is refused before any
  // detection; a trace that runs into an earlier import later is refused
  // at the batch that reaches it (Store::commit), after the batches before it.
  if (first)
    if (const auto earlier = store.import_overlapping(first->t_ns, first->t_ns))
      throw std::runtime_error(o.input.trace + ": nothing stored: its first edge is already in the database, from " +
                               store::describe(*earlier) + " (import a period once)");
  Importer importer(site, store, o);
  std::size_t committed = 0;
  try {
    if (first) importer.push(*first);
    std::vector<Edge> edges(4096);  // taken in blocks: no call per edge
    while (const std::size_t n = reader.read(edges))
      for (std::size_t i = 0; i < n; ++i) importer.push(edges[i]);
    committed = importer.finish();
  } catch (const store::ImportOverlap& e) {
    throw std::runtime_error(o.input.trace + ": stopped after " + std::to_string(importer.committed()) +
                             " vehicles were committed: the next batch " + e.what());
  }
  std::cout << "committed " << committed << " vehicles to " << o.db << '\n';
  return 0;
}

}  // namespace

Action add_import_command(CLI::App& app) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Detect vehicles in a recorded trace and store them in a database");
  cmd->add_option("--db", o->db, "Database file (created when missing)")->required();
  add_trace_input_options(*cmd, o->input);
  cmd->add_option("--commit-every", o->vehicles_per_commit, "Vehicles per transaction (default 50000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--commit-seconds", o->commit_seconds,
                  "Also commit every S seconds of trace time, as the daemon does every second of wall time")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--progress", o->progress, "Print the running total after each commit");
  return [o] { return import_trace(*o); };
}

}  // namespace roadspeed::cli
