#include "daemon/store/hour_rollup.hpp"

#include <map>
#include <tuple>

#include "daemon/store/bin_columns.hpp"
#include "daemon/store/bin_table.hpp"

namespace roadspeed::store {

void rebuild_hour_bins(Db& db) {
  db.exec("DELETE FROM hour_bins");
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
                      " FROM bins ORDER BY bin_start_s");
  while (q.step()) {
    const std::int64_t h = hour_start_s(q.column_int(0));
    if (h != current) flush();
    current = h;
    hour[{q.column_int(1), q.column_int(2), q.column_int(3)}].merge(read_bin_counts(q, 4));
  }
  flush();
}

}  // namespace roadspeed::store
