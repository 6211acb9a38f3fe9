#include "daemon/store/db_check.hpp"

#include <fstream>
#include <system_error>

#include "daemon/store/sqlite_db.hpp"

namespace roadspeed::store {

std::filesystem::path OpenMarker::path_for(const std::filesystem::path& db_path) {
  return db_path.string() + ".open";
}

OpenMarker::OpenMarker(const std::filesystem::path& db_path) : path_(path_for(db_path)) {
  unclean_ = std::filesystem::exists(path_);
  std::ofstream(path_) << "a roadspeed writer has this database open\n";
}

OpenMarker::~OpenMarker() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

CheckResult check_or_move_aside(const std::filesystem::path& db_path, std::string_view stamp,
                                const std::function<void(std::string_view)>& log) {
  CheckResult r;
  try {
    Db db(db_path, true);
    r.message = db.query_text("PRAGMA quick_check(1)");
    r.ok = r.message == "ok";
  } catch (const StoreError& e) {
    r.message = e.what();
  }
  if (r.ok) return r;
  const std::filesystem::path aside = db_path.string() + ".corrupt-" + std::string(stamp);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::filesystem::path from = db_path.string() + suffix;
    std::error_code ec;
    if (std::filesystem::exists(from, ec)) std::filesystem::rename(from, aside.string() + suffix);
  }
  r.moved_to = aside;
  log("store: " + db_path.string() + " failed quick_check (" + r.message + "); moved aside to " + aside.string() +
      ", starting a fresh database");
  return r;
}

}  // namespace roadspeed::store
