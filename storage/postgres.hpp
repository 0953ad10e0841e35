#pragma once

// A small RAII wrapper over libpq: a connection, results with typed column
// access, errors that carry PostgreSQL's SQLSTATE, and a pipeline that sends
// many statements in one round trip. <libpq-fe.h> stays in the .cpp.
//
// Statements are the same db_statement values the SQLite backend runs; their
// SQL is translated once per text (storage/postgres_sql.hpp) and every value
// travels as text, so PostgreSQL infers each parameter's type from where it
// is used.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/status.hpp"
#include "storage/db_statement.hpp"

struct pg_conn;
struct pg_result;

namespace berry::storage {

/// A failed libpq call or statement, with its SQLSTATE ("" when the
/// connection failed before the server answered).
class pg_error : public std::runtime_error {
public:
  pg_error(std::string sqlstate, const std::string& what);

  /// The five-character SQLSTATE, e.g. "23505" for a unique violation.
  const std::string& sqlstate() const noexcept { return sqlstate_; }

  /// True when a constraint refused (class 23: CHECK, UNIQUE, NOT NULL,
  /// FOREIGN KEY, EXCLUDE).
  bool is_constraint() const noexcept;

  /// True when the connection is gone or the server is shutting down: the
  /// outcome of a COMMIT in flight is then unknown.
  bool is_connection() const noexcept;

  /// True when a shard fence refused the write (SQLSTATE "BF001", raised by
  /// berry_fence(): another node took the shard over).
  bool is_fenced() const noexcept;

private:
  std::string sqlstate_;
};

/// The rows of one statement. Columns are 0-based; values arrive as text and
/// are converted on access.
class pg_rows {
public:
  pg_rows() = default;
  explicit pg_rows(pg_result* r);
  pg_rows(pg_rows&&) noexcept = default;
  pg_rows& operator=(pg_rows&&) noexcept = default;

  int size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  int64_t col_int(int row, int column) const;
  double col_real(int row, int column) const;
  std::string col_text(int row, int column) const;
  bool col_null(int row, int column) const;

  /// A column holding the text of a status enum; throws pg_error on text
  /// the enum does not know.
  template <class Enum>
  Enum col_enum(int row, int column) const {
    Enum x{};
    if (!from_string(col_text(row, column), x))
      unknown_text(row, column);
    return x;
  }

private:
  [[noreturn]] void unknown_text(int row, int column) const;

  struct deleter {
    void operator()(pg_result* r) const noexcept;
  };
  std::unique_ptr<pg_result, deleter> res_;
};

/// One PostgreSQL connection. Movable, not copyable; closes on destruction.
class pg_connection {
public:
  pg_connection() = default;
  pg_connection(pg_connection&&) noexcept = default;
  pg_connection& operator=(pg_connection&&) noexcept = default;

  /// Connects with a libpq connection string (key=value or a postgresql://
  /// URI; several hosts with target_session_attrs=read-write find the
  /// primary), then runs `setup` (session settings; may be empty). Throws
  /// pg_error.
  static pg_connection open(const std::string& conninfo,
                            std::string setup = {});

  /// Connects again with the same string and setup, after the connection
  /// was lost (a restart, a failover to the standby). Logs the attempt and
  /// its outcome; throws pg_error when no host answers.
  void reopen();

  /// Runs SQL without parameters (several statements allowed). Throws.
  /// exec, query and run first connect again when the connection was lost
  /// while idle (see alive()), so nothing of theirs is sent on a dead one.
  void exec(const std::string& sql);

  /// Runs one statement and returns its rows. Throws pg_error.
  pg_rows query(const db_statement& x);

  /// Runs one statement, discarding rows; returns the rows it changed.
  int64_t run(const db_statement& x);

  /// Sends every statement of `xs` in one round trip (libpq pipeline mode)
  /// and returns the index of the first that failed with its error, or -1
  /// when all succeeded. After a failure the statements after it were not
  /// run, and an open transaction is left aborted for the caller to roll
  /// back. Throws pg_error only when the connection itself fails.
  struct pipeline_outcome {
    int failed_at = -1;
    std::string sqlstate;
    std::string message;
  };
  pipeline_outcome pipeline(const std::vector<db_statement>& xs);

  /// True while the connection is up (as far as libpq knows).
  bool ok() const noexcept;

  /// True while the connection is up, after reading (without blocking)
  /// anything the server sent while it was idle: a server that restarted or
  /// failed over has closed the socket, and that is seen here before
  /// anything is sent on it. Call only between statements.
  bool alive() noexcept;

  /// True while a transaction is open (or failed and not yet rolled back).
  bool in_transaction() const noexcept;

  /// Rows changed by the last run().
  int64_t last_changes() const noexcept { return changes_; }

  /// Whether this session runs on a primary (false on a hot standby).
  bool is_primary();

  pg_conn* handle() const noexcept { return conn_.get(); }

private:
  /// Connects again when the connection is known to be lost.
  void ensure_open();

  /// The name of the server-side prepared statement for `sql` (SQLite
  /// dialect), prepared on first use.
  const std::string& prepared(const std::string& sql);

  struct deleter {
    void operator()(pg_conn* c) const noexcept;
  };
  std::unique_ptr<pg_conn, deleter> conn_;
  std::unordered_map<std::string, std::string> names_;
  int64_t changes_ = 0;
  std::string conninfo_; ///< to connect again
  std::string setup_;    ///< run after every connect
};

} // namespace berry::storage
