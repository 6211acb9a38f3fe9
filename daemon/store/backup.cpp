#include "daemon/store/backup.hpp"

#include <chrono>
#include <thread>

#include <sqlite3.h>

#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {
namespace {

// Pages per step: small enough that the writer waits only briefly for the lock.
constexpr int pages_per_step = 256;
constexpr auto busy_pause = std::chrono::milliseconds(20);

}  // namespace

void backup_database(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!std::filesystem::exists(from)) throw StoreError(SQLITE_CANTOPEN, from.string() + ": no such database");
  Db source(from, true);
  const std::filesystem::path temp = to.string() + ".partial";
  std::filesystem::remove(temp);
  {
    Db target(temp);
    sqlite3_backup* b = sqlite3_backup_init(target.handle(), "main", source.handle(), "main");
    if (!b) target.check(sqlite3_errcode(target.handle()), "backup of " + from.string());
    int rc = SQLITE_OK;
    do {
      rc = sqlite3_backup_step(b, pages_per_step);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) std::this_thread::sleep_for(busy_pause);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      std::filesystem::remove(temp);
      throw StoreError(rc, to.string() + ": backup failed: " + sqlite3_errstr(rc));
    }
    // A standalone copy: one file, no WAL beside it.
    target.exec("PRAGMA journal_mode = DELETE");
  }
  std::filesystem::rename(temp, to);
}

}  // namespace roadspeed::store
