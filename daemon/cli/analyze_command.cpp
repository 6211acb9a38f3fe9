// roadspeed analyze: a recorded trace (or gpiomon log) -> per-vehicle CSV.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/cli/atomic_output.hpp"
#include "daemon/cli/commands.hpp"
#include "daemon/cli/csv_writer_thread.hpp"
#include "daemon/cli/trace_input.hpp"
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

// Streams edges through detection into `csv`, written on a thread of its
// own; keeps the vehicles only when a summary is wanted.
// With `daemon_schedule`, as roadspeedd drives detection: live (each
// detector's rows in its own order, as soon as decided) and told the time
// exactly whenever next_wakeup_ns() comes before the next edge, as the
// daemon's timer does, radar passes measured in pieces. The rows are the same as analyze's (the schedule
// changes none: tests/unit/advance_schedule_test.cpp); scripts/bench-accuracy
// --daemon-schedule measures that on its long runs.
void run_detection(const Site& site, EdgeReader& reader, std::ostream& csv, std::vector<Vehicle>* keep,
                   bool daemon_schedule) {
  constexpr std::size_t edges_per_read = 4096;
  constexpr std::size_t vehicles_per_handover = 1024;
  CsvWriterThread writer(csv, site);
  VehicleDetector detector(site, daemon_schedule ? VehicleDetector::Mode::live : VehicleDetector::Mode::batch);
  if (daemon_schedule) detector.measure_radar_passes_in_pieces();
  std::vector<Edge> edges(edges_per_read);
  std::vector<Vehicle> out;
  auto hand_over = [&] {
    if (keep) keep->insert(keep->end(), out.begin(), out.end());
    writer.write(out);
  };
  while (const std::size_t n = reader.read(edges)) {
    for (std::size_t i = 0; i < n; ++i) {
      if (daemon_schedule)
        for (std::int64_t wake = detector.next_wakeup_ns(), told = std::numeric_limits<std::int64_t>::min();
             wake < edges[i].t_ns && wake > told; wake = detector.next_wakeup_ns())
          detector.advance_to(told = wake, out);
      detector.push(edges[i], out);
    }
    if (out.size() >= vehicles_per_handover) hand_over();
  }
  detector.finish(out);
  hand_over();
  writer.finish();
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
