// Test helpers for storage and statistics: a site, simulated vehicles with
// known distributions, scratch database paths, and an independent check
// that the stored bins are exactly the sums of the stored vehicles.
#pragma once

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::test {

// A two-way street trap (limit 30, one enforcement threshold) and a
// one-way bike-path trap (bike limit 25).
inline Site store_test_site() {
  Site site;
  site.id = "store-test";
  site.name = "Storage test street";
  site.timezone = "Europe/Stockholm";
  site.speed_limit_kmh = 30;
  site.bike_path_limit_kmh = 25;
  Trap road;
  road.id = "t1";
  road.forward = "north";
  road.reverse = "south";
  road.spacing_m = 3;
  road.loop_length_m = 1.5;
  site.traps.push_back(road);
  Trap bike = road;
  bike.id = "b1";
  bike.forward = "east";
  bike.reverse = "";
  bike.kind = DetectorKind::bike_path;
  site.traps.push_back(bike);
  site.thresholds.push_back({"enforcement", 1.10, 3.2});
  return site;
}

// `n` vehicles from `start_ns` on, exponential headways of `mean_headway_s`
// on one detector, speeds normal(mean, sd) rounded to 0.01 km/h as
// detection reports them; about one in twenty has no speed.
inline std::vector<Vehicle> simulated_vehicles(std::uint32_t seed, std::int64_t start_ns, std::size_t n,
                                               double mean_headway_s = 20, double mean_kmh = 34,
                                               double sd_kmh = 6, std::uint16_t detector = 0) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> headway(1.0 / mean_headway_s);
  std::normal_distribution<double> speed(mean_kmh, sd_kmh);
  std::uniform_int_distribution<int> pick(0, 99);
  std::vector<Vehicle> out;
  std::int64_t t_ns = start_ns;
  for (std::size_t i = 0; i < n; ++i) {
    t_ns += static_cast<std::int64_t>(headway(rng) * 1e9) + 1;
    Vehicle v;
    v.t_ns = t_ns;
    v.detector = detector;
    v.direction = (detector == 0 && pick(rng) < 45) ? Direction::reverse : Direction::forward;
    const int c = pick(rng);
    v.vehicle_class = c < 5 ? VehicleClass::two_wheeler : c < 80 ? VehicleClass::car : c < 90 ? VehicleClass::van
                    : c < 95 ? VehicleClass::truck : VehicleClass::unclassified;
    if (pick(rng) >= 5) v.speed_kmh = std::round(std::max(3.0, speed(rng)) * 100) / 100;
    else v.flags.set(Flag::implausible);
    out.push_back(v);
  }
  return out;
}

