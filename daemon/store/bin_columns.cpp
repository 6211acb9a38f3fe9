#include "daemon/store/bin_columns.hpp"

#include "daemon/store/count_codec.hpp"

namespace roadspeed::store {

BinCounts read_bin_counts(const Statement& row, int first) {
  const auto count = [&](int i) { return static_cast<std::uint64_t>(row.column_int(first + i)); };
  BinCounts c;
  c.vehicles = count(0);
  c.with_speed = count(1);
  c.sum_kmh = row.column_double(first + 2);
  c.sum_sq_kmh2 = row.column_double(first + 3);
  if (!row.is_null(first + 4)) c.max_kmh = row.column_double(first + 4);
  c.histogram = decode_counts(row.column_blob(first + 5));
  c.over_limit = count(6);
  c.over_limit_5 = count(7);
  c.over_limit_30 = count(8);
  c.over_thresholds = decode_counts(row.column_blob(first + 9));
  c.headway_lt1 = count(10);
  c.headway_lt2 = count(11);
  return c;
}

}  // namespace roadspeed::store
