// Store::replace_periods: a period's vehicles and bins measured again, in
// one transaction, the rest of the database untouched.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>

#include "daemon/store/store.hpp"
#include "daemon/store/store_reader.hpp"
#include "faulty_vfs.hpp"
#include "store_test_support.hpp"

namespace roadspeed::store {
namespace {

using test::database_text;
using test::rows_text;
using test::scratch_dir;
using test::simulated_vehicles;
using test::store_test_site;

constexpr std::int64_t t0_ns = 1764158400'000000000;  // 2025-11-26 12:00 UTC, a bin boundary
constexpr std::int64_t minute_ns = 60'000000000;
const Period period{t0_ns + 45 * minute_ns, t0_ns + 90 * minute_ns};

std::string vehicles_outside(Db& db, const Period& p) {
  return rows_text(db, "SELECT rowid, * FROM vehicles WHERE t_ns < " + std::to_string(p.start_ns) +
                           " OR t_ns >= " + std::to_string(p.end_ns) + " ORDER BY rowid", 9);
}

// Two hours of traffic on the street trap (both directions) and the bike path.
std::vector<Vehicle> two_hours() {
  auto street = simulated_vehicles(7, t0_ns, 700, 10.0);
  const auto bike = simulated_vehicles(8, t0_ns, 200, 36.0, 18, 4, 1);
  street.insert(street.end(), bike.begin(), bike.end());
  return street;
}

// The street trap's vehicles inside `p`, as a spacing 10% longer measures them.
std::vector<Vehicle> remeasured(const std::vector<Vehicle>& all, const Period& p) {
  std::vector<Vehicle> out;
  for (Vehicle v : all) {
    if (v.detector != 0 || v.t_ns < p.start_ns || v.t_ns >= p.end_ns) continue;
    if (v.speed_kmh) v.speed_kmh = std::round(*v.speed_kmh * 1.1 * 100) / 100;
    out.push_back(v);
  }
  return out;
}

std::size_t count_inside(const std::vector<Vehicle>& all, std::uint16_t detector, const Period& p) {
  return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const Vehicle& v) {
    return v.detector == detector && v.t_ns >= p.start_ns && v.t_ns < p.end_ns;
  }));
}

const HealthEvent note{t0_ns, "reanalyze", "info", "test"};

TEST_CASE("replacing a period swaps its vehicles and bins and leaves everything else byte for byte", "[store]") {
  const auto path = scratch_dir("replace") / "db.sqlite";
  const auto all = two_hours();
  Store store(path, store_test_site(), t0_ns);
  Batch batch;
  batch.vehicles = all;
  batch.observed.push_back({t0_ns, t0_ns + 120 * minute_ns});
  batch.faults.push_back({0, t0_ns + 50 * minute_ns, t0_ns + 55 * minute_ns, "loop_a stuck_active"});
  store.commit(batch);
  Db& db = store.db();
  const std::string outside = vehicles_outside(db, period);
  const std::string bike = rows_text(db, "SELECT rowid, * FROM vehicles WHERE detector_row = 2 ORDER BY rowid", 9);
  const std::string coverage = rows_text(db, "SELECT * FROM coverage ORDER BY 1, 2", 4);
  const std::string lanes = rows_text(db, "SELECT * FROM lanes ORDER BY 1, 2, 3", 4);
  const auto speeds_before = db.query_text("SELECT sum(speed_kmh) FROM vehicles WHERE detector_row = 1");

  const auto replacing = remeasured(all, period);
  REQUIRE(replacing.size() > 100);
  const auto result = store.replace_periods({period}, {0}, replacing, note);

  REQUIRE(result.size() == 1);
  CHECK(result[0].detector == 0);
  CHECK(result[0].removed == count_inside(all, 0, period));
  CHECK(result[0].stored == replacing.size());
  CHECK(vehicles_outside(db, period) == outside);
  CHECK(rows_text(db, "SELECT rowid, * FROM vehicles WHERE detector_row = 2 ORDER BY rowid", 9) == bike);
  CHECK(rows_text(db, "SELECT * FROM coverage ORDER BY 1, 2", 4) == coverage);  // fault minutes from the stored spans
  CHECK(rows_text(db, "SELECT * FROM lanes ORDER BY 1, 2, 3", 4) == lanes);
  CHECK(test::bins_disagreeing_with_vehicles(db) == 0);
  CHECK(test::hour_bins_disagreeing_with_bins(db) == 0);  // the hourly rollups follow their bins
  CHECK(test::hour_totals_disagreeing_with_bins(db) == 0);
  CHECK(db.query_text("SELECT sum(speed_kmh) FROM vehicles WHERE detector_row = 1") != speeds_before);
  // Inside, the new speeds; headways as before, the first continuing from the last vehicle kept.
  const auto inside = StoreReader(path).vehicles({"store-test", std::string("t1"), std::nullopt, period.start_ns, period.end_ns});
  REQUIRE(inside.size() == replacing.size());
  for (std::size_t i = 0; i < inside.size(); ++i) {
    CHECK(inside[i].t_ns == replacing[i].t_ns);
    CHECK(inside[i].speed_kmh == replacing[i].speed_kmh);
    CHECK(inside[i].headway_ms.has_value());
  }
  CHECK(db.query_int("SELECT count(*) FROM health_events WHERE source = 'reanalyze'") == 1);
}

