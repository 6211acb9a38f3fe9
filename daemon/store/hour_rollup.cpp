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

using BinVisitor = std::function<void(std::int64_t hour_s, std::int64_t detector_row, std::int64_t direction,
                                      std::int64_t vehicle_class, const BinCounts& counts)>;

// Calls `bin` for each bin of the range, in time order, and `hour_done`
// after the last bin of each hour.
void scan_bins(Db& db, HourRange r, const BinVisitor& bin, const std::function<void(std::int64_t)>& hour_done) {
  auto q = db.prepare("SELECT bin_start_s, detector_row, direction, class, " ROADSPEED_BIN_COUNT_COLUMNS("")
                      " FROM bins WHERE bin_start_s >= ? AND bin_start_s < ? ORDER BY bin_start_s");
  q.bind(1, r.first_s).bind(2, r.end_s);
  std::optional<std::int64_t> current;
  while (q.step()) {
    const std::int64_t h = hour_start_s(q.column_int(0));
    if (current && h != *current) hour_done(*current);
    current = h;
    bin(h, q.column_int(1), q.column_int(2), q.column_int(3), read_bin_counts(q, 4));
  }
  if (current) hour_done(*current);
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
  // Bins come in time order, so one hour's worth is held at a time.
  using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // detector_row, direction, class
  std::map<Key, BinCounts> hour;
  scan_bins(
      db, r,
      [&](std::int64_t, std::int64_t row, std::int64_t dir, std::int64_t c, const BinCounts& counts) {
        hour[{row, dir, c}].merge(counts);
      },
      [&](std::int64_t h) {
        for (const auto& [key, counts] : hour)
          hours.add(h, std::get<0>(key), std::get<1>(key), std::get<2>(key), counts);
        hour.clear();
      });
}

void rebuild_hour_totals(Db& db, std::int64_t from_s, std::int64_t to_s) {
  if (from_s >= to_s) return;
  const HourRange r = whole_hours(from_s, to_s);
  erase_hours(db, "hour_totals", r);
  HourTotalsTable table(db);
  // Each class's hour first, then the classes in order: the sums a commit
  // of the hour's vehicles writes (Store::write_bins), to the last bit.
  using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // detector_row, direction, class
  std::map<Key, BinCounts> hour;
  scan_bins(
      db, r,
      [&](std::int64_t, std::int64_t row, std::int64_t dir, std::int64_t c, const BinCounts& counts) {
        hour[{row, dir, c}].merge(counts);
      },
      [&](std::int64_t h) {
        std::map<std::pair<std::int64_t, std::int64_t>, HourTotals> totals;
        for (const auto& [key, counts] : hour)
          totals[{std::get<0>(key), std::get<1>(key)}].add(static_cast<VehicleClass>(std::get<2>(key)), counts);
        for (const auto& [key, t] : totals) table.add(h, key.first, key.second, t);
        hour.clear();
      });
}

void rebuild_hour_rollups(Db& db, std::int64_t from_s, std::int64_t to_s) {
  rebuild_hour_bins(db, from_s, to_s);
  rebuild_hour_totals(db, from_s, to_s);
}

}  // namespace roadspeed::store
