#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "daemon/store/count_codec.hpp"
#include "daemon/store/hour_rollup.hpp"
#include "daemon/store/store.hpp"
#include "daemon/store/store_reader.hpp"
#include "store_test_support.hpp"

namespace roadspeed::store {
namespace {

using test::scratch_dir;
using test::simulated_vehicles;
using test::store_test_site;

constexpr std::int64_t t0_ns = 1764158400'000000000;  // 2025-11-26 12:00 UTC
constexpr std::int64_t hour_ns = 3600'000000000;

Batch batch_of(std::vector<Vehicle> vehicles) {
  Batch b;
  b.vehicles = std::move(vehicles);
  return b;
}

Selection everything(std::int64_t from_ns = t0_ns, std::int64_t to_ns = t0_ns + 100 * hour_ns) {
  return {"store-test", std::nullopt, std::nullopt, from_ns, to_ns};
}

TEST_CASE("a committed batch is read back with bins that equal the sums of its vehicles", "[store]") {
  const auto path = scratch_dir("store-commit") / "db.sqlite";
  const auto vehicles = simulated_vehicles(1, t0_ns, 2000);
  {
    Store store(path, store_test_site(), t0_ns);
    store.commit(batch_of({vehicles.begin(), vehicles.begin() + 1200}));
    store.commit(batch_of({vehicles.begin() + 1200, vehicles.end()}));
    CHECK(test::bins_disagreeing_with_vehicles(store.db()) == 0);
  }
  StoreReader reader(path);
  const auto stored = reader.vehicles(everything());
  REQUIRE(stored.size() == vehicles.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    CHECK(stored[i].t_ns == vehicles[i].t_ns);
    CHECK(stored[i].speed_kmh == vehicles[i].speed_kmh);
    CHECK(stored[i].vehicle_class == vehicles[i].vehicle_class);
    CHECK(stored[i].flags == vehicles[i].flags);
    CHECK(stored[i].direction == (vehicles[i].direction == Direction::forward ? "north" : "south"));
  }
  std::uint64_t binned = 0;
  for (const BinRow& b : reader.bins(everything())) binned += b.counts.vehicles;
  CHECK(binned == vehicles.size());
}

TEST_CASE("the hourly rollup equals the sums of the bins of each hour, histograms included", "[store]") {
  const auto path = scratch_dir("store-hours") / "db.sqlite";
  const auto vehicles = simulated_vehicles(7, t0_ns + 7 * 60'000'000'000, 3000, 8.0);  // hours not starting on one
  Store store(path, store_test_site(), t0_ns);
  for (std::size_t i = 0; i < vehicles.size(); i += 700)  // batches that split bins and hours
    store.commit(batch_of({vehicles.begin() + std::ptrdiff_t(i),
                           vehicles.begin() + std::ptrdiff_t(std::min(i + 700, vehicles.size()))}));
  CHECK(test::bins_disagreeing_with_vehicles(store.db()) == 0);
  CHECK(test::hour_bins_disagreeing_with_bins(store.db()) == 0);
  StoreReader reader(path);
  Selection hours = everything();
  hours.whole_hours = true;
  // Histograms and threshold counts, which SQL cannot add: merged per hour from the bins.
  using Key = std::tuple<std::int64_t, std::string, std::string, VehicleClass>;
  std::map<Key, BinCounts> from_bins, from_hours;
  for (const BinRow& b : reader.bins(everything()))
    from_bins[{hour_start_s(b.bin_start_s), b.detector_id, b.direction, b.vehicle_class}].merge(b.counts);
  for (const BinRow& h : reader.bins(hours))
    from_hours[{h.bin_start_s, h.detector_id, h.direction, h.vehicle_class}].merge(h.counts);
  REQUIRE(from_hours.size() == from_bins.size());
  CHECK(from_hours.size() < reader.bins(everything()).size() / 2);
  for (const auto& [key, counts] : from_bins) {
    const BinCounts& h = from_hours.at(key);
    CHECK(h.histogram == counts.histogram);
    CHECK(h.over_thresholds == counts.over_thresholds);
    CHECK(h.vehicles == counts.vehicles);
  }
}

TEST_CASE("the class-free hourly rollup equals each hour's bins summed over the classes", "[store]") {
  const auto path = scratch_dir("store-totals") / "db.sqlite";
  auto vehicles = simulated_vehicles(9, t0_ns + 7 * 60'000'000'000, 3000, 8.0);
  const auto bike = simulated_vehicles(10, t0_ns, 800, 30.0, 22, 6, 1);  // two-wheelers over 25 km/h included
  vehicles.insert(vehicles.end(), bike.begin(), bike.end());
  std::stable_sort(vehicles.begin(), vehicles.end(), [](const Vehicle& a, const Vehicle& b) { return a.t_ns < b.t_ns; });
  Store store(path, store_test_site(), t0_ns);
  for (std::size_t i = 0; i < vehicles.size(); i += 700)  // batches that split bins and hours
    store.commit(batch_of({vehicles.begin() + std::ptrdiff_t(i),
                           vehicles.begin() + std::ptrdiff_t(std::min(i + 700, vehicles.size()))}));
  CHECK(test::hour_totals_disagreeing_with_bins(store.db()) == 0);
  // Blobs, which SQL cannot add, field by field from the per-class hourly rows.
  StoreReader reader(path);
  Selection hours = everything();
  hours.whole_hours = true;
  using Key = std::tuple<std::int64_t, std::string, std::string>;
  struct Expected {
    std::vector<std::uint64_t> histogram, over_thresholds;
    std::array<std::uint64_t, 6> classes{};
    std::uint64_t cars_with_speed = 0, cars_over_limit = 0, two_wheelers_over_limit = 0;
    std::optional<double> max_kmh;
  };
  std::map<Key, Expected> expected;
  std::size_t class_rows = 0;
  for (const BinRow& b : reader.bins(hours)) {
    ++class_rows;
    Expected& e = expected[{b.bin_start_s, b.detector_id, b.direction}];
    e.histogram.resize(std::max(e.histogram.size(), b.counts.histogram.size()));
    for (std::size_t k = 0; k < b.counts.histogram.size(); ++k) e.histogram[k] += b.counts.histogram[k];
    e.over_thresholds.resize(std::max(e.over_thresholds.size(), b.counts.over_thresholds.size()));
    for (std::size_t k = 0; k < b.counts.over_thresholds.size(); ++k) e.over_thresholds[k] += b.counts.over_thresholds[k];
    e.classes[std::size_t(b.vehicle_class)] += b.counts.vehicles;
    if (b.vehicle_class == VehicleClass::car) {
      e.cars_with_speed += b.counts.with_speed;
      e.cars_over_limit += b.counts.over_limit;
    }
    if (b.vehicle_class == VehicleClass::two_wheeler) e.two_wheelers_over_limit += b.counts.over_limit;
    if (b.counts.max_kmh) e.max_kmh = std::max(e.max_kmh.value_or(0), *b.counts.max_kmh);
  }
  std::size_t rows = 0;
  std::uint64_t bike_path_violations = 0;
  reader.for_each_hour_total(everything(), [&](const HourTotalRow& h) {
    ++rows;
    INFO(h.hour_start_s << " " << h.detector_id << " " << h.direction);
    REQUIRE(expected.contains({h.hour_start_s, h.detector_id, h.direction}));
    const Expected& e = expected.at({h.hour_start_s, h.detector_id, h.direction});
    CHECK(h.totals.all.histogram == e.histogram);
    CHECK(h.totals.all.over_thresholds == e.over_thresholds);
    CHECK(h.totals.class_vehicles == e.classes);
    CHECK(h.totals.cars.with_speed == e.cars_with_speed);
    CHECK(h.totals.cars.over_limit == e.cars_over_limit);
    CHECK(h.totals.two_wheeler_over_limit == e.two_wheelers_over_limit);
    CHECK(h.totals.all.max_kmh == e.max_kmh);
    if (h.kind == DetectorKind::bike_path) bike_path_violations += h.totals.two_wheeler_over_limit;
  });
  CHECK(rows == expected.size());
  CHECK(rows * 3 < class_rows);  // the point of it
  std::uint64_t violations = 0;
  for (const Vehicle& v : bike)
    violations += v.vehicle_class == VehicleClass::two_wheeler && v.speed_kmh && *v.speed_kmh > 25;
  CHECK(bike_path_violations == violations);
  CHECK(violations > 0);
}

TEST_CASE("rebuilding the hourly rollup of a range restores just the hours of that range", "[store]") {
  const auto path = scratch_dir("store-rebuild") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  store.commit(batch_of(simulated_vehicles(8, t0_ns, 2000, 10.0)));  // about five and a half hours
  const std::int64_t t0_s = t0_ns / 1'000'000'000;
  // Hours 1 and 2 wrong, hour 4 gone: as if bins had been rewritten in place.
  store.db().exec("UPDATE hour_bins SET vehicles = vehicles + 1 WHERE hour_start_s IN (" + std::to_string(t0_s + 3600) +
                  ", " + std::to_string(t0_s + 7200) + "); DELETE FROM hour_bins WHERE hour_start_s = " +
                  std::to_string(t0_s + 4 * 3600));
  REQUIRE(test::hour_bins_disagreeing_with_bins(store.db()) > 0);
  rebuild_hour_bins(store.db(), t0_s + 3600 + 900, t0_s + 2 * 3600 + 900);  // from inside hour 1 into hour 2
  CHECK(test::hour_bins_disagreeing_with_bins(store.db()) > 0);  // hour 4 is outside the range
  rebuild_hour_bins(store.db(), t0_s + 4 * 3600, t0_s + 5 * 3600);
  CHECK(test::hour_bins_disagreeing_with_bins(store.db()) == 0);

  // The class-free rollup likewise, back to what the commit wrote, byte for byte.
  const std::string totals_sql = "SELECT * FROM hour_totals ORDER BY 1, 2, 3";
  const std::string committed = test::rows_text(store.db(), totals_sql, 23);
  store.db().exec("UPDATE hour_totals SET car_with_speed = car_with_speed + 1, class_vehicles = x'0000' WHERE "
                  "hour_start_s = " + std::to_string(t0_s + 3600) + "; DELETE FROM hour_totals WHERE hour_start_s = " +
                  std::to_string(t0_s + 4 * 3600));
  REQUIRE(test::hour_totals_disagreeing_with_bins(store.db()) > 0);
  rebuild_hour_totals(store.db(), t0_s + 3600, t0_s + 2 * 3600);
  CHECK(test::hour_totals_disagreeing_with_bins(store.db()) > 0);  // hour 4 is outside the range
  rebuild_hour_rollups(store.db(), t0_s + 4 * 3600 + 1800, t0_s + 4 * 3600 + 2700);  // inside hour 4
  CHECK(test::hour_totals_disagreeing_with_bins(store.db()) == 0);
  CHECK(test::rows_text(store.db(), totals_sql, 23) == committed);
}

TEST_CASE("bins count speeds over the limit, the thresholds and close headways as the vehicles say", "[store]") {
  const auto path = scratch_dir("store-counts") / "db.sqlite";
  const auto vehicles = simulated_vehicles(2, t0_ns, 3000, 3.0);
  Store(path, store_test_site(), t0_ns).commit(batch_of(vehicles));

  // Independently: per direction, from the vehicles in time order.
  const double enforcement_kmh = 30 * 1.10 + 3.2;
  std::uint64_t over = 0, over5 = 0, over30 = 0, over_enf = 0, lt1 = 0, lt2 = 0;
  std::map<Direction, std::int64_t> last;
  for (const Vehicle& v : vehicles) {
    if (last.count(v.direction)) {
      const std::int64_t h = v.t_ns - last[v.direction];
      lt1 += h < 1'000'000'000;
      lt2 += h < 2'000'000'000;
    }
    last[v.direction] = v.t_ns;
    if (!v.speed_kmh) continue;
    over += *v.speed_kmh > 30;
    over5 += *v.speed_kmh > 35;
    over30 += *v.speed_kmh > 60;
    over_enf += *v.speed_kmh > enforcement_kmh;
  }
  BinCounts total;
  for (const BinRow& b : StoreReader(path).bins(everything())) total.merge(b.counts);
  CHECK(total.over_limit == over);
  CHECK(total.over_limit_5 == over5);
  CHECK(total.over_limit_30 == over30);
  REQUIRE(total.over_thresholds.size() == 1);
  CHECK(total.over_thresholds[0] == over_enf);
  CHECK(total.headway_lt1 == lt1);
  CHECK(total.headway_lt2 == lt2);
  CHECK(lt1 > 0);
}

TEST_CASE("a batch with a vehicle on an unknown detector is refused whole", "[store]") {
  const auto path = scratch_dir("store-refused") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  auto vehicles = simulated_vehicles(3, t0_ns, 50);
  vehicles.back().detector = 7;
  CHECK_THROWS_AS(store.commit(batch_of(vehicles)), std::out_of_range);
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM bins") == 0);
  vehicles.pop_back();
  store.commit(batch_of(vehicles));  // the connection is usable afterwards
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 49);
}

TEST_CASE("a changed site file starts a new site version and the old one stays", "[store]") {
  const auto path = scratch_dir("store-versions") / "db.sqlite";
  Site site = store_test_site();
  const auto first = Store(path, site, t0_ns).site_version();
  CHECK(Store(path, site, t0_ns + hour_ns).site_version() == first);
  site.speed_limit_kmh = 40;
  site.thresholds.push_back({"summons", 1.0, 20});
  const auto second = Store(path, site, t0_ns + 2 * hour_ns).site_version();
  CHECK(second != first);
  StoreReader reader(path);
  CHECK(reader.db().query_int("SELECT count(*) FROM site_versions") == 2);
  CHECK(reader.db().query_int("SELECT count(*) FROM detectors") == 4);
  const SiteInfo info = reader.site("store-test");
  CHECK(info.speed_limit_kmh == 40);
  CHECK(info.thresholds.size() == 2);
}

TEST_CASE("headways continue across commits and across reopening the database", "[store]") {
  const auto path = scratch_dir("store-headway") / "db.sqlite";
  Vehicle a;
  a.t_ns = t0_ns;
  Vehicle b = a;
  b.t_ns = t0_ns + 1'500'000'000;
  Store(path, store_test_site(), t0_ns).commit(batch_of({a}));
  Store(path, store_test_site(), t0_ns).commit(batch_of({b}));
  const auto rows = StoreReader(path).vehicles(everything());
  REQUIRE(rows.size() == 2);
  CHECK_FALSE(rows[0].headway_ms);
  CHECK(rows[1].headway_ms == 1500);
  BinCounts total;
  for (const BinRow& r : StoreReader(path).bins(everything())) total.merge(r.counts);
  CHECK(total.headway_lt1 == 0);
  CHECK(total.headway_lt2 == 1);
}

TEST_CASE("pruning deletes only old per-vehicle rows, a small batch at a time, and keeps the bins", "[store]") {
  const auto path = scratch_dir("store-prune") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  auto vehicles = simulated_vehicles(4, t0_ns, 1000, 36.0);  // about ten hours
  // Two vehicles at the cutoff itself, one on each detector: kept.
  vehicles[601].t_ns = vehicles[600].t_ns;
  vehicles[601].detector = 1;
  vehicles[601].direction = Direction::forward;
  store.commit(batch_of(vehicles));
  const std::int64_t cutoff_ns = vehicles[600].t_ns;
  const auto table = [&](const char* sql) {
    std::string text;
    auto q = store.db().prepare(sql);
    while (q.step()) text += q.column_text(0) + "\n";
    return text;
  };
  const char* bins_sql = "SELECT bin_start_s || ' ' || detector_row || ' ' || direction || ' ' || class || ' ' || "
                         "vehicles || ' ' || sum_kmh || ' ' || hex(histogram) FROM bins ORDER BY 1";
  const char* hours_sql = "SELECT hour_start_s || ' ' || detector_row || ' ' || class || ' ' || vehicles || ' ' || "
                          "hex(histogram) FROM hour_bins ORDER BY 1";
  const char* totals_sql = "SELECT hour_start_s || ' ' || detector_row || ' ' || direction || ' ' || vehicles || ' ' || "
                           "hex(histogram) || ' ' || hex(class_vehicles) FROM hour_totals ORDER BY 1";
  const std::string bins_before = table(bins_sql);
  const std::string hours_before = table(hours_sql);
  const std::string totals_before = table(totals_sql);
  const std::string kept = table("SELECT t_ns FROM vehicles WHERE t_ns >= (SELECT t_ns FROM vehicles "
                                 "ORDER BY t_ns LIMIT 1 OFFSET 600) ORDER BY t_ns, rowid");
  // Each step is one short transaction of at most the given rows; the steps
  // together delete exactly the rows before the cutoff, oldest first.
  std::vector<std::size_t> steps;
  while (const std::size_t n = store.prune_vehicles(cutoff_ns, 64)) {
    steps.push_back(n);
    CHECK(store.db().query_int("SELECT count(*) FROM vehicles WHERE t_ns < " + std::to_string(cutoff_ns)) ==
          std::int64_t(600 - std::min<std::size_t>(600, 64 * steps.size())));
  }
  CHECK(steps.size() == 10);  // 9 × 64 + 24
  CHECK(*std::max_element(steps.begin(), steps.end()) == 64);
  std::size_t total = 0;
  for (std::size_t n : steps) total += n;
  CHECK(total == 600);
  CHECK(table("SELECT t_ns FROM vehicles ORDER BY t_ns, rowid") == kept);
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 400);
  CHECK(table(bins_sql) == bins_before);
  CHECK(table(hours_sql) == hours_before);
  CHECK(table(totals_sql) == totals_before);
}

TEST_CASE("an import overlapping an earlier one is refused whole; one beside it is stored", "[store]") {
  const auto path = scratch_dir("store-imports") / "db.sqlite";
  const auto import_of = [](std::string source, std::int64_t from_ns, std::int64_t to_ns, std::uint32_t seed) {
    Batch b = batch_of(simulated_vehicles(seed, from_ns, 100, 10.0));
    b.import = ImportProgress{std::move(source), from_ns, to_ns, true};
    return b;
  };
  {
    Store store(path, store_test_site(), t0_ns);
    store.commit(import_of("monday.trace.csv", t0_ns, t0_ns + hour_ns, 1));
  }
  const auto count = [&] { return Store(path, store_test_site(), t0_ns).db().query_int("SELECT count(*) FROM vehicles"); };
  {
    Store again(path, store_test_site(), t0_ns);
    CHECK(again.import_overlapping(t0_ns + hour_ns / 2, t0_ns + hour_ns / 2)->source == "monday.trace.csv");
    CHECK_THROWS_AS(again.commit(import_of("overlap.trace.csv", t0_ns - hour_ns, t0_ns, 2)), ImportOverlap);
  }
  CHECK(count() == 100);
  {
    Store beside(path, store_test_site(), t0_ns);
    beside.commit(import_of("tuesday.trace.csv", t0_ns + 24 * hour_ns, t0_ns + 25 * hour_ns, 3));
  }
  CHECK(count() == 200);
}

TEST_CASE("observed and faulty spans fill each bin's coverage by their overlap", "[store]") {
  const auto path = scratch_dir("store-coverage") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  Batch b;
  b.observed.push_back({t0_ns + 600'000'000'000, t0_ns + 1200'000'000'000});  // 12:10 to 12:20
  b.faults.push_back({1, t0_ns + 840'000'000'000, t0_ns + 960'000'000'000, "stuck loop"});  // 12:14-12:16
  store.commit(b);
  StoreReader reader(path);
  std::map<std::pair<std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> got;
  for (const CoverageRow& c : reader.coverage(everything())) got[{c.bin_start_s, c.detector_id}] = {c.observed_ms, c.fault_ms};
  const std::int64_t b0 = t0_ns / 1'000'000'000;
  CHECK(got[{b0, "t1"}] == std::pair<std::int64_t, std::int64_t>{300'000, 0});
  CHECK(got[{b0 + 900, "t1"}] == std::pair<std::int64_t, std::int64_t>{300'000, 0});
  CHECK(got[{b0, "b1"}] == std::pair<std::int64_t, std::int64_t>{300'000, 60'000});
  CHECK(got[{b0 + 900, "b1"}] == std::pair<std::int64_t, std::int64_t>{300'000, 60'000});
  CHECK(reader.db().query_int("SELECT count(*) FROM fault_spans") == 1);
}

TEST_CASE("coverage by whole hours sums each hour's bins, usable time capped per bin first", "[store]") {
  const auto path = scratch_dir("store-coverage-hours") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  constexpr std::int64_t minute_ns = 60'000'000'000;
  Batch b;
  b.observed.push_back({t0_ns, t0_ns + 120 * minute_ns});  // 12:00 to 14:00
  b.observed.push_back({t0_ns, t0_ns + 15 * minute_ns});   // 12:00-12:15 twice: 30 observed minutes in a bin
  b.faults.push_back({1, t0_ns + 40 * minute_ns, t0_ns + 80 * minute_ns, "stuck loop"});  // b1 12:40-13:20
  store.commit(b);
  StoreReader reader(path);
  Selection hours = everything();
  hours.whole_hours = true;
  struct Sums {
    std::int64_t observed_ms = 0, fault_ms = 0, usable_ms = 0;
    bool operator==(const Sums&) const = default;
  };
  std::map<std::pair<std::int64_t, std::string>, Sums> got, from_bins;
  for (const CoverageRow& c : reader.coverage(hours)) {
    CHECK(c.bin_start_s % 3600 == 0);
    got[{c.bin_start_s, c.detector_id}] = {c.observed_ms, c.fault_ms, c.usable_ms};
  }
  for (const CoverageRow& c : reader.coverage(everything())) {
    Sums& s = from_bins[{hour_start_s(c.bin_start_s), c.detector_id}];
    s.observed_ms += c.observed_ms;
    s.fault_ms += c.fault_ms;
    s.usable_ms += std::max<std::int64_t>(0, std::min<std::int64_t>(c.observed_ms, 900'000) - c.fault_ms);
  }
  CHECK(got == from_bins);
  const std::int64_t h0 = t0_ns / 1'000'000'000;
  REQUIRE(got.size() == 4);
  CHECK(got[{h0, "t1"}] == Sums{4'500'000, 0, 3'600'000});
  CHECK(got[{h0 + 3600, "t1"}] == Sums{3'600'000, 0, 3'600'000});
  CHECK(got[{h0, "b1"}] == Sums{4'500'000, 1'200'000, 2'400'000});
  CHECK(got[{h0 + 3600, "b1"}] == Sums{3'600'000, 1'200'000, 2'400'000});
}

TEST_CASE("the database runs in WAL mode with synchronous FULL", "[store]") {
  const auto path = scratch_dir("store-pragmas") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  CHECK(store.db().query_text("PRAGMA journal_mode") == "wal");
  CHECK(store.db().query_int("PRAGMA synchronous") == 2);  // FULL
}

TEST_CASE("calibration records and health events are stored", "[store]") {
  const auto path = scratch_dir("store-records") / "db.sqlite";
  Store store(path, store_test_site(), t0_ns);
  store.add_calibration({t0_ns, 0, 14, 1.012, -0.3, "lidar, 14 passes"});
  Batch b;
  b.health.push_back({t0_ns, "gpio", "warning", "loop_b chatter"});
  store.commit(b);
  CHECK(store.db().query_int("SELECT reference_passes FROM calibrations") == 14);
  CHECK(store.db().query_text("SELECT message FROM health_events") == "loop_b chatter");
}

TEST_CASE("count blobs round-trip compactly and a corrupt blob is an error", "[store]") {
  std::vector<std::uint64_t> hist(60, 0);
  hist[25] = 3;
  hist[31] = 200;
  hist[59] = 1;
  const auto blob = encode_counts(hist);
  CHECK(blob.size() < 40);
  CHECK(decode_counts(blob) == hist);
  CHECK(decode_counts(encode_counts(std::vector<std::uint64_t>{})).empty());
  auto bad = blob;
  bad.push_back(0x80);
  CHECK_THROWS_AS(decode_counts(bad), StoreError);
  CHECK_THROWS_AS(decode_counts(std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0x7f, 0x01}), StoreError);
}

}  // namespace
}  // namespace roadspeed::store
