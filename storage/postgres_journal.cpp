#include "storage/postgres_journal.hpp"

#include <cstddef>
#include <exception>
#include <utility>

#include "config/logging.hpp"
#include "storage/sqlite_commands.hpp"

namespace berry::storage {

namespace {

const db_statement begin_stmt{"BEGIN", {}};
const db_statement commit_stmt{"COMMIT", {}};

} // namespace

postgres_journal_writer::postgres_journal_writer(std::string conninfo,
                                                 shard_lease lease)
    : conninfo_(std::move(conninfo)), lease_(lease) {
  connect();
}

void postgres_journal_writer::connect() {
  db_ = pg_connection::open(
      conninfo_, "SET idle_in_transaction_session_timeout = '10s';"
                 " SET lock_timeout = '5s'; SET synchronous_commit = on");
}

group_result postgres_journal_writer::lost(std::size_t n,
                                           const std::string& message) {
  // Whether COMMIT landed is unknown; the next commit connects again.
  log::error("journal: connection to PostgreSQL lost during a commit",
             {{"error", message}});
  unknown_ = true;
  db_ = {};
  return all_failed(n, message, batch_status::unknown);
}

group_result postgres_journal_writer::commit(
    const std::vector<const journal_batch*>& batches) {
  unknown_ = false;
  // A connection the server closed while the writer was idle (a restart, a
  // failover) is seen before the group is sent: its outcome stays known.
  if (!db_.alive()) {
    log::warn("journal: reconnecting to PostgreSQL");
    try {
      connect();
      ++reconnects_;
      log::info("journal: reconnected to PostgreSQL");
    } catch (const std::exception& e) {
      log::error("journal: PostgreSQL reconnect failed", {{"error", e.what()}});
      db_ = {};
      return all_failed(batches.size(), e.what(), batch_status::unreachable);
    }
  }
  group_result out;
  out.batches.assign(batches.size(), batch_result{});
  std::vector<bool> pending(batches.size(), true);
  for (;;) {
    // One transaction: the fence, then every batch still pending; `owner`
    // maps each statement back to its batch (-1: BEGIN, fence, COMMIT).
    std::vector<db_statement> stmts{begin_stmt};
    stmts.push_back({"SELECT berry_fence(?1, ?2)",
                     {db_value::of(lease_.shard), db_value::of(lease_.epoch)}});
    std::vector<int> owner{-1, -1};
    std::size_t left = 0;
    for (std::size_t b = 0; b < batches.size(); ++b) {
      if (!pending[b])
        continue;
      ++left;
      // A shard's batch first passes its own fence: refused alone when the
      // shard has moved.
      if (const auto& f = batches[b]->fence; f.epoch > 0) {
        stmts.push_back({"SELECT berry_fence(?1, ?2)",
                         {db_value::of(f.shard), db_value::of(f.epoch)}});
        owner.push_back(static_cast<int>(b));
      }
      for (const auto& cmd : batches[b]->commands)
        for (auto& s : statements_for(cmd)) {
          stmts.push_back(std::move(s));
          owner.push_back(static_cast<int>(b));
        }
    }
    if (left == 0)
      return out; // every batch refused: nothing committed
    stmts.push_back(commit_stmt);
    owner.push_back(-1);
    pg_connection::pipeline_outcome res;
    try {
      res = db_.pipeline(stmts);
    } catch (const pg_error& e) {
      // The connection failed: whether COMMIT landed is unknown. The next
      // commit connects again.
      return lost(batches.size(), e.what());
    } catch (const std::exception& e) {
      return all_failed(batches.size(), e.what());
    }
    if (res.failed_at < 0) {
      for (std::size_t b = 0; b < batches.size(); ++b)
        if (pending[b]) {
          out.batches[b] = {batch_status::committed, {}};
          out.commands += batches[b]->commands.size();
        }
      out.committed = true;
      out.seq = ++seq_;
      return out;
    }
    pg_error err{res.sqlstate, res.message};
    if (err.is_connection()) // e.g. the server shut down mid-group
      return lost(batches.size(), res.message);
    try {
      db_.exec("ROLLBACK");
    } catch (const std::exception& e) {
      return lost(batches.size(), e.what());
    }
    int b = owner[static_cast<std::size_t>(res.failed_at)];
    if (b < 0) { // BEGIN, the writer's fence or COMMIT: nothing goes through
      fenced_ = fenced_ || err.is_fenced();
      return all_failed(batches.size(), res.message);
    }
    out.batches[static_cast<std::size_t>(b)] = {
        err.is_fenced()       ? batch_status::fenced
        : err.is_constraint() ? batch_status::conflict
                              : batch_status::failed,
        res.message};
    pending[static_cast<std::size_t>(b)] = false;
  }
}

int64_t take_over_shard(pg_connection& db, int64_t shard,
                        const std::string& node) {
  auto rows = db.query({"INSERT INTO shard_owner (shard, epoch, node)"
                        " VALUES (?1, 1, ?2) ON CONFLICT (shard) DO UPDATE"
                        " SET epoch = shard_owner.epoch + 1, node = ?2"
                        " RETURNING epoch",
                        {db_value::of(shard), db_value::of(node)}});
  return rows.col_int(0, 0);
}

bool claim_shard(pg_connection& db, int64_t shard, int64_t epoch,
                 const std::string& node) {
  auto rows = db.query(
      {"INSERT INTO shard_owner (shard, epoch, node)"
       " VALUES (?1, ?2, ?3) ON CONFLICT (shard) DO UPDATE"
       " SET epoch = excluded.epoch, node = excluded.node"
       " WHERE shard_owner.epoch < excluded.epoch"
       " RETURNING epoch",
       {db_value::of(shard), db_value::of(epoch), db_value::of(node)}});
  return !rows.empty();
}

} // namespace berry::storage