TEST_CASE("a period stored under an older site version is replaced under the current one", "[store]") {
  const auto path = scratch_dir("replace-version") / "db.sqlite";
  const auto all = two_hours();
  Store(path, store_test_site(), t0_ns).commit(Batch{all, {}, {}, {}, {}});
  Site changed = store_test_site();
  changed.traps[0].spacing_m = 3.3;
  Store store(path, changed, t0_ns + 200 * minute_ns);
  const std::int64_t new_row = store.db().query_int("SELECT max(detector_row) FROM detectors WHERE detector_id = 't1'");
  REQUIRE(new_row != 1);
  const auto result = store.replace_periods({period}, {0}, remeasured(all, period), note);
  CHECK(result[0].removed == count_inside(all, 0, period));
  const std::string in_period = " AND t_ns >= " + std::to_string(period.start_ns) + " AND t_ns < " + std::to_string(period.end_ns);
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles WHERE detector_row = 1" + in_period) == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles WHERE detector_row = " + std::to_string(new_row) + in_period) ==
        static_cast<std::int64_t>(result[0].stored));
  CHECK(store.db().query_int("SELECT count(*) FROM bins WHERE detector_row = 1 AND bin_start_s >= " +
                             std::to_string(period.start_ns / 1'000'000'000) + " AND bin_start_s < " +
                             std::to_string(period.end_ns / 1'000'000'000)) == 0);
  CHECK(test::bins_disagreeing_with_vehicles(store.db()) == 0);
  CHECK(test::hour_totals_disagreeing_with_bins(store.db()) == 0);
}

TEST_CASE("a replacement interrupted before its commit leaves the database as it was", "[store]") {
  test::FaultyVfs vfs("roadspeed-faulty-replace");
  const auto path = scratch_dir("replace-interrupted") / "db.sqlite";
  const auto all = two_hours();
  Store store(path, store_test_site(), t0_ns, vfs.name());
  store.commit(Batch{all, {}, {{t0_ns, t0_ns + 120 * minute_ns}}, {}, {}});
  const std::string before = database_text(store.db());

  SECTION("by a failing disk") {
    vfs.fail_writes_with(SQLITE_IOERR_WRITE);
    CHECK_THROWS_AS(store.replace_periods({period}, {0}, remeasured(all, period), note), StoreError);
    CHECK(vfs.writes_failed() > 0);
    vfs.fail_writes_with(0);
  }
  SECTION("by a vehicle on a detector that is not replaced") {
    auto replacing = remeasured(all, period);
    replacing.back().detector = 1;
    CHECK_THROWS_AS(store.replace_periods({period}, {0}, replacing, note), std::invalid_argument);
  }
  SECTION("by a period that is not whole bins") {
    CHECK_THROWS_AS(store.replace_periods({{period.start_ns + 1, period.end_ns}}, {0}, {}, note),
                    std::invalid_argument);
  }
  CHECK(database_text(store.db()) == before);
  CHECK(database_text(Store(path, store_test_site(), t0_ns).db()) == before);
}

}  // namespace
}  // namespace roadspeed::store
