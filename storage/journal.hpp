#pragma once

// The journal actor: the single writer of the database. It gathers the
// batches that queue up while a commit runs and commits them together (group
// commit), and answers each sender only after the commit that stored its
// batch has returned.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "protocols/interfaces.hpp"

namespace berry::storage {

/// How the journal opens and runs its database.
struct journal_options {
  std::string path;
  /// PRAGMA synchronous: "full" (an fsync per commit), "normal" or "off".
  std::string synchronous = "full";
  /// The most batches in one transaction.
  int max_batch = 512;
  /// On its own thread (SQLite blocks). Deterministic actor tests turn this
  /// off, so the journal runs on the testing scheduler like every actor.
  bool detached = true;
};

/// Live counters of a journal, shared with /metrics.
struct journal_counters {
  std::atomic<uint64_t> batches{0};  ///< batches stored and acknowledged
  std::atomic<uint64_t> commands{0}; ///< commands of those batches
  std::atomic<uint64_t> commits{0};  ///< transactions committed
  std::atomic<uint64_t> failures{0}; ///< batches refused or failed
};

/// Opens `opts.path` read_write (throws storage::db_error when it cannot) and
/// spawns the journal on its own thread (SQLite blocks). A libpq connection
/// string makes it PostgreSQL's pipelined writer, with the shard fence.
/// Answers (write_atom, journal_batch) with the commit's sequence number, or
/// with berry_errc::conflict (a constraint refused the batch, which is
/// undone alone), berry_errc::unavailable (PostgreSQL's connection dropped
/// during COMMIT: the batch may or may not be stored, so the sender must
/// reload what is stored rather than undo or repeat its change) or
/// berry_errc::storage_failure (not stored); (stats_atom) with
/// journal_stats.
journal_actor
spawn_journal(caf::actor_system& sys, journal_options opts,
              std::shared_ptr<journal_counters> counters = nullptr);

} // namespace berry::storage
