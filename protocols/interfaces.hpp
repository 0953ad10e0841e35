#pragma once

// The typed interfaces of Berry's actors: what each one answers, and with what.

#include <cstdint>
#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "protocols/type_ids.hpp"
#include "protocols/types.hpp"

namespace berry {

/// The single writer of the database. Commits the batches of all actors in
/// group transactions and answers each sender only after its commit; the
/// answer is the sequence number of that commit.
using journal_actor = caf::typed_actor<
  caf::replies_to<write_atom, db_batch>::with<uint64_t>,
  caf::replies_to<stats_atom>::with<journal_stats>,
  caf::reacts_to<flush_atom>,
  /// Commits what it holds, answers those senders, then quits. An ordinary
  /// message, so every write sent before it is committed first.
  caf::reacts_to<caf::close_atom>>;

/// One warehouse: the single writer of its stock.
using warehouse_actor = caf::typed_actor<
  /// The stock of one product here (zero stock for a product never seen).
  caf::replies_to<stock_atom, caf::get_atom, std::string>::with<stock_level>,
  /// Sets on-hand of one product (admin); journaled before it answers.
  caf::replies_to<stock_atom, caf::put_atom, std::string,
                  int64_t>::with<stock_level>>;

/// The catalog: owns products and categories, gathers availability from the
/// warehouses and publishes immutable snapshots for the edge.
using catalog_actor = caf::typed_actor<
  caf::reacts_to<avail_atom, availability_report>,
  caf::reacts_to<publish_atom>,
  /// The version of the latest published snapshot.
  caf::replies_to<caf::get_atom>::with<uint64_t>,
  /// Answers (with the snapshot version) once every warehouse has reported.
  caf::replies_to<ready_atom>::with<uint64_t>>;

} // namespace berry
