// roadspeed reanalyze: a period's vehicles measured again from the journal
// with the current site file (a new calibration, a detection fix): loops
// from their raw edges, radars from their pass records, replacing the
// stored vehicles and their bins in one transaction.
// Everything is checked before the database is opened for writing, so a
// refused run changes nothing (docs/daemon.md, "Measuring a period again").
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/cli/commands.hpp"
#include "daemon/cli/time_option.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/journal/journal_coverage.hpp"
#include "daemon/journal/pass_replay.hpp"
#include "daemon/service/daemon_config.hpp"
#include "daemon/site/site.hpp"
#include "daemon/stats/local_time.hpp"
#include "daemon/store/store.hpp"
#include "drivers/utc_time.hpp"

namespace roadspeed::cli {
namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::int64_t bin_length_ns = store::bin_length_s * ns_per_s;
// Detection starts this long before the period, so that vehicles already on
// the loops at its start are measured whole (a presence lasts at most 2
// minutes) and the detector's running estimates have settled...
constexpr std::int64_t lead_in_ns = 15 * 60 * ns_per_s;
// ...and goes on this long after it, so that the period's last vehicles are
// decided with their later edges. The running daemon's file must begin
// after this: what it writes now can then no longer touch the period.
constexpr std::int64_t lead_out_ns = 5 * 60 * ns_per_s;
// A radar lane whose offset the site file does not give learns it from the
// passes since detection started (refitted at pass 1, 2, 4 ... 128, then
// every 128): its passes are measured again from the start of the daemon's
// run that the window begins in, so the estimate is the daemon's, as far
// back as this (the pass records are compact; measuring them is the cost).
constexpr std::int64_t offset_lead_in_ns = 7 * 24 * 3600 * ns_per_s;

struct ReanalyzeOptions {
  std::string config;
  std::string from;
  std::string to;
  bool allow_gaps = false;
};

bool learns_offsets(const Site& site) {
  return std::any_of(site.radars.begin(), site.radars.end(), [](const Radar& r) {
    // Passes against an I/Q radar without `reverse` are measured as reverse too (wrong way).
    return r.angle_deg > 0 && (!r.forward_offset_m || (r.input_q && !r.reverse_offset_m));
  });
}

// Where the radars' passes are measured from: the window, or, where an
// offset is learnt, the start of the covered run the window begins in.
TimeSpan pass_window(const std::filesystem::path& dir, const Site& site, const TimeSpan& window) {
  if (!learns_offsets(site)) return window;
  const JournalIndex back = index_pass_journal(dir, site, {window.start_ns - offset_lead_in_ns, window.start_ns});
  TimeSpan w = window;
  for (const TimeSpan& c : back.covered)
    if (c.start_ns <= window.start_ns && c.end_ns >= window.start_ns) w.start_ns = std::min(w.start_ns, c.start_ns);
  return w;
}

std::int64_t floor_bin(std::int64_t t_ns) { return t_ns - ((t_ns % bin_length_ns) + bin_length_ns) % bin_length_ns; }

std::string span_text(const TimeSpan& s) { return format_utc(s.start_ns) + " to " + format_utc(s.end_ns); }

// The whole bins of `period` that no gap touches, joined into runs.
std::vector<store::Period> whole_bins_without(const TimeSpan& period, const std::vector<TimeSpan>& gaps) {
  std::vector<store::Period> runs;
  for (std::int64_t b = period.start_ns; b < period.end_ns; b += bin_length_ns) {
    const bool touched = std::any_of(gaps.begin(), gaps.end(), [&](const TimeSpan& g) {
      return g.start_ns < b + bin_length_ns && g.end_ns > b;
    });
    if (touched) continue;
    if (!runs.empty() && runs.back().end_ns == b) runs.back().end_ns = b + bin_length_ns;
    else runs.push_back({b, b + bin_length_ns});
  }
  return runs;
}

// The journal's edges in `window` through the same detection as the daemon
// and analyze. Where the journal has a gap (the daemon was down) detection
// starts afresh, as the daemon did when it started again.
std::vector<Vehicle> detect(const JournalIndex& index, const Site& site, const TimeSpan& window) {
  std::vector<Vehicle> out;
  std::optional<VehicleDetector> detector;
  std::int64_t watched_to_ns = 0;
  for (const JournalSegment& s : index.segments) {
    if (s.end_ns < window.start_ns || s.first_edge_ns >= window.end_ns) continue;
    if (detector && s.first_edge_ns > watched_to_ns) {
      detector->finish(out);
      detector.reset();
    }
    if (!detector) detector.emplace(site);
    for_each_edge(s, site, window, [&](const Edge& e) { detector->push(e, out); });
    watched_to_ns = s.end_ns;
  }
  if (detector) detector->finish(out);
  return out;
}

// Refuses, changing nothing, a period the running daemon may still write
// into or one the journal does not cover (unless gaps are allowed); else
// the runs of whole bins to replace. `indexes`: the edge files (loops) and
// the pass files (radars), as far as the site needs each.
std::vector<store::Period> periods_to_replace(const std::vector<const JournalIndex*>& indexes, const TimeSpan& period,
                                              const TimeSpan& window, bool allow_gaps) {
  std::vector<TimeSpan> gaps;
  for (const JournalIndex* index : indexes) {
    if (index->open_file && window.end_ns > index->open_file->named_ns)
      throw std::runtime_error("the period must end by " + format_utc(index->open_file->named_ns - lead_out_ns) +
                               ": " + index->open_file->path.filename().string() +
                               " is still open (roadspeedd writes it, or a power cut left it until its next start)");
    for (const TimeSpan& g : uncovered(index->covered, period)) gaps.push_back(g);
  }
  std::sort(gaps.begin(), gaps.end(), [](const TimeSpan& a, const TimeSpan& b) { return a.start_ns < b.start_ns; });
  if (!gaps.empty() && !allow_gaps)
    throw std::runtime_error("the journal does not cover " + span_text(gaps.front()) +
                             (gaps.size() > 1 ? " (and " + std::to_string(gaps.size() - 1) + " more gaps)" : "") +
                             "; nothing changed (--allow-gaps replaces only the bins it covers whole)");
  std::vector<store::Period> runs = whole_bins_without(period, gaps);
  if (runs.empty()) throw std::runtime_error("the journal covers no whole 15-minute bin of the period; nothing changed");
  return runs;
}

int reanalyze(const ReanalyzeOptions& o) {
  const DaemonConfig config = load_daemon_config(o.config);
  const Site site = load_site_file(config.site_file);
  const stats::LocalClock clock(site.timezone);
  const std::int64_t from_ns = parse_time_option(clock, "--from", o.from) * ns_per_s;
  const std::int64_t to_ns = parse_time_option(clock, "--to", o.to) * ns_per_s;
  if (from_ns >= to_ns) throw std::invalid_argument("--from " + o.from + " is not before --to " + o.to);
  // Whole bins only: a bin half old and half new would count some vehicles twice.
  const TimeSpan period{floor_bin(from_ns), -floor_bin(-to_ns)};
  const TimeSpan window{period.start_ns - lead_in_ns, period.end_ns + lead_out_ns};
  if (!std::filesystem::exists(config.database))
    throw std::invalid_argument(config.database.string() + ": no such database");
  if (!std::filesystem::is_directory(config.journal_dir))
    throw std::invalid_argument(config.journal_dir.string() + ": no such journal folder");

  const JournalIndex edges = index_journal(config.journal_dir, site, window);
  const TimeSpan passes_from = site.radars.empty() ? window : pass_window(config.journal_dir, site, window);
  const JournalIndex passes = index_pass_journal(config.journal_dir, site, passes_from);
  std::vector<const JournalIndex*> needed;
  if (!site.traps.empty()) needed.push_back(&edges);
  if (!site.radars.empty()) needed.push_back(&passes);
  const std::vector<store::Period> runs = periods_to_replace(needed, period, window, o.allow_gaps);
  std::vector<std::uint16_t> detectors;
  for (std::size_t d = 0; d < site.detector_count(); ++d) detectors.push_back(static_cast<std::uint16_t>(d));
  const auto in_runs = [&](const Vehicle& v) {
    return std::any_of(runs.begin(), runs.end(), [&](const store::Period& p) { return v.t_ns >= p.start_ns && v.t_ns < p.end_ns; });
  };
  std::vector<Vehicle> vehicles;
  // Radars' raw edges, where journaled, are for `roadspeed analyze`: their
  // vehicles here come from the pass records, which every period has.
  if (!site.traps.empty())
    for (const Vehicle& v : detect(edges, site, window))
      if (v.detector < site.traps.size() && in_runs(v)) vehicles.push_back(v);
  if (!site.radars.empty())
    for (const Vehicle& v : measure_passes(passes, site, passes_from))
      if (in_runs(v)) vehicles.push_back(v);

  const std::string what = clock.iso_minute(period.start_ns / ns_per_s) + " to " + clock.iso_minute(period.end_ns / ns_per_s);
  store::Store db(config.database, site, wall_now_ns());
  const auto result = db.replace_periods(
      runs, detectors, vehicles, {wall_now_ns(), "reanalyze", "info", "vehicles of " + what + " measured again from the journal"});

  if (period.start_ns != from_ns || period.end_ns != to_ns)
    std::cerr << "roadspeed: reanalyze: period rounded out to whole 15-minute bins: " << what << '\n';
  std::int64_t replaced_ns = 0;
  for (const store::Period& p : runs) replaced_ns += p.end_ns - p.start_ns;
  if (replaced_ns < period.end_ns - period.start_ns)
    std::cerr << "roadspeed: reanalyze: " << (period.end_ns - period.start_ns - replaced_ns) / bin_length_ns
              << " bins with journal gaps kept as they were (--allow-gaps)\n";
  std::cout << "reanalysed " << what << " (" << replaced_ns / bin_length_ns << " bins) from "
            << config.journal_dir.string() << '\n';
  for (const store::DetectorReplacement& r : result)
    std::cout << site.detector_id(r.detector) << ": " << r.removed << " vehicles removed, " << r.stored << " stored\n";
  return 0;
}

}  // namespace

Action add_reanalyze_command(CLI::App& app) {
  auto o = std::make_shared<ReanalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "reanalyze", "Measure a period's vehicles again from roadspeedd's journal with the current site file");
  cmd->add_option("--config", o->config, "roadspeedd's configuration file (site file, database, journal)")->required();
  cmd->add_option("--from", o->from, "Start, ISO 8601; without an offset in the site's local time")->required();
  cmd->add_option("--to", o->to, "End (exclusive), ISO 8601; both rounded out to whole 15-minute bins")->required();
  cmd->add_flag("--allow-gaps", o->allow_gaps,
                "Where the journal has gaps, replace only the bins it covers whole and keep the others");
  return [o] { return reanalyze(*o); };
}

}  // namespace roadspeed::cli
