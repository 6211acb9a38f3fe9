#include "daemon/store/sqlite_db.hpp"

#include <sqlite3.h>

namespace roadspeed::store {

bool StoreError::transient() const {
  const int primary = code_ & 0xff;
  return primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_BUSY ||
         primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN;
}

namespace {

// Before SQLite's first use in the process: no allocation statistics (we
// never read them), which otherwise take a global mutex on every malloc,
// a tenth of an import's writing time.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialised: then it stays on
    return true;
  }();
  (void)configured;
}

}  // namespace

Db::Db(const std::filesystem::path& path, bool read_only, const std::string& vfs) : path_(path) {
  configure_sqlite_once();
  const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(rc, path.string() + ": cannot open database: " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  // A writer holding the lock for a commit must not fail a reader at once.
  sqlite3_busy_timeout(db_, 5000);
}

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

void Db::check(int rc, std::string_view what) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw StoreError(rc, path_.string() + ": " + std::string(what) + ": " + sqlite3_errmsg(db_));
}

void Db::exec(std::string_view sql) {
  const std::string text(sql);
  check(sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr), text.substr(0, 60));
}

Statement Db::prepare(std::string_view sql) { return Statement(*this, sql); }

std::int64_t Db::query_int(std::string_view sql) {
  Statement s(*this, sql);
  if (!s.step()) throw StoreError(SQLITE_ERROR, path_.string() + ": no result: " + std::string(sql));
  return s.column_int(0);
}

std::string Db::query_text(std::string_view sql) {
  Statement s(*this, sql);
  if (!s.step()) throw StoreError(SQLITE_ERROR, path_.string() + ": no result: " + std::string(sql));
  return s.column_text(0);
}

Statement::Statement(const Db& db, std::string_view sql) : db_(&db) {
  db.check(sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr),
           "prepare " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t v) {
  db_->check(sqlite3_bind_int64(stmt_, index, v), "bind");
  return *this;
}
Statement& Statement::bind(int index, double v) {
  db_->check(sqlite3_bind_double(stmt_, index, v), "bind");
  return *this;
}
Statement& Statement::bind(int index, std::string_view v) {
  db_->check(sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), "bind");
  return *this;
}
Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
  db_->check(sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT),
             "bind");
  return *this;
}
Statement& Statement::bind_null(int index) {
  db_->check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_);
  sqlite3_reset(stmt_);
  db_->check(rc, "step " + sql.substr(0, 60));
  return false;
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::column_text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
std::vector<std::uint8_t> Statement::column_blob(int col) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(stmt_, col)) : std::vector<std::uint8_t>();
}

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // A failed COMMIT (disk full) may already have rolled back; either way the
  // connection must leave the transaction, and a destructor must not throw.
  if (!done_ && sqlite3_get_autocommit(db_.handle()) == 0)
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace roadspeed::store
