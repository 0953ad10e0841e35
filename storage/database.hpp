#pragma once

// A small RAII wrapper over SQLite: a connection, prepared statements, errors
// that carry SQLite's extended code, and transaction and savepoint guards.
// <sqlite3.h> stays in the .cpp so that the rest of the tree compiles fast.
//
// The same wrapper also speaks to PostgreSQL (storage/postgres.hpp) when it
// is opened with a libpq connection string instead of a file path: a
// statement then runs on the server at its first step() and its rows are read
// from the answer, and PostgreSQL's errors become db_errors with the SQLite
// code of the same meaning. So every repository reads and writes either store
// through one code path; only the SQL that differs (search, PRAGMAs) asks
// is_postgres().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocols/status.hpp"
#include "storage/db_statement.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace berry::storage {

class pg_connection;
class pg_error;

/// A failed SQLite call, with SQLite's extended result code.
class db_error : public std::runtime_error {
public:
  db_error(int code, const std::string& what, bool unreachable = false);

  /// The extended result code (e.g. SQLITE_CONSTRAINT_CHECK).
  int code() const noexcept { return code_; }

  /// The primary result code (the low byte of the extended code).
  int primary_code() const noexcept { return code_ & 0xff; }

  /// True when a CHECK, UNIQUE, NOT NULL or FOREIGN KEY constraint refused.
  bool is_constraint() const noexcept;

  /// True when another connection held the lock past the busy timeout.
  bool is_busy() const noexcept;

  /// True when the store could not be reached (PostgreSQL down, restarting
  /// or its connection gone): asking again later may succeed.
  bool is_unreachable() const noexcept { return unreachable_; }

private:
  int code_;
  bool unreachable_;
};

/// True when `e` (a db_error or PostgreSQL's own error) says the store could
/// not be reached: the client gets 503 and tries again, where a broken query
/// or a full disk is the server's failure (500).
bool store_unreachable(const std::exception& e) noexcept;

/// Throws PostgreSQL's error `e` as the db_error of the same meaning: a
/// constraint as SQLITE_CONSTRAINT_*, a lock or serialization failure as
/// SQLITE_BUSY, anything else as SQLITE_ERROR (the SQLSTATE in the text).
[[noreturn]] void throw_as_db_error(const pg_error& e);

/// How a database is opened.
enum class open_mode {
  read_write, ///< creates the file if missing
  read_only,
};

/// A prepared statement. Parameters are 1-based, columns 0-based (as SQLite).
class statement {
public:
  statement();
  statement(sqlite3* db, sqlite3_stmt* stmt);
  /// A statement of `sql` on a PostgreSQL connection.
  statement(pg_connection* pg, std::string sql);
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  /// Binds one parameter; returns *this for chaining.
  statement& bind(int index, const db_value& x);
  statement& bind(int index, int64_t x);
  statement& bind(int index, int x) { return bind(index, int64_t{x}); }
  statement& bind(int index, double x);
  statement& bind(int index, std::string_view x);
  statement& bind(int index, const std::string& x);
  statement& bind(int index, const char* x);
  statement& bind(int index, std::nullptr_t);
  statement& bind_null(int index);

  /// Binds `args` to parameters 1..n.
  statement& bind_all(const std::vector<db_value>& args);

  /// Runs to the next row; true while a row is available.
  bool step();

  /// Steps until done, discarding rows; for writes.
  void run();

  int64_t col_int(int column) const;
  double col_real(int column) const;
  std::string col_text(int column) const;
  bool col_null(int column) const;

  /// Reads a column that holds the text of a status enum
  /// (protocols/status.hpp); throws db_error on text the enum does not know.
  template <class Enum>
  Enum col_enum(int column) const {
    Enum x{};
    if (!from_string(col_text(column), x))
      unknown_text(column);
    return x;
  }

  /// Makes the statement ready to run again and clears its bindings.
  void reset();

  /// The SQL text it was prepared from.
  std::string sql() const;

