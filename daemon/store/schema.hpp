// The database schema and its forward migrations. The schema version lives
// in `PRAGMA user_version`; migration N takes a database from version N-1
// to N in one transaction, so a crash mid-migration leaves version N-1.
#pragma once

#include <span>
#include <string_view>

#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

struct Migration {
  int to_version;
  std::string_view sql;
  // Data the SQL cannot derive (blobs to merge), run in the same transaction.
  void (*fill)(Db&) = nullptr;
};

// Every migration, oldest first; the last one's version is the current schema.
std::span<const Migration> migrations();
int latest_schema_version();

// Brings `db` forward to `target_version` (default: the latest). Throws
// StoreError when the database is newer than this program knows.
void migrate(Db& db, int target_version = -1);

}  // namespace roadspeed::store
