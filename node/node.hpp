#pragma once

// One Berry node, built from its config: storage (the data directory, the
// schema, the demo marketplace on a first start, the admin account), the
// actors under their supervisors (node/node_actors.hpp) and the edge; and
// stopped in order. main.cpp only reads the config, starts a node and waits
// for a signal.

#include <cstdint>
#include <memory>

#include "config/config.hpp"
#include "node/node_actors.hpp"
#include "storage/store.hpp"

namespace berry {

/// The data directory (or cfg.db) at the latest schema, seeded with the demo
/// marketplace on a first start unless cfg.seed is false: what `berry serve`
/// and `berry import` do first. Throws storage::db_error or
/// std::filesystem::filesystem_error.
storage::store_paths prepare_storage(const server_config& cfg);

/// A node of its own: it owns its actor system, its actors and its edge.
class node {
public:
  /// Takes the config; nothing runs until start().
  explicit node(server_config cfg);

  /// Stops (as stop()) if still running, then waits for every actor to end.
  ~node();

  node(const node&) = delete;
  node& operator=(const node&) = delete;

  /// Prepares the storage, spawns the actors, binds the edge to cfg.host
  /// and cfg.port (0 = any free port) and marks it ready once the catalog
  /// has heard from every warehouse. Returns the bound port. Throws
  /// std::runtime_error (or storage::db_error) saying what failed, after
  /// stopping what it had started.
  uint16_t start();

  /// Stops in order: the edge stops accepting and lets the requests in
  /// flight finish (up to cfg.drain_timeout), then every actor, the journal
  /// last (it commits what it holds), then the edge's threads. Blocks the
  /// caller; does nothing the second time.
  void stop();

  /// The node's actors; valid after start().
  const node_actors& actors() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace berry