  sqlite3_stmt* handle() const noexcept { return stmt_; }

private:
  [[noreturn]] void fail(int rc) const;
  void check_bind(int rc) const;
  [[noreturn]] void unknown_text(int column) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  struct pg_part; ///< the PostgreSQL side: SQL, bound values, rows
  struct pg_part_delete {
    void operator()(pg_part* p) const noexcept;
  };
  std::unique_ptr<pg_part, pg_part_delete> pg_;
};

/// One SQLite connection. Movable, not copyable; closes on destruction.
class database {
public:
  database() = default;
  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  /// Opens (read_write: creates) `path`, or ":memory:". Turns on WAL (when
  /// writable), a 5 s busy timeout and foreign keys. A libpq connection
  /// string (is_postgres_location) connects to PostgreSQL instead. Throws
  /// db_error.
  static database open(const std::string& path,
                       open_mode mode = open_mode::read_write);

  /// True for "postgresql://...", "postgres://..." and key=value libpq
  /// strings; false for a file path or ":memory:".
  static bool is_postgres_location(const std::string& location);

  /// True when this connection is to PostgreSQL.
  bool is_postgres() const noexcept { return pg_ != nullptr; }

  /// The PostgreSQL connection (null on SQLite).
  pg_connection* postgres() const noexcept { return pg_.get(); }

  /// Runs one or more SQL statements without parameters.
  void exec(const std::string& sql);

  /// Sets PRAGMA synchronous to "full", "normal", "off" or "extra" (on
  /// PostgreSQL: synchronous_commit on, or off for "off").
  void set_synchronous(const std::string& full_normal_off);

  /// Prepares one statement.
  statement prepare(const std::string& sql);

  /// True while a transaction is open (false in autocommit mode).
  bool in_transaction() const;

  /// Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t changes() const;

  sqlite3* handle() const noexcept { return db_; }

private:
  explicit database(sqlite3* db) : db_(db) {}

  sqlite3* db_ = nullptr;
  struct pg_close {
    void operator()(pg_connection* c) const noexcept;
  };
  std::unique_ptr<pg_connection, pg_close> pg_;
};

/// Runs `x` (SQL plus arguments) to completion on `db`.
void execute(database& db, const db_statement& x);

/// Prepared statements kept by SQL text, for statements run again and again.
class statement_cache {
public:
  explicit statement_cache(database& db) : db_(&db) {}

  /// The statement for `sql`, reset and unbound; prepared on first use.
  statement& get(const std::string& sql);

  /// Runs `x` through the cache.
  void execute(const db_statement& x);

  /// Rows changed by the last INSERT, UPDATE or DELETE it ran.
  int64_t changes() const { return db_->changes(); }

  std::size_t size() const noexcept { return map_.size(); }

private:
  database* db_;
  std::unordered_map<std::string, statement> map_;
};

/// BEGIN IMMEDIATE now; ROLLBACK on destruction unless commit() ran. On
/// PostgreSQL: BEGIN and a transaction-wide advisory lock, so that such
/// transactions run one at a time as SQLite's do.
class transaction {
public:
  explicit transaction(database& db);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  /// COMMIT; throws db_error (and the guard then rolls back).
  void commit();

  /// ROLLBACK now.
  void rollback();

private:
  database& db_;
  bool open_ = true;
};

/// SAVEPOINT `name` now; rolled back to (and released) on destruction unless
/// release() ran. `name` must be an SQL identifier ([A-Za-z_][A-Za-z0-9_]*).
class savepoint {
public:
  savepoint(database& db, std::string name);
  savepoint(const savepoint&) = delete;
  savepoint& operator=(const savepoint&) = delete;
  ~savepoint();

  /// RELEASE: keeps the changes made since the savepoint.
  void release();

  /// ROLLBACK TO and RELEASE: undoes them.
  void rollback();

private:
  database& db_;
  std::string name_;
  bool open_ = true;
};

} // namespace berry::storage
