#include "daemon/store/hour_totals.hpp"

#include "daemon/store/bin_columns.hpp"
#include "daemon/store/count_codec.hpp"

namespace roadspeed::store {

void HourTotals::add(VehicleClass c, const BinCounts& counts) {
  all.merge(counts);
  class_vehicles.at(static_cast<std::size_t>(c)) += counts.vehicles;
  if (c == VehicleClass::car) {
    cars.with_speed += counts.with_speed;
    cars.sum_kmh += counts.sum_kmh;
    cars.sum_sq_kmh2 += counts.sum_sq_kmh2;
    cars.over_limit += counts.over_limit;
    cars.over_limit_5 += counts.over_limit_5;
    cars.over_limit_30 += counts.over_limit_30;
  }
  if (c == VehicleClass::two_wheeler) two_wheeler_over_limit += counts.over_limit;
}

void HourTotals::merge(const HourTotals& o) {
  all.merge(o.all);
  for (std::size_t c = 0; c < class_vehicles.size(); ++c) class_vehicles[c] += o.class_vehicles[c];
  cars.with_speed += o.cars.with_speed;
  cars.sum_kmh += o.cars.sum_kmh;
  cars.sum_sq_kmh2 += o.cars.sum_sq_kmh2;
  cars.over_limit += o.cars.over_limit;
  cars.over_limit_5 += o.cars.over_limit_5;
  cars.over_limit_30 += o.cars.over_limit_30;
  two_wheeler_over_limit += o.two_wheeler_over_limit;
}

HourTotals read_hour_totals(const Statement& row, int first) {
  HourTotals t;
  t.all = read_bin_counts(row, first);
  int i = first + bin_count_column_count;
  const std::vector<std::uint64_t> classes = decode_counts(row.column_blob(i++));
  for (std::size_t c = 0; c < classes.size() && c < t.class_vehicles.size(); ++c) t.class_vehicles[c] = classes[c];
  const auto count = [&](int col) { return static_cast<std::uint64_t>(row.column_int(col)); };
  t.cars.with_speed = count(i++);
  t.cars.sum_kmh = row.column_double(i++);
  t.cars.sum_sq_kmh2 = row.column_double(i++);
  t.cars.over_limit = count(i++);
  t.cars.over_limit_5 = count(i++);
  t.cars.over_limit_30 = count(i++);
  t.two_wheeler_over_limit = count(i++);
  return t;
}

HourTotalsTable::HourTotalsTable(Db& db)
    : select_(db, "SELECT " ROADSPEED_HOUR_TOTAL_COLUMNS " FROM hour_totals WHERE hour_start_s = ? AND "
                  "detector_row = ? AND direction = ?"),
      upsert_(db, "INSERT OR REPLACE INTO hour_totals VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, ?, ?)") {}

void HourTotalsTable::add(std::int64_t hour_start_s, std::int64_t detector_row, std::int64_t direction,
                          const HourTotals& delta) {
  HourTotals t;
  select_.bind(1, hour_start_s).bind(2, detector_row).bind(3, direction);
  if (select_.step()) t = read_hour_totals(select_, 0);
  select_.reset();
  t.merge(delta);
  const BinCounts& a = t.all;
  auto& u = upsert_;
  u.bind(1, hour_start_s).bind(2, detector_row).bind(3, direction);
  u.bind(4, std::int64_t(a.vehicles)).bind(5, std::int64_t(a.with_speed));
  u.bind(6, a.sum_kmh).bind(7, a.sum_sq_kmh2).bind(8, a.max_kmh);
  u.bind(9, encode_counts(a.histogram)).bind(10, std::int64_t(a.over_limit));
  u.bind(11, std::int64_t(a.over_limit_5)).bind(12, std::int64_t(a.over_limit_30));
  u.bind(13, encode_counts(a.over_thresholds)).bind(14, std::int64_t(a.headway_lt1));
  u.bind(15, std::int64_t(a.headway_lt2));
  u.bind(16, encode_counts(t.class_vehicles));
  u.bind(17, std::int64_t(t.cars.with_speed)).bind(18, t.cars.sum_kmh).bind(19, t.cars.sum_sq_kmh2);
  u.bind(20, std::int64_t(t.cars.over_limit)).bind(21, std::int64_t(t.cars.over_limit_5));
  u.bind(22, std::int64_t(t.cars.over_limit_30)).bind(23, std::int64_t(t.two_wheeler_over_limit)).run();
}

}  // namespace roadspeed::store
