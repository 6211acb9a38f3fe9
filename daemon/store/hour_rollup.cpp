#include "daemon/store/hour_rollup.hpp"

#include <limits>
#include <map>
#include <tuple>

#include "daemon/store/bin_columns.hpp"
#include "daemon/store/bin_table.hpp"

namespace roadspeed::store {

void rebuild_hour_bins(Db& db, std::int64_t from_s, std::int64_t to_s) {
  if (from_s >= to_s) return;
  // Whole hours: the first and last may hold bins outside the range. (The
  // defaults stay as they are: rounding them would overflow.)
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::int64_t>::max();
  const std::int64_t first_hour_s = from_s < lowest + hour_length_s ? from_s : hour_start_s(from_s);
  const std::int64_t end_s = to_s > highest - hour_length_s ? to_s : hour_start_s(to_s - 1) + hour_length_s;
  auto erase = db.prepare("DELETE FROM hour_bins WHERE hour_start_s >= ? AND hour_start_s < ?");
  erase.bind(1, first_hour_s).bind(2, end_s).run();
  BinTable hours(db, "hour_bins");
  // Bins come in time order, so one hour's worth is held at a time.
  using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // detector_row, direction, class
  std::map<Key, BinCounts> hour;
  std::int64_t current = 0;
  const auto flush = [&] {
    for (const auto& [key, counts] : hour)
      hours.add(current, std::get<0>(key), std::get<1>(key), std::get<2>(key), counts);
    hour.clear();
  };
  auto q = db.prepare("SELECT bin_start_s, detector_row, direction, class, " ROADSPEED_BIN_COUNT_COLUMNS("")
                      " FROM bins WHERE bin_start_s >= ? AND bin_start_s < ? ORDER BY bin_start_s");
  q.bind(1, first_hour_s).bind(2, end_s);
  while (q.step()) {
    const std::int64_t h = hour_start_s(q.column_int(0));
    if (h != current) flush();
    current = h;
    hour[{q.column_int(1), q.column_int(2), q.column_int(3)}].merge(read_bin_counts(q, 4));
  }
  flush();
}

}  // namespace roadspeed::store
