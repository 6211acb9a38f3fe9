// roadspeed prune: retention for a database the daemon does not run on (one
// filled by `roadspeed import`), in the same bounded steps the daemon
// takes between its commits, and a measure of how long each step holds
// the write lock (scripts/bench-store).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/cli/commands.hpp"
#include "daemon/site/site.hpp"
#include "daemon/store/store.hpp"
#include "drivers/utc_time.hpp"

namespace roadspeed::cli {
namespace {

struct PruneOptions {
  std::string db;
  std::string site;
  int keep_days = store::default_retention_days;
  std::size_t rows_per_step = store::default_prune_batch_rows;
  std::size_t max_steps = 0;  // 0: until nothing is left to prune
};

int prune(const PruneOptions& o) {
  if (!std::filesystem::exists(o.db)) throw std::invalid_argument(o.db + ": no such database");
  const std::int64_t now_ns = wall_now_ns();
  store::Store store(o.db, load_site_file(o.site), now_ns);
  const std::int64_t cutoff_ns = now_ns - std::int64_t{o.keep_days} * 86'400 * 1'000'000'000;
  std::vector<double> step_ms;
  std::size_t pruned = 0;
  while (o.max_steps == 0 || step_ms.size() < o.max_steps) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t n = store.prune_vehicles(cutoff_ns, o.rows_per_step);
    step_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    pruned += n;
    if (n == 0) break;
  }
  std::sort(step_ms.begin(), step_ms.end());
  char times[120];
  std::snprintf(times, sizeof times, "; per step: median %.2f ms, longest %.2f ms", step_ms[step_ms.size() / 2],
                step_ms.back());
  std::cout << "pruned " << pruned << " vehicles from before " << format_utc(cutoff_ns) << " in " << step_ms.size()
            << " steps of at most " << o.rows_per_step << times << '\n';
  return 0;
}

}  // namespace

Action add_prune_command(CLI::App& app) {
  auto o = std::make_shared<PruneOptions>();
  CLI::App* cmd = app.add_subcommand("prune", "Delete per-vehicle rows past retention (bins stay), in small steps");
  cmd->add_option("--db", o->db, "Database file")->required();
  cmd->add_option("--site", o->site, "Site file (as for import)")->required();
  cmd->add_option("--keep-days", o->keep_days, "Keep this many days of per-vehicle rows (default 90)")
      ->check(CLI::Range(1, 36500));
  cmd->add_option("--rows-per-step", o->rows_per_step, "Rows per transaction (default 500)")->check(CLI::PositiveNumber);
  cmd->add_option("--max-steps", o->max_steps, "Stop after this many steps (default: when done)");
  return [o] { return prune(*o); };
}

}  // namespace roadspeed::cli
