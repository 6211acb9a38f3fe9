#include <catch2/catch.hpp>

#include "daemon/store/schema.hpp"
#include "daemon/store/store.hpp"
#include "store_test_support.hpp"

namespace roadspeed::store {
namespace {

// The schema as SQLite reports it: every table and index's SQL, in order.
std::string schema_text(Db& db) {
  std::string text;
  auto q = db.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
  while (q.step()) text += q.column_text(0) + " " + q.column_text(1) + ": " + q.column_text(2) + "\n";
  return text;
}

TEST_CASE("every earlier schema version migrates forward to the schema of a fresh database", "[store]") {
  const auto dir = test::scratch_dir("schema");
  Db fresh(dir / "fresh.sqlite");
  migrate(fresh);
  REQUIRE(fresh.query_int("PRAGMA user_version") == latest_schema_version());
  const std::string expected = schema_text(fresh);

  for (int from = 0; from < latest_schema_version(); ++from) {
    INFO("from version " << from);
    const auto path = dir / ("v" + std::to_string(from) + ".sqlite");
    {
      Db old(path);
      migrate(old, from);
      CHECK(old.query_int("PRAGMA user_version") == from);
    }
    // Opening through the store is what the daemon does.
    Store store(path, test::store_test_site(), 0);
    CHECK(store.db().query_int("PRAGMA user_version") == latest_schema_version());
    CHECK(schema_text(store.db()) == expected);
  }
}

TEST_CASE("migrating a version 1 database with data fills the hourly rollup from its bins", "[store]") {
  const auto path = test::scratch_dir("schema-data") / "db.sqlite";
  const std::int64_t t0_ns = 1764158400'000000000;
  std::string kept_by_commits;
  const auto rows = [](Db& db) {
    std::string text;
    auto q = db.prepare("SELECT hour_start_s, detector_row, direction, class, vehicles, with_speed, sum_kmh, "
                        "max_kmh, hex(histogram), hex(over_thresholds), headway_lt2 FROM hour_bins ORDER BY 1, 2, 3, 4");
    while (q.step())
      for (int c = 0; c < 11; ++c) text += q.column_text(c) + (c == 10 ? "\n" : " ");
    return text;
  };
  {
    Store store(path, test::store_test_site(), t0_ns);
    Batch b;
    b.vehicles = test::simulated_vehicles(3, t0_ns, 2000, 6.0);
    store.commit(b);
    kept_by_commits = rows(store.db());
    // Back to what version 1 had: its tables, its version.
    store.db().exec("DROP TABLE hour_totals; DROP TABLE hour_bins; DROP TABLE imports; PRAGMA user_version = 1");
  }
  Store store(path, test::store_test_site(), t0_ns);
  CHECK(store.db().query_int("PRAGMA user_version") == latest_schema_version());
  CHECK(test::hour_bins_disagreeing_with_bins(store.db()) == 0);
  CHECK(test::hour_totals_disagreeing_with_bins(store.db()) == 0);
  CHECK(rows(store.db()) == kept_by_commits);
  CHECK_FALSE(kept_by_commits.empty());
}

TEST_CASE("migrating a version 2 database with data fills the class-free rollup as commits wrote it", "[store]") {
  const auto path = test::scratch_dir("schema-data-2") / "db.sqlite";
  const std::int64_t t0_ns = 1764158400'000000000;
  const std::string totals_sql = "SELECT * FROM hour_totals ORDER BY 1, 2, 3";
  std::string kept_by_commits;
  {
    Store store(path, test::store_test_site(), t0_ns);
    Batch b;
    b.vehicles = test::simulated_vehicles(5, t0_ns, 2000, 6.0);
    store.commit(b);
    kept_by_commits = test::rows_text(store.db(), totals_sql, 23);
    store.db().exec("DROP TABLE hour_totals; PRAGMA user_version = 2");
  }
  Store store(path, test::store_test_site(), t0_ns);
  CHECK(store.db().query_int("PRAGMA user_version") == latest_schema_version());
  CHECK(test::hour_totals_disagreeing_with_bins(store.db()) == 0);
  CHECK(test::rows_text(store.db(), totals_sql, 23) == kept_by_commits);
  CHECK(store.db().query_int("SELECT count(*) FROM hour_totals") > 0);
}

TEST_CASE("a database of a newer schema than this program knows is refused", "[store]") {
  const auto path = test::scratch_dir("schema-newer") / "db.sqlite";
  {
    Db db(path);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  CHECK_THROWS_WITH(Store(path, test::store_test_site(), 0), Catch::Contains("newer than this roadspeed"));
}

TEST_CASE("migrations are numbered one after another from version one", "[store]") {
  int expected = 1;
  for (const Migration& m : migrations()) CHECK(m.to_version == expected++);
}

}  // namespace
}  // namespace roadspeed::store
