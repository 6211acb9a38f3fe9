#include "daemon/store/bin_table.hpp"

#include <string>

#include "daemon/store/bin_columns.hpp"
#include "daemon/store/count_codec.hpp"

namespace roadspeed::store {

BinTable::BinTable(Db& db, std::string_view table)
    : select_(db, "SELECT " ROADSPEED_BIN_COUNT_COLUMNS("") " FROM " + std::string(table) +
                      " WHERE " + std::string(table == "bins" ? "bin_start_s" : "hour_start_s") +
                      " = ? AND detector_row = ? AND direction = ? AND class = ?"),
      upsert_(db, "INSERT OR REPLACE INTO " + std::string(table) +
                      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}

void BinTable::add(std::int64_t start_s, std::int64_t detector_row, std::int64_t direction,
                   std::int64_t vehicle_class, const BinCounts& delta) {
  BinCounts total;
  select_.bind(1, start_s).bind(2, detector_row).bind(3, direction).bind(4, vehicle_class);
  if (select_.step()) total = read_bin_counts(select_, 0);
  select_.reset();
  total.merge(delta);
  auto& u = upsert_;
  u.bind(1, start_s).bind(2, detector_row).bind(3, direction).bind(4, vehicle_class);
  u.bind(5, std::int64_t(total.vehicles)).bind(6, std::int64_t(total.with_speed));
  u.bind(7, total.sum_kmh).bind(8, total.sum_sq_kmh2).bind(9, total.max_kmh);
  u.bind(10, encode_counts(total.histogram)).bind(11, std::int64_t(total.over_limit));
  u.bind(12, std::int64_t(total.over_limit_5)).bind(13, std::int64_t(total.over_limit_30));
  u.bind(14, encode_counts(total.over_thresholds)).bind(15, std::int64_t(total.headway_lt1));
  u.bind(16, std::int64_t(total.headway_lt2)).run();
}

}  // namespace roadspeed::store
