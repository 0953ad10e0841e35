#pragma once

// The PostgreSQL half of the journal, without actors: the same contract as
// storage/journal_writer.hpp (a group of batches in one transaction, a batch
// that fails is refused alone, acknowledged only after COMMIT), sent through
// libpq's pipeline so that a whole group costs one round trip.
//
// Every transaction first passes the shard fence (berry_fence): when another
// node has taken the shard over (a higher epoch in shard_owner), every batch
// is refused and the writer reports itself fenced: it must stop writing.

#include <cstdint>
#include <vector>

#include "protocols/journal_commands.hpp"
#include "storage/journal_writer.hpp"
#include "storage/postgres.hpp"
#include "storage/postgres_schema.hpp"

namespace berry::storage {

/// The shard a writer writes and the epoch it holds it at.
struct shard_lease {
  int64_t shard = single_node_shard;
  int64_t epoch = 1;
};

/// Commits groups of batches on one PostgreSQL connection.
class postgres_journal_writer {
public:
  /// Takes over `db` (a primary) and sets its session limits: a
  /// transaction left idle or a lock waited for cannot hold a takeover up.
  postgres_journal_writer(pg_connection db, shard_lease lease = {});

  /// Runs `batches` in one transaction (one round trip when nothing fails;
  /// one more per refused batch). Never throws: every failure is in the
  /// result. When the connection drops during COMMIT the outcome is
  /// unknown: every batch is reported failed with unknown_outcome() set.
  group_result commit(const std::vector<const journal_batch*>& batches);

  /// True once a commit was refused by the fence.
  bool fenced() const noexcept { return fenced_; }

  /// True when the last commit's outcome could not be learnt (the
  /// connection dropped while COMMIT was in flight).
  bool unknown_outcome() const noexcept { return unknown_; }

  uint64_t last_seq() const noexcept { return seq_; }
  pg_connection& db() noexcept { return db_; }

private:
  pg_connection db_;
  shard_lease lease_;
  uint64_t seq_ = 0;
  bool fenced_ = false;
  bool unknown_ = false;
};

/// Raises the epoch of `shard` (a takeover) and names its new owner; returns
/// the new epoch. Waits for transactions that passed the old fence; throws
/// pg_error when the lock is not granted within the session's lock_timeout.
int64_t take_over_shard(pg_connection& db, int64_t shard,
                        const std::string& node);

} // namespace berry::storage
