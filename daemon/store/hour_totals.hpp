// The class-free hourly rollup (`hour_totals`, schema 3): one row per UTC
// hour, detector row and direction with every class summed, so that a
// report without a class filter by hour or hour of week reads a fifth of
// the rows of `hour_bins` (a year of a two-lane site: 17 500 instead of
// 98 000). What the statistics take from single classes without a class
// filter travels beside the sums: the volume of each class, the cars'
// speed-index figures and the two-wheelers' count over the limit.
// Store::commit keeps it in the same transaction as the bins.
#pragma once

#include <array>
#include <cstdint>

#include "daemon/detect/vehicle.hpp"
#include "daemon/store/bin_columns.hpp"
#include "daemon/store/bin_counts.hpp"
#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

inline constexpr std::size_t class_total_count = 6;  // VehicleClass::two_wheeler .. unclassified

struct HourTotals {
  BinCounts all;                                            // every class
  std::array<std::uint64_t, class_total_count> class_vehicles{};  // by VehicleClass
  // Cars (the speed index): with_speed, sum_kmh, sum_sq_kmh2 and the three
  // over-limit counts only; no histogram, maximum or thresholds.
  BinCounts cars;
  std::uint64_t two_wheeler_over_limit = 0;  // bike-path violations

  // Counts of one class, as a bin holds them.
  void add(VehicleClass c, const BinCounts& counts);
  void merge(const HourTotals& other);
};

// Selected in this order, after the key columns.
#define ROADSPEED_HOUR_TOTAL_COLUMNS                                                                    \
  ROADSPEED_BIN_COUNT_COLUMNS("") ", class_vehicles, car_with_speed, car_sum_kmh, car_sum_sq_kmh2, "   \
  "car_over_limit, car_over_limit_5, car_over_limit_30, two_wheeler_over_limit"

// The totals from the columns of ROADSPEED_HOUR_TOTAL_COLUMNS from `first` on.
HourTotals read_hour_totals(const Statement& row, int first);

// Adding to one row of hour_totals: read, merge, write back (the counts
// are blobs and maxima, which SQL cannot add up).
class HourTotalsTable {
 public:
  explicit HourTotalsTable(Db& db);
  // Inside the caller's transaction.
  void add(std::int64_t hour_start_s, std::int64_t detector_row, std::int64_t direction, const HourTotals& delta);

 private:
  Statement select_;
  Statement upsert_;
};

}  // namespace roadspeed::store
