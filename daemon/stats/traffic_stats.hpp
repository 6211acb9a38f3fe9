// Traffic statistics for engineers and police: for a site (or one detector),
// a direction, a class and a period, grouped by local time. Built from the
// 15-minute bins, so a year costs thousands of rows; --free-flow takes the
// speed figures from the per-vehicle rows instead (headway >= 4 s).
// docs/statistics.md defines every figure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/stats/confidence.hpp"
#include "daemon/stats/speed_figures.hpp"
#include "daemon/store/store_reader.hpp"

namespace roadspeed::stats {

enum class GroupBy { quarter_hour, hour, day, weekday, hour_of_week, period };

struct StatsQuery {
  std::string site_id;  // empty: the database's only site
  std::optional<std::string> detector_id;
  std::optional<std::string> direction;  // a direction name of the site file
  std::optional<VehicleClass> vehicle_class;
  std::int64_t from_s = 0;  // epoch seconds, on a quarter hour
  std::int64_t to_s = 0;    // exclusive
  GroupBy group_by = GroupBy::period;
  bool free_flow = false;
};

// Minimum headway of a free-flowing vehicle, and the uptime a day needs to count for ADT.
inline constexpr std::int64_t free_flow_headway_ms = 4000;
inline constexpr double adt_min_uptime = 0.90;

struct ThresholdFigure {
  std::string name;  // "limit" or the [[threshold]] name
  double value_kmh = 0;
  std::uint64_t over = 0;
  std::optional<double> share;  // of the vehicles with a speed
};

struct Peak {
  int start_minute = 0;  // local minute of day the busiest 60 minutes start
  double vehicles = 0;   // in those 60 minutes, mean over the ADT days
};

struct SpeedIndex {  // Trafikverket's, cars on road detectors only
  std::uint64_t cars = 0;
  std::optional<Interval> mean_kmh;
  std::optional<Interval> within_limit;
  std::optional<Interval> within_limit_5;
  std::optional<Interval> over_limit_30;
};

struct GroupStats {
  std::string label;
  double hours = 0;     // length of the group within the period
  double uptime = 0;    // observed and not faulty, share of `hours` × detectors
  std::uint64_t volume = 0;
  // Whole-day figures (groups by day, weekday and period only).
  int days = 0;             // whole local days in the group
  int adt_days = 0;         // of which with uptime >= 90 %
  std::optional<double> adt, total_16h, total_12h;
  std::optional<Peak> am_peak, pm_peak;
  // Speed figures (all vehicles, or free-flowing ones with --free-flow).
  store::BinCounts speeds;  // volume figures above, speed figures here
  std::optional<double> mean_kmh, sd_kmh, v15_kmh, v50_kmh, v85_kmh, v95_kmh, max_kmh;
  std::optional<Pace> pace;
  std::optional<double> headway_lt1_share, headway_lt2_share;
  std::array<std::uint64_t, 6> class_counts{};  // by VehicleClass, incl. unclassified
  std::vector<ThresholdFigure> thresholds;      // the limit first
  std::optional<std::uint64_t> bike_violations;  // bike-path detectors only
  std::optional<double> bike_violations_per_hour;
  SpeedIndex index;
};

struct StatsResult {
  store::SiteInfo site;
  StatsQuery query;
  std::vector<GroupStats> groups;
};

// `wanted`, or the database's only site when it is empty; throws
// std::invalid_argument when there is none or several to choose from.
std::string resolve_site(store::StoreReader& reader, const std::string& wanted);

// Throws std::invalid_argument for a query that does not fit the database
// (unknown site, detector or direction; a period not on quarter hours).
StatsResult compute_stats(store::StoreReader& reader, StatsQuery query);

}  // namespace roadspeed::stats
