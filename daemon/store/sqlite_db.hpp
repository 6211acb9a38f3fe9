// A thin RAII layer over the SQLite C API: a connection, a prepared
// statement, a transaction. Only daemon/store uses it; nothing else in the
// code writes SQL.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace roadspeed::store {

// An SQLite failure; code() is the primary result code (SQLITE_FULL,
// SQLITE_IOERR, ...), so a writer can tell a full disk from a bug.
class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  // A full disk or an I/O error: worth keeping the data and retrying later.
  bool transient() const;

 private:
  int code_;
};

class Statement;

class Db {
 public:
  // Opens (creating when missing) the database at `path`; throws StoreError.
  // `vfs` names an SQLite VFS other than the default (tests inject faults).
  explicit Db(const std::filesystem::path& path, bool read_only = false, const std::string& vfs = {});
  ~Db();
  Db(Db&& o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
  Db& operator=(Db&&) = delete;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs SQL without results (several statements allowed).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // The first column of the first row of a one-value query.
  std::int64_t query_int(std::string_view sql);
  std::string query_text(std::string_view sql);

  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }
  // Throws StoreError with SQLite's message when `rc` is an error.
  void check(int rc, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

class Statement {
 public:
  Statement(const Db& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQL's `?`.
  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, double v);
  Statement& bind(int index, std::string_view v);
  Statement& bind(int index, std::span<const std::uint8_t> blob);
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& v) {
    return v ? bind(index, *v) : bind_null(index);
  }

  // True while a row is available; false when done. Throws StoreError.
  bool step();
  // Runs a statement without result rows, then resets it for reuse.
  void run();
  // Ready for new bindings and a new run.
  void reset();

  bool is_null(int col) const;
  std::int64_t column_int(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  std::vector<std::uint8_t> column_blob(int col) const;

 private:
  const Db* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace roadspeed::store
