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
