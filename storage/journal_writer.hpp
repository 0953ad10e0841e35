#pragma once

// The SQLite half of the journal, without actors: commits a group of batches
// of typed commands in one transaction, each batch inside its own savepoint,
// so that a batch that fails is undone alone while the others commit. The
// commands become SQL in storage/sqlite_commands.hpp, nowhere else.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocols/journal_commands.hpp"
#include "storage/database.hpp"

namespace berry::storage {

/// What became of one batch of a group.
enum class batch_status {
  committed,   ///< stored and durable (as durable as `synchronous` makes it)
  conflict,    ///< refused by a constraint (CHECK, UNIQUE, FOREIGN KEY ...)
  failed,      ///< not stored for any other reason (bad SQL, I/O, busy)
  unknown,     ///< the connection dropped during COMMIT: maybe stored
  fenced,      ///< its shard was taken over at a higher epoch: not stored
  unreachable, ///< the store could not be reached: not stored, try again
};

/// The outcome of one batch, in the order the batches were given.
struct batch_result {
  batch_status status = batch_status::failed;
  std::string message; ///< SQLite's message when not committed
};

/// The outcome of one group commit.
struct group_result {
  bool committed = false; ///< a transaction committed (some batch stored)
  uint64_t seq = 0;       ///< its sequence number, when committed
  uint64_t commands = 0;  ///< commands of the batches stored
  std::vector<batch_result> batches;
};

/// A group none of whose `n` batches was stored: each gets `status` and
/// `message` (both writers answer so when the transaction cannot commit).
inline group_result all_failed(std::size_t n, const std::string& message,
                               batch_status status = batch_status::failed) {
  group_result out;
  out.batches.assign(n, batch_result{status, message});
  return out;
}

/// What the journal actor commits through: SQLite's journal_writer here, or
/// PostgreSQL's postgres_journal_writer (storage/postgres_journal.hpp).
class group_writer {
public:
  virtual ~group_writer() = default;

  /// Commits `batches` in one transaction; never throws (see below).
  virtual group_result
  commit(const std::vector<const journal_batch*>& batches) = 0;
};

/// Commits groups of batches on one connection; the database's only writer.
class journal_writer final : public group_writer {
public:
  /// Takes over `db`, which must be open read_write.
  explicit journal_writer(database db);
  journal_writer(const journal_writer&) = delete;
  journal_writer& operator=(const journal_writer&) = delete;

  /// Runs `batches` in one BEGIN IMMEDIATE ... COMMIT. Never throws: every
  /// failure is reported in the result. When no batch succeeds, nothing is
  /// committed and the sequence number does not move.
  group_result
  commit(const std::vector<const journal_batch*>& batches) override;

  /// The sequence number of the last commit (0 before the first).
  uint64_t last_seq() const noexcept { return seq_; }

  database& db() noexcept { return db_; }

private:
  /// Runs every batch of the group without savepoints and commits: the
  /// group's result, or nothing when a batch failed (rolled back whole).
  std::optional<group_result>
  commit_all(const std::vector<const journal_batch*>& batches);
  /// Runs each batch inside a savepoint of its own, so that a refused one
  /// is undone alone, and commits what was stored.
  group_result commit_each(const std::vector<const journal_batch*>& batches);
  /// BEGIN IMMEDIATE; false, and `error` says why, when it fails.
  bool begin(std::string& error);
  /// COMMITs the group `out` describes; a failed COMMIT fails every batch.
  group_result finish(group_result out);
  batch_result run_batch(const journal_batch& batch);
  /// Runs `sql` (no parameters) through the statement cache.
  void run(const char* sql);
  /// Undoes the batch since the savepoint, when the transaction is open.
  void undo_batch() noexcept;
  /// Rolls the transaction back, when it is open.
  void roll_back() noexcept;

  database db_;
  statement_cache cache_;
  uint64_t seq_ = 0;
};

} // namespace berry::storage
