#pragma once

// A throwaway PostgreSQL for tests: its own cluster in a temporary directory,
// listening only on a Unix socket there, removed at the end. PostgreSQL
// refuses to run as root, so under root (as in CI) the server runs as the
// `postgres` user and the directory belongs to it.
//
// The first server of a machine runs initdb into a template cluster (under a
// lock, once); every later one copies the template, which takes a fraction of
// the time.

#include <memory>
#include <string>

namespace berry::test {

/// The directory of PostgreSQL's server programs (initdb, pg_ctl), or ""
/// when they are not installed.
std::string postgres_bindir();

/// One running PostgreSQL cluster with a database `berry`.
class postgres_server {
public:
  /// Creates and starts a fresh cluster. Throws std::runtime_error saying
  /// what failed (with the server's log).
  postgres_server();

  /// A streaming standby of `primary` (pg_basebackup), started and
  /// following it. The primary then waits for it on every commit
  /// (synchronous replication): what the primary acknowledges, both hold.
  struct standby_of {
    postgres_server& primary;
  };
  explicit postgres_server(standby_of s);
  ~postgres_server();
  postgres_server(const postgres_server&) = delete;
  postgres_server& operator=(const postgres_server&) = delete;

  /// A libpq connection string for database `db` as superuser `berry`.
  std::string conninfo(const std::string& db = "berry") const;

  /// The directory that holds the cluster and its socket.
  const std::string& dir() const { return dir_; }

  /// Stops the server (`fast`: rolls back open transactions; `immediate`:
  /// like a crash).
  void stop(const std::string& mode = "fast");

  /// Starts it again on the same directory.
  void start();

  /// Makes a standby the primary (pg_ctl promote, waiting until it takes
  /// writes).
  void promote();

  /// Runs `sql` through psql as superuser; returns its unaligned output.
  std::string psql(const std::string& sql, const std::string& db = "berry");

private:
  std::string dir_;
  bool running_ = false;
};

} // namespace berry::test
