#pragma once

// The PostgreSQL half of the journal, without actors: the same contract as
// storage/journal_writer.hpp (a group of batches in one transaction, a batch
// that fails is refused alone, acknowledged only after COMMIT), sent through
// libpq's pipeline so that a whole group costs one round trip.
//
// Every transaction first passes the writer's shard fence (berry_fence):
// when another node has taken that shard over (a higher epoch in
// shard_owner), every batch is refused and the writer reports itself fenced:
// it must stop writing. A batch that names its own shard (journal_batch::
// fence, in a cluster) passes that shard's fence too, and is refused alone
// (batch_status::fenced) when its shard has moved.

#include <cstdint>
#include <string>
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

/// Commits groups of batches on one PostgreSQL connection, and connects
/// again (to whichever host of the connection string is the primary now)
/// after it lost the connection.
class postgres_journal_writer final : public group_writer {
public:
  /// Connects with `conninfo` (throws pg_error when it cannot) and sets the
  /// session's limits: a transaction left idle or a lock waited for cannot
  /// hold a takeover up.
  explicit postgres_journal_writer(std::string conninfo,
                                   shard_lease lease = {});

  /// Runs `batches` in one transaction (one round trip when nothing fails;
  /// one more per refused batch). Never throws: every failure is in the
  /// result. Without a connection it first connects again; when that fails
  /// every batch fails. When the connection drops while the group is in
  /// flight its outcome is unknown: every batch is reported
  /// batch_status::unknown and unknown_outcome() is set (the senders must
  /// read back what is stored rather than apply their change again or undo
  /// it).
  group_result
  commit(const std::vector<const journal_batch*>& batches) override;

  /// True once a commit was refused by the fence.
  bool fenced() const noexcept { return fenced_; }

  /// True when the last commit's outcome could not be learnt.
  bool unknown_outcome() const noexcept { return unknown_; }

  /// True while the writer holds a working connection.
  bool connected() const noexcept { return db_.ok(); }

  /// Connections made after the first (each after a lost one).
  uint64_t reconnects() const noexcept { return reconnects_; }

  uint64_t last_seq() const noexcept { return seq_; }
  pg_connection& db() noexcept { return db_; }

private:
  void connect();
  /// Every batch of a group whose connection dropped: outcome unknown.
  group_result lost(std::size_t n, const std::string& message);

  std::string conninfo_;
  pg_connection db_;
  shard_lease lease_;
  uint64_t seq_ = 0;
  uint64_t reconnects_ = 0;
  bool fenced_ = false;
  bool unknown_ = false;
};

/// Raises the epoch of `shard` (a takeover) and names its new owner; returns
/// the new epoch. Waits for transactions that passed the old fence; throws
/// pg_error when the lock is not granted within the session's lock_timeout.
int64_t take_over_shard(pg_connection& db, int64_t shard,
                        const std::string& node);

/// Fences `shard` at `epoch` for `node` (a claim made elsewhere, e.g. etcd's
/// revision of it): true when `epoch` is now the shard's, false when the
/// shard already has that epoch or a higher one (the claim is stale: the
/// node must not serve the shard). Waits for the transactions that passed
/// the old fence; throws pg_error when the lock is not granted within the
/// session's lock_timeout.
bool claim_shard(pg_connection& db, int64_t shard, int64_t epoch,
                 const std::string& node);

} // namespace berry::storage
