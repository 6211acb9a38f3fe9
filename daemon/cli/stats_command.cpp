// roadspeed stats: traffic statistics from a database, grouped by local time.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "daemon/cli/commands.hpp"
#include "daemon/cli/time_option.hpp"
#include "daemon/stats/local_time.hpp"
#include "daemon/stats/period_groups.hpp"
#include "daemon/stats/stats_output.hpp"
#include "daemon/stats/traffic_stats.hpp"
#include "daemon/store/store_reader.hpp"

namespace roadspeed::cli {
namespace {

struct StatsOptions {
  std::string db;
  std::string site;
  std::optional<std::string> detector;
  std::optional<std::string> direction;
  std::optional<std::string> vehicle_class;
  std::string from;
  std::string to;
  std::string group_by;
  bool free_flow = false;
  std::string format = "csv";
};

int run_stats(const StatsOptions& o) {
  if (!std::filesystem::exists(o.db)) throw std::invalid_argument(o.db + ": no such database");
  store::StoreReader reader(o.db);
  stats::StatsQuery q;
  q.site_id = stats::resolve_site(reader, o.site);
  const stats::LocalClock clock(reader.site(q.site_id).timezone);
  q.detector_id = o.detector;
  q.direction = o.direction;
  if (o.vehicle_class) {
    q.vehicle_class = vehicle_class_from_string(*o.vehicle_class);
    if (!q.vehicle_class)
      throw std::invalid_argument("--class: '" + *o.vehicle_class +
                                  "' is none of two_wheeler, car, van, truck, articulated, unclassified");
  }
  q.from_s = parse_time_option(clock, "--from", o.from);
  q.to_s = parse_time_option(clock, "--to", o.to);
  q.group_by = stats::group_by_from_string(o.group_by);
  q.free_flow = o.free_flow;
  const stats::StatsResult result = stats::compute_stats(reader, q);
  std::ios::sync_with_stdio(false);
  if (o.format == "json") stats::write_stats_json(std::cout, result);
  else stats::write_stats_csv(std::cout, result);
  std::cout.flush();
  if (!std::cout) throw std::runtime_error("cannot write to standard output");
  return 0;
}

}  // namespace

Action add_stats_command(CLI::App& app) {
  auto o = std::make_shared<StatsOptions>();
  CLI::App* cmd = app.add_subcommand("stats", "Traffic statistics from a database, grouped by local time");
  cmd->add_option("--db", o->db, "Database file")->required();
  cmd->add_option("--site", o->site, "Site id (default: the database's only site)");
  cmd->add_option("--detector", o->detector, "Only this trap or radar");
  cmd->add_option("--direction", o->direction, "Only this direction (its name in the site file)");
  cmd->add_option("--class", o->vehicle_class, "Only this class (two_wheeler, car, van, truck, articulated, unclassified)");
  cmd->add_option("--from", o->from, "Start, ISO 8601; without an offset in the site's local time")->required();
  cmd->add_option("--to", o->to, "End (exclusive), ISO 8601")->required();
  cmd->add_option("--group-by", o->group_by, "15min, hour, day, weekday, hour-of-week or period")->required();
  cmd->add_flag("--free-flow", o->free_flow, "Speed figures from vehicles with a headway of 4 s or more");
  cmd->add_option("--format", o->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  return [o] { return run_stats(*o); };
}

}  // namespace roadspeed::cli
