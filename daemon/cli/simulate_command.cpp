// roadspeed simulate: simulated traffic on a site's traps -> an edge trace
// (and the ground truth beside it), for tests, demos and benchmarks.
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/cli/atomic_output.hpp"
#include "daemon/cli/commands.hpp"
#include "daemon/site/site.hpp"
#include "drivers/sim/simulator.hpp"
#include "drivers/trace/trace_writer.hpp"

namespace roadspeed::cli {
namespace {

struct SimulateOptions {
  std::string site;
  double hours = 0;
  std::uint64_t seed = 0;
  std::string out;
  std::string truth;
  std::string scenario;
  std::string start;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// "2025-11-26T12:00:00Z", optionally with a fraction of a second, as epoch ns.
std::int64_t parse_utc(const std::string& text) {
  const auto bad = [&] {
    return std::invalid_argument("--start: expected a UTC time like 2025-11-26T12:00:00Z, got '" + text + "'");
  };
  auto field = [&](std::size_t pos, std::size_t len, char after) {
    unsigned v = 0;
    if (pos + len >= text.size() || text[pos + len] != after) throw bad();
    const auto r = std::from_chars(text.data() + pos, text.data() + pos + len, v);
    if (r.ec != std::errc{} || r.ptr != text.data() + pos + len) throw bad();
    return v;
  };
  const unsigned year = field(0, 4, '-'), month = field(5, 2, '-'), day = field(8, 2, 'T');
  const unsigned hour = field(11, 2, ':'), minute = field(14, 2, ':');
  std::size_t pos = 17;
  unsigned second = 0;
  {
    const auto r = std::from_chars(text.data() + pos, text.data() + std::min(text.size(), pos + 2), second);
    if (r.ec != std::errc{} || r.ptr != text.data() + pos + 2) throw bad();
    pos += 2;
  }
  std::int64_t fraction_ns = 0;
  if (pos < text.size() && text[pos] == '.') {
    std::int64_t scale = 100'000'000;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;
    }
    if (scale == 100'000'000) throw bad();
  }
  if (pos + 1 != text.size() || text[pos] != 'Z') throw bad();
  static constexpr unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1970 || month < 1 || month > 12 || day < 1 ||
      day > month_days[month - 1] + (month == 2 && leap(year) ? 1 : 0) || hour > 23 || minute > 59 || second > 59)
    throw bad();
  const std::int64_t s = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return s * 1'000'000'000 + fraction_ns;
}

std::string format_utc(std::int64_t epoch_ns) {
  std::int64_t s = epoch_ns / 1'000'000'000;
  const std::int64_t days = s / 86400;
  s %= 86400;
  // civil_from_days (H. Hinnant)
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  std::string text = buf;
  if (const std::int64_t ns = epoch_ns % 1'000'000'000; ns != 0) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(ns));
    text.insert(text.size() - 1, buf);
  }
  return text;
}

std::string format_hours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", h);
  return buf;
}

int simulate_command(const SimulateOptions& o) {
  const Site site = load_site_file(o.site);
  if (site.traps.empty() && site.radars.empty())
    throw InputError(o.site + ": the site has no [[trap]] or [[radar]] to simulate");
  SimOptions sim;
  sim.hours = o.hours;
  sim.seed = o.seed;
  if (!o.start.empty()) sim.start_epoch_ns = parse_utc(o.start);
  if (!o.scenario.empty()) sim.scenario = load_scenario(o.scenario);
  if (!(o.hours > 0 && o.hours <= 1e6))
    throw std::invalid_argument("--hours must be above 0 and at most 1000000 (got " + format_hours(o.hours) + ")");
  const auto resolved = [](const std::string& p) { return std::filesystem::weakly_canonical(std::filesystem::absolute(p)); };
  if (!o.truth.empty() && resolved(o.truth) == resolved(o.out))
    throw std::invalid_argument("--truth and --out name the same file");

  const std::string scenario =
      o.scenario.empty() ? "built-in default (villa street)"
                         : o.scenario + (sim.scenario.name.empty() ? "" : " (" + sim.scenario.name + ")");
  const std::vector<std::string> header = {
      "simulated by roadspeed simulate: not a field recording",
      "site: " + site.id,
      "scenario: " + scenario,
      "seed: " + std::to_string(o.seed),
      "hours: " + format_hours(o.hours),
      "start: " + format_utc(sim.start_epoch_ns),
  };

  AtomicOutputFile trace_file(o.out);
  std::optional<AtomicOutputFile> truth_file;
  if (!o.truth.empty()) {
    truth_file.emplace(o.truth);
    write_truth_header(truth_file->stream());
  }
  TraceWriter writer(trace_file.stream(), site, header);
  simulate(
      site, sim, [&](const Edge& e) { writer.write(e); },
      [&](const TruthVehicle& v) {
        if (truth_file) write_truth_row(truth_file->stream(), site, v);
      });
  writer.flush();
  if (truth_file) truth_file->commit();
  trace_file.commit();
  return 0;
}

}  // namespace

Action add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand("simulate", "Simulate traffic on a site's traps; write an edge trace and its truth");
  cmd->add_option("--site", o->site, "Site file (TOML)")->required();
  cmd->add_option("--hours", o->hours, "Simulated duration, hours")->required();
  cmd->add_option("--seed", o->seed, "Random seed: the same seed gives the same trace")->required();
  cmd->add_option("--out", o->out, "Trace file to write (appears only complete)")->required();
  cmd->add_option("--truth", o->truth, "Also write the ground truth CSV (docs/simulator.md) to FILE");
  cmd->add_option("--scenario", o->scenario, "Scenario file (TOML; default: a villa street with typical cards)");
  cmd->add_option("--start", o->start, "Start time, UTC (default 2025-11-26T12:00:00Z)");
  return [o] { return simulate_command(*o); };
}

}  // namespace roadspeed::cli
