#include "daemon/store/hour_rollup.hpp"

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "daemon/store/bin_columns.hpp"
#include "daemon/store/bin_table.hpp"
#include "daemon/store/hour_totals.hpp"

namespace roadspeed::store {
namespace {

struct HourRange {
  std::int64_t first_s = 0;
  std::int64_t end_s = 0;
};

// Whole hours: the first and last may hold bins outside [from_s, to_s).
// (The defaults stay as they are: rounding them would overflow.)
HourRange whole_hours(std::int64_t from_s, std::int64_t to_s) {
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::int64_t>::max();
  return {from_s < lowest + hour_length_s ? from_s : hour_start_s(from_s),
          to_s > highest - hour_length_s ? to_s : hour_start_s(to_s - 1) + hour_length_s};
}

// One hour's bins merged per detector row, direction and class.
using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // detector_row, direction, class
using HourBins = std::map<Key, BinCounts>;

// Calls `hour_done` with each hour of the range that has bins, in time
// order, its bins merged. Bins come in time order, so one hour's worth is
// held at a time.
void for_each_hour(Db& db, HourRange r, const std::function<void(std::int64_t, const HourBins&)>& hour_done) {
  auto q = db.prepare("SELECT bin_start_s, detector_row, direction, class, " ROADSPEED_BIN_COUNT_COLUMNS("")
                      " FROM bins WHERE bin_start_s >= ? AND bin_start_s < ? ORDER BY bin_start_s");
  q.bind(1, r.first_s).bind(2, r.end_s);
  std::optional<std::int64_t> current;
  HourBins hour;
  while (q.step()) {
    const std::int64_t h = hour_start_s(q.column_int(0));
    if (current && h != *current) {
      hour_done(*current, hour);
      hour.clear();
    }
    current = h;
    hour[{q.column_int(1), q.column_int(2), q.column_int(3)}].merge(read_bin_counts(q, 4));
  }
  if (current) hour_done(*current, hour);
}

void add_hour_bins(BinTable& table, std::int64_t h, const HourBins& hour) {
  for (const auto& [key, counts] : hour) table.add(h, std::get<0>(key), std::get<1>(key), std::get<2>(key), counts);
}

// Each class's hour first, then the classes in order: the sums a commit of
// the hour's vehicles writes (Store::write_bins), to the last bit.
void add_hour_totals(HourTotalsTable& table, std::int64_t h, const HourBins& hour) {
  std::map<std::pair<std::int64_t, std::int64_t>, HourTotals> totals;
  for (const auto& [key, counts] : hour)
    totals[{std::get<0>(key), std::get<1>(key)}].add(static_cast<VehicleClass>(std::get<2>(key)), counts);
  for (const auto& [key, t] : totals) table.add(h, key.first, key.second, t);
}

void erase_hours(Db& db, const std::string& table, HourRange r) {
  auto erase = db.prepare("DELETE FROM " + table + " WHERE hour_start_s >= ? AND hour_start_s < ?");
  erase.bind(1, r.first_s).bind(2, r.end_s).run();
}

}  // namespace

void rebuild_hour_bins(Db& db, std::int64_t from_s, std::int64_t to_s) {
  if (from_s >= to_s) return;
  const HourRange r = whole_hours(from_s, to_s);
  erase_hours(db, "hour_bins", r);
  BinTable hours(db, "hour_bins");
  for_each_hour(db, r, [&](std::int64_t h, const HourBins& hour) { add_hour_bins(hours, h, hour); });
}

void rebuild_hour_totals(Db& db, std::int64_t from_s, std::int64_t to_s) {
  if (from_s >= to_s) return;
  const HourRange r = whole_hours(from_s, to_s);
  erase_hours(db, "hour_totals", r);
  HourTotalsTable totals(db);
  for_each_hour(db, r, [&](std::int64_t h, const HourBins& hour) { add_hour_totals(totals, h, hour); });
}

// Both rollups from one scan of the bins.
void rebuild_hour_rollups(Db& db, std::int64_t from_s, std::int64_t to_s) {
  if (from_s >= to_s) return;
  const HourRange r = whole_hours(from_s, to_s);
  erase_hours(db, "hour_bins", r);
  erase_hours(db, "hour_totals", r);
  BinTable hours(db, "hour_bins");
  HourTotalsTable totals(db);
  for_each_hour(db, r, [&](std::int64_t h, const HourBins& hour) {
    add_hour_bins(hours, h, hour);
    add_hour_totals(totals, h, hour);
  });
}

}  // namespace roadspeed::store
