// roadspeed analyze: a recorded trace (or gpiomon log) -> per-vehicle CSV.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon/cli/atomic_output.hpp"
#include "daemon/cli/commands.hpp"
#include "daemon/cli/csv_writer_thread.hpp"
#include "daemon/cli/trace_input.hpp"
#include "daemon/detect/detector_threads.hpp"
#include "daemon/detect/vehicle_csv.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/site/site.hpp"
#include "daemon/stats/summary.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed::cli {
namespace {

struct AnalyzeOptions {
  TraceInputOptions input;
  std::string out;
  bool summary = false;
  bool daemon_schedule = false;  // hidden, for measurements: detection driven as roadspeedd drives it
};

constexpr std::size_t vehicles_per_handover = 1024;

// Hands detected rows to the CSV writer, keeping a copy when a summary is
// wanted. Where detection runs on this thread the rows are formatted on a
// thread of their own; where it runs on threads of its own (DetectorThreads)
// this thread only routes and merges, and formats them itself: handing every
// row to a fifth thread on two cores cost more than it saved (docs/benchmarks.md).
class RowSink {
 public:
  RowSink(std::ostream& csv, const Site& site, std::vector<Vehicle>* keep, bool writer_thread) : keep_(keep) {
    if (writer_thread)
      thread_.emplace(csv, site);
    else
      here_.emplace(csv, site);
  }
  // Hands over once enough rows are there (or always, with `all`).
  void hand_over(std::vector<Vehicle>& rows, bool all = false) {
    if (rows.size() < vehicles_per_handover && !all) return;
    if (keep_) keep_->insert(keep_->end(), rows.begin(), rows.end());
    if (thread_) {
      thread_->write(rows);
    } else {
      here_->write(rows);
      rows.clear();
    }
  }
  void finish(std::vector<Vehicle>& rows) {
    hand_over(rows, true);
    if (thread_)
      thread_->finish();
    else
      here_->flush();
  }

 private:
  std::optional<CsvWriterThread> thread_;
  std::optional<VehicleCsvWriter> here_;
  std::vector<Vehicle>* keep_;
};

// Streams edges through one detector for the whole site. With
// `daemon_schedule`, as roadspeedd drives detection: live (each
// detector's rows in its own order, as soon as decided) and told the time
// exactly whenever next_wakeup_ns() comes before the next edge, as the
// daemon's timer does, radar passes measured in pieces. The rows are the same as analyze's (the schedule
// changes none: tests/unit/advance_schedule_test.cpp); scripts/bench-accuracy
// --daemon-schedule measures that on its long runs.
void detect_on_one_thread(const Site& site, EdgeReader& reader, RowSink& sink, bool daemon_schedule) {
  VehicleDetector detector(site, daemon_schedule ? VehicleDetector::Mode::live : VehicleDetector::Mode::batch);
  if (daemon_schedule) detector.measure_radar_passes_in_pieces();
  std::vector<Vehicle> out;
  for (auto edges = reader.read_batch(); !edges.empty(); edges = reader.read_batch()) {
    for (const Edge& e : edges) {
      if (daemon_schedule)
        for (std::int64_t wake = detector.next_wakeup_ns(), told = std::numeric_limits<std::int64_t>::min();
             wake < e.t_ns && wake > told; wake = detector.next_wakeup_ns())
          detector.advance_to(told = wake, out);
      detector.push(e, out);
    }
    sink.hand_over(out);
  }
  detector.finish(out);
  sink.finish(out);
}

// The same rows, each detector (or a share of them) on a thread of its own.
void detect_on_threads(const Site& site, EdgeReader& reader, RowSink& sink, std::size_t threads) {
  DetectorThreads detectors(site, threads);
  std::vector<Vehicle> out;
  // Each edge is copied once, from the reader's batch to its detector's thread.
  for (auto edges = reader.read_batch(); !edges.empty(); edges = reader.read_batch()) {
    detectors.push(edges, out);
    sink.hand_over(out);
  }
  detectors.finish(out);
  sink.finish(out);
}

// Streams edges through detection into `csv`; keeps the vehicles only when a
// summary is wanted. A site of several detectors has them detected on as
// many threads as there are cores (DetectorThreads: the same rows).
void run_detection(const Site& site, EdgeReader& reader, std::ostream& csv, std::vector<Vehicle>* keep,
                   bool daemon_schedule) {
  const std::size_t threads = std::min<std::size_t>(site.detector_count(), std::max(2u, std::thread::hardware_concurrency()));
  const bool on_threads = !daemon_schedule && threads >= 2;
  RowSink sink(csv, site, keep, !on_threads);
  if (on_threads)
    detect_on_threads(site, reader, sink, threads);
  else
    detect_on_one_thread(site, reader, sink, daemon_schedule);
}

int analyze(const AnalyzeOptions& o) {
  TraceInput input(o.input);
  const Site& site = input.site();
  EdgeReader& reader = input.reader();

  std::vector<Vehicle> vehicles;
  std::vector<Vehicle>* keep = o.summary ? &vehicles : nullptr;
  if (o.out.empty()) {
    std::ios::sync_with_stdio(false);
    run_detection(site, reader, std::cout, keep, o.daemon_schedule);
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("cannot write to standard output");
  } else {
    AtomicOutputFile file(o.out);
    run_detection(site, reader, file.stream(), keep, o.daemon_schedule);
    file.commit();
  }
  if (o.summary) print_summary(std::cerr, site, summarize(site, vehicles));
  return 0;
}

}  // namespace

Action add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand("analyze", "Detect vehicles in a recorded trace; write the per-vehicle CSV");
  add_trace_input_options(*cmd, o->input);
  cmd->add_option("--out", o->out, "Write the CSV to FILE (appears only complete) instead of stdout");
  cmd->add_flag("--summary", o->summary, "Print a per-detector summary to stderr");
  // Not in --help: a measurement aid (docs/accuracy.md, "Radar").
  cmd->add_flag("--daemon-schedule", o->daemon_schedule,
                "Drive detection as roadspeedd does: live, told the time at every next decision")
      ->group("");
  return [o] { return analyze(*o); };
}

}  // namespace roadspeed::cli
