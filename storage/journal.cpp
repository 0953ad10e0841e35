#include "storage/journal.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/journal_writer.hpp"
#include "storage/postgres_journal.hpp"

namespace berry::storage {

namespace {

// Group commit, in the order of the mailbox:
//
//   write, write, ... ──> pending ──(flush_atom or max_batch)──> one commit
//                                                                 │
//                     answers to every sender of the group  <─────┘
//
// The first write into an empty pending list sends flush_atom to self. It
// lands behind every write already queued, so everything that arrived while
// the previous commit ran goes into the next transaction.

struct pending_write {
  journal_batch batch;
  caf::typed_response_promise<uint64_t> rp;
};

struct journal_state {
  std::shared_ptr<group_writer> writer;
  std::shared_ptr<journal_counters> counters;
  size_t max_batch = 1;
  std::vector<pending_write> pending;

  static inline const char* name = "berry.journal";
};

using journal_pointer = journal_actor::stateful_pointer<journal_state>;

caf::error to_error(const batch_result& x) {
  switch (x.status) {
  case batch_status::conflict:
    return caf::make_error(berry_errc::conflict, x.message);
  case batch_status::fenced:
    return caf::make_error(berry_errc::shard_moved, x.message);
  case batch_status::unknown:
    return caf::make_error(berry_errc::unavailable,
                           "the outcome of a write is unknown: " + x.message);
  case batch_status::unreachable: // nothing was sent; the log has the cause
    return caf::make_error(berry_errc::unavailable,
                           "the store is unavailable; try again");
  default:
    return caf::make_error(berry_errc::storage_failure, x.message);
  }
}

void flush(journal_pointer self) {
  auto& st = self->state;
  if (st.pending.empty())
    return;
  auto group = std::move(st.pending);
  st.pending.clear();
  std::vector<const journal_batch*> batches;
  batches.reserve(group.size());
  for (auto& w : group)
    batches.push_back(&w.batch);
  auto result = st.writer->commit(batches);
  auto& c = *st.counters;
  if (result.committed) {
    c.commits.fetch_add(1, std::memory_order_relaxed);
    c.commands.fetch_add(result.commands, std::memory_order_relaxed);
  }
  // Only now, with the commit returned, does any sender hear back.
  for (size_t i = 0; i < group.size(); ++i) {
    const auto& r = result.batches[i];
    if (r.status == batch_status::committed) {
      c.batches.fetch_add(1, std::memory_order_relaxed);
      group[i].rp.deliver(result.seq);
    } else {
      c.failures.fetch_add(1, std::memory_order_relaxed);
      if (r.status != batch_status::conflict &&
          r.status != batch_status::fenced)
        log::warn("journal batch failed", {{"error", r.message}});
      group[i].rp.deliver(to_error(r));
    }
  }
}

journal_stats stats_of(const journal_counters& c) {
  journal_stats out;
  out.batches = c.batches.load();
  out.commands = c.commands.load();
  out.commits = c.commits.load();
  out.failures = c.failures.load();
  return out;
}

journal_actor::behavior_type journal(journal_pointer self,
                                     std::shared_ptr<group_writer> writer,
                                     size_t max_batch,
                                     std::shared_ptr<journal_counters> c) {
  self->state.writer = std::move(writer);
  self->state.counters = std::move(c);
  self->state.max_batch = max_batch;
  // Killed by an exit message (which need not wait behind the writes in
  // the mailbox), still commit what is pending rather than drop it. An
  // orderly shutdown sends close_atom instead, which queues behind them.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    flush(self);
    self->quit(msg.reason);
  });
  return {
      [=](write_atom, journal_batch& batch) {
        auto& st = self->state;
        auto rp = self->make_response_promise<uint64_t>();
        st.pending.push_back({std::move(batch), rp});
        if (st.pending.size() >= st.max_batch)
          flush(self);
        else if (st.pending.size() == 1)
          self->send(self, flush_atom_v);
        return rp;
      },
      [=](stats_atom) { return stats_of(*self->state.counters); },
      [=](flush_atom) { flush(self); },
      [=](caf::close_atom) {
        flush(self);
        self->quit();
      },
  };
}

} // namespace

journal_actor spawn_journal(caf::actor_system& sys, journal_options opts,
                            std::shared_ptr<journal_counters> counters) {
  std::shared_ptr<group_writer> writer;
  if (database::is_postgres_location(opts.path)) {
    try {
      writer = std::make_shared<postgres_journal_writer>(opts.path);
    } catch (const pg_error& e) {
      throw_as_db_error(e);
    }
  } else {
    auto db = database::open(opts.path, open_mode::read_write);
    db.set_synchronous(opts.synchronous);
    // The only writer's page cache: 32 MB keeps the inner pages of every
    // index and the hot leaves (SQLite's 2 MB default re-read them from the
    // OS cache on every insert once the orders reach the millions).
    db.exec("PRAGMA cache_size=-32768");
    // Checkpoint every 8,192 WAL pages (32 MB) rather than SQLite's 1,000:
    // a checkpoint writes each page once however often the commits since
    // the last one changed it, and the hot index pages change in most.
    db.exec("PRAGMA wal_autocheckpoint=8192");
    writer = std::make_shared<journal_writer>(std::move(db));
  }
  if (!counters)
    counters = std::make_shared<journal_counters>();
  auto max_batch = static_cast<size_t>(std::max(1, opts.max_batch));
  if (!opts.detached)
    return sys.spawn(journal, std::move(writer), max_batch,
                     std::move(counters));
  return sys.spawn<caf::detached>(journal, std::move(writer), max_batch,
                                  std::move(counters));
}

} // namespace berry::storage