// A fresh scratch directory for one test, under a folder of this test
// process that is removed when the process exits normally.
inline std::filesystem::path scratch_dir(const std::string& name) {
  struct Root {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("roadspeed-tests-" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Root root;
  const auto dir = root.path / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Bins whose count, speed count, speed sum or over-limit count differ from
// those computed by SQL over the per-vehicle rows (both ways): 0 when the
// bins are exactly the sums of their vehicles.
inline std::int64_t bins_disagreeing_with_vehicles(store::Db& db) {
  const char* per_vehicle =
      "SELECT (t_ns / 1000000000) / 900 * 900 AS b, detector_row, direction, class, count(*) AS n, "
      "count(speed_kmh) AS ns, coalesce(sum(speed_kmh), 0) AS s FROM vehicles GROUP BY 1, 2, 3, 4";
  const std::string sql = std::string("WITH v AS (") + per_vehicle +
      ") SELECT (SELECT count(*) FROM bins x LEFT JOIN v ON v.b = x.bin_start_s AND v.detector_row = x.detector_row "
      "AND v.direction = x.direction AND v.class = x.class WHERE v.n IS NULL OR v.n != x.vehicles "
      "OR v.ns != x.with_speed OR abs(v.s - x.sum_kmh) > 1e-6) + (SELECT count(*) FROM v LEFT JOIN bins x ON "
      "v.b = x.bin_start_s AND v.detector_row = x.detector_row AND v.direction = x.direction AND v.class = x.class "
      "WHERE x.vehicles IS NULL)";
  return db.query_int(sql);
}

// The rows `sql` selects, `columns` values each, as text: for comparing
// tables before and after, byte for byte.
inline std::string rows_text(store::Db& db, const std::string& sql, int columns) {
  auto q = db.prepare(sql);
  std::string text;
  while (q.step()) {
    for (int c = 0; c < columns; ++c) text += (q.is_null(c) ? std::string("NULL") : q.column_text(c)) + ",";
    text += "\n";
  }
  return text;
}

// Everything a reanalysis could change, with row ids, in one string.
inline std::string database_text(store::Db& db) {
  return rows_text(db, "SELECT rowid, t_ns, detector_row, direction, speed_kmh, length_m, class, flags, headway_ms "
                       "FROM vehicles ORDER BY rowid", 9) +
         rows_text(db, "SELECT bin_start_s, detector_row, direction, class, vehicles, with_speed, sum_kmh, "
                       "sum_sq_kmh2, max_kmh, hex(histogram), over_limit, over_limit_5, over_limit_30, "
                       "hex(over_thresholds), headway_lt1, headway_lt2 FROM bins ORDER BY 1, 2, 3, 4", 16) +
         rows_text(db, "SELECT * FROM hour_totals ORDER BY 1, 2, 3", 23) +
         rows_text(db, "SELECT * FROM coverage ORDER BY 1, 2", 4) +
         rows_text(db, "SELECT rowid, * FROM fault_spans ORDER BY rowid", 5) +
         rows_text(db, "SELECT site_version, fingerprint FROM site_versions ORDER BY 1", 2) +
         rows_text(db, "SELECT * FROM lanes ORDER BY 1, 2, 3", 4) +
         rows_text(db, "SELECT rowid, * FROM health_events ORDER BY rowid", 5);
}

// Rows of the hourly rollup whose scalar counts differ from the sums of
// the bins of their hour (both ways): 0 when the rollup is exact.
inline std::int64_t hour_bins_disagreeing_with_bins(store::Db& db) {
  const char* per_hour =
      "SELECT bin_start_s / 3600 * 3600 AS h, detector_row, direction, class, sum(vehicles) AS n, "
      "sum(with_speed) AS ns, sum(sum_kmh) AS s, max(max_kmh) AS m, sum(over_limit) AS o, "
      "sum(over_limit_5) AS o5, sum(over_limit_30) AS o30, sum(headway_lt1) AS h1, sum(headway_lt2) AS h2 "
      "FROM bins GROUP BY 1, 2, 3, 4";
  const std::string sql = std::string("WITH b AS (") + per_hour +
      ") SELECT (SELECT count(*) FROM hour_bins x LEFT JOIN b ON b.h = x.hour_start_s AND b.detector_row = "
      "x.detector_row AND b.direction = x.direction AND b.class = x.class WHERE b.n IS NULL OR b.n != x.vehicles "
      "OR b.ns != x.with_speed OR abs(b.s - x.sum_kmh) > 1e-6 OR b.m IS NOT x.max_kmh OR b.o != x.over_limit "
      "OR b.o5 != x.over_limit_5 OR b.o30 != x.over_limit_30 OR b.h1 != x.headway_lt1 OR b.h2 != x.headway_lt2) "
      "+ (SELECT count(*) FROM b LEFT JOIN hour_bins x ON b.h = x.hour_start_s AND b.detector_row = "
      "x.detector_row AND b.direction = x.direction AND b.class = x.class WHERE x.vehicles IS NULL)";
  return db.query_int(sql);
}

// Rows of the class-free hourly rollup whose scalar counts differ from the
// sums over the classes of the bins of their hour (both ways), the cars'
// (class 1) and two-wheelers' (class 0) figures included: 0 when exact.
inline std::int64_t hour_totals_disagreeing_with_bins(store::Db& db) {
  const char* per_hour =
      "SELECT bin_start_s / 3600 * 3600 AS h, detector_row, direction, sum(vehicles) AS n, "
      "sum(with_speed) AS ns, sum(sum_kmh) AS s, max(max_kmh) AS m, sum(over_limit) AS o, "
      "sum(over_limit_5) AS o5, sum(over_limit_30) AS o30, sum(headway_lt1) AS h1, sum(headway_lt2) AS h2, "
      "sum(iif(class = 1, with_speed, 0)) AS cns, sum(iif(class = 1, sum_kmh, 0)) AS cs, "
      "sum(iif(class = 1, sum_sq_kmh2, 0)) AS cs2, sum(iif(class = 1, over_limit, 0)) AS co, "
      "sum(iif(class = 1, over_limit_5, 0)) AS co5, sum(iif(class = 1, over_limit_30, 0)) AS co30, "
      "sum(iif(class = 0, over_limit, 0)) AS two FROM bins GROUP BY 1, 2, 3";
  const std::string sql = std::string("WITH b AS (") + per_hour +
      ") SELECT (SELECT count(*) FROM hour_totals x LEFT JOIN b ON b.h = x.hour_start_s AND b.detector_row = "
      "x.detector_row AND b.direction = x.direction WHERE b.n IS NULL OR b.n != x.vehicles "
      "OR b.ns != x.with_speed OR abs(b.s - x.sum_kmh) > 1e-6 OR b.m IS NOT x.max_kmh OR b.o != x.over_limit "
      "OR b.o5 != x.over_limit_5 OR b.o30 != x.over_limit_30 OR b.h1 != x.headway_lt1 OR b.h2 != x.headway_lt2 "
      "OR b.cns != x.car_with_speed OR abs(b.cs - x.car_sum_kmh) > 1e-6 OR abs(b.cs2 - x.car_sum_sq_kmh2) > 1e-3 "
      "OR b.co != x.car_over_limit OR b.co5 != x.car_over_limit_5 OR b.co30 != x.car_over_limit_30 "
      "OR b.two != x.two_wheeler_over_limit) "
      "+ (SELECT count(*) FROM b LEFT JOIN hour_totals x ON b.h = x.hour_start_s AND b.detector_row = "
      "x.detector_row AND b.direction = x.direction WHERE x.vehicles IS NULL)";
  return db.query_int(sql);
}

}  // namespace roadspeed::test
