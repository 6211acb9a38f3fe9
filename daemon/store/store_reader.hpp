// The read side of storage: what reports and statistics need, as values.
// A read-only connection of its own, so reading never blocks the writer (WAL).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "daemon/store/bin_counts.hpp"
#include "daemon/store/hour_totals.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

struct DetectorInfo {
  std::string id;
  DetectorKind kind = DetectorKind::road;
  std::string forward;
  std::string reverse;
};

// A site as its latest stored version describes it.
struct SiteInfo {
  std::string id;
  std::string name;
  std::string timezone;
  double speed_limit_kmh = 0;
  double bike_path_limit_kmh = 30;
  std::vector<DetectorInfo> detectors;
  std::vector<Threshold> thresholds;
};

// Which rows a query wants; an empty optional means all.
struct Selection {
  std::string site_id;
  std::optional<std::string> detector_id;
  std::optional<VehicleClass> vehicle_class;
  std::int64_t from_ns = 0;  // inclusive
  std::int64_t to_ns = 0;    // exclusive
  // for_each_bin reads the hourly rollup instead of the 15-minute bins, and
  // coverage sums each UTC hour: a quarter of the rows, for callers whose
  // groups never split a UTC hour.
  bool whole_hours = false;
};

struct BinRow {
  std::int64_t bin_start_s = 0;  // of the hour, with Selection::whole_hours
  std::string detector_id;
  DetectorKind kind = DetectorKind::road;
  std::string direction;  // its name in the site file
  VehicleClass vehicle_class = VehicleClass::unclassified;
  BinCounts counts;  // over_thresholds in the order of SiteInfo::thresholds
};

// A row of the class-free hourly rollup (hour_totals.hpp).
struct HourTotalRow {
  std::int64_t hour_start_s = 0;
  std::string detector_id;
  DetectorKind kind = DetectorKind::road;
  std::string direction;  // its name in the site file
  HourTotals totals;      // all.over_thresholds in the order of SiteInfo::thresholds
};

struct CoverageRow {
  std::int64_t bin_start_s = 0;  // of the hour, with Selection::whole_hours
  std::string detector_id;
  std::int64_t observed_ms = 0;
  std::int64_t fault_ms = 0;
  // Observed and not under a fault span: Σ over the row's bins of
  // max(0, min(observed, 15 min) − fault), the numerator of uptime.
  std::int64_t usable_ms = 0;
};

struct StoredVehicle {
  std::int64_t t_ns = 0;
  std::string detector_id;
  DetectorKind kind = DetectorKind::road;
  std::string direction;
  std::optional<double> speed_kmh;
  std::optional<double> length_m;
  VehicleClass vehicle_class = VehicleClass::unclassified;
  Flags flags;
  std::optional<std::int64_t> headway_ms;  // empty for a lane's first stored vehicle
};

class StoreReader {
 public:
  // Throws StoreError when the file is missing, unreadable or of another schema.
  explicit StoreReader(const std::filesystem::path& path);

  std::vector<std::string> site_ids();
  // Throws StoreError when the site is not in the database.
  SiteInfo site(const std::string& site_id);
  // Bins whose start lies in [from, to), in time order.
  std::vector<BinRow> bins(const Selection& s);
  // The same, one at a time: a year's report does not hold all its bins.
  void for_each_bin(const Selection& s, const std::function<void(const BinRow&)>& f);
  // The class-free hourly rollup of the UTC hours that start in [from, to),
  // in time order (Selection::vehicle_class and whole_hours are not used).
  void for_each_hour_total(const Selection& s, const std::function<void(const HourTotalRow&)>& f);
  std::vector<CoverageRow> coverage(const Selection& s);
  // The same, one at a time, in time order.
  void for_each_coverage(const Selection& s, const std::function<void(const CoverageRow&)>& f);
  // Per-vehicle rows in [from, to) (while retained), in time order.
  std::vector<StoredVehicle> vehicles(const Selection& s);

  Db& db() { return db_; }

 private:
  Db db_;
};

}  // namespace roadspeed::store
