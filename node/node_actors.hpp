#pragma once

// The actors of one node, spawned from its config and its database in the
// order they depend on each other (journal, accounts, carts, catalog,
// warehouses under their supervisors, payment, tracking, the dispatcher
// under its supervisor, the order manager last), and stopped as a node goes
// down cleanly. `berry serve` (node/node.hpp) and the actor tests'
// node_fixture both spawn theirs here; what differs between them is a
// node_setup.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>

#include "actors/account_sync.hpp"
#include "actors/catalog_view.hpp"
#include "actors/order_manager.hpp"
#include "config/config.hpp"
#include "protocols/interfaces.hpp"
#include "storage/journal.hpp"

namespace caf {
class actor;
class actor_system;
} // namespace caf

namespace berry::cluster {
struct cluster_view;
}

namespace berry {

class token_registry;
struct password_job_counters;

/// What the actors of a node are spawned with besides its config: what
/// differs between `berry serve` and a test node on CAF's deterministic
/// scheduler.
struct node_setup {
  /// The actors that read SQLite (journal, carts, order manager) on their
  /// own threads; deterministic tests turn this off.
  bool detached = true;
  /// The dispatcher with its couriers and live tracking; tests of the
  /// checkout alone run without them.
  bool logistics = true;
  /// Told of every catalog snapshot after it became current (the edge
  /// renders it); may be empty.
  catalog_publisher on_catalog;
  /// The built-in payment provider drops its reply to these (tests of lost
  /// answers); may be empty.
  std::function<bool(const payment_request&)> drop_reply;
  /// Told of every actor the supervisors, the dispatcher and the order
  /// manager start (tests use them to crash one); each may be empty.
  std::function<void(const std::string& warehouse_id, const caf::actor&)>
      on_warehouse;
  std::function<void(const caf::actor&)> on_dispatcher;
  std::function<void(const std::string& courier_id, const courier_actor&)>
      on_courier;
  std::function<void(const std::string& order_id, const order_actor&)> on_order;
  /// In a cluster: the cluster as the node sees it (its links to the other
  /// nodes route by it); may be empty (no other node is ever seen).
  std::function<std::shared_ptr<const cluster::cluster_view>()> cluster_view;
};

/// The actors of a running node, as everyone else holds them.
struct node_actors {
  journal_actor journal;
  std::shared_ptr<storage::journal_counters> journal_counts;
  /// Registration, logins and the admin account.
  accounts_actor accounts;
  /// Which accounts and tokens still stand; the accounts actor keeps it.
  std::shared_ptr<token_registry> tokens;
  /// Keeps `tokens` in step with the other nodes of a cluster.
  account_sync_actor account_sync;
  /// Password jobs the accounts actor dropped unstarted, by why.
  std::shared_ptr<password_job_counters> password_drops;
  /// The catalog's latest snapshot: the order manager prices from it.
  std::shared_ptr<catalog_view> catalog_snapshot;
  catalog_actor catalog;
  /// Products the catalog started with.
  std::size_t products = 0;
  /// The warehouses as the database lists them.
  std::vector<warehouse_info> warehouse_infos;
  /// The warehouses by id, as everyone holds them: their supervisors (in a
  /// cluster: their gates).
  std::map<std::string, warehouse_actor> warehouses;
  /// In a cluster only: the node's links to the other nodes
  /// (node/node_peers.hpp), which the node publishes.
  caf::actor peers;
  provider_actor provider;
  payment_actor payments;
  cart_manager_actor carts;
  /// Null without logistics.
  tracking_actor tracking;
  /// Where order feeds subscribe to it (actors/tracking_gate.hpp); null
  /// without logistics.
  caf::actor tracking_gate;
  /// Its supervisor (in a cluster: the node's front to the dispatch
  /// shard, actors/dispatch_front.hpp); null without logistics.
  dispatcher_actor dispatcher;
  /// In a cluster only: the dispatch shard's gate.
  caf::actor dispatch_gate;
  order_manager_actor orders;
  std::shared_ptr<order_counters> order_counts;
};

/// Spawns the actors of a node on `sys` from `cfg` and the database at
/// `db_path` (migrated and seeded: its categories, products, warehouses,
/// stock, couriers and unfinished orders are what the actors start from).
/// Throws storage::db_error when the database cannot be read.
node_actors spawn_node_actors(caf::actor_system& sys, const server_config& cfg,
                              const std::string& db_path,
                              const node_setup& setup);

/// Stops `a` as a node goes down cleanly: every actor exits with
/// user_shutdown, then the journal commits what it holds and exits. Call it
/// once nothing new can arrive (after the edge has drained).
void stop_node_actors(const node_actors& a);

/// The edge's learn_account (http/edge_context.hpp): asks `sync` to read
/// an account this node does not know, without blocking the caller.
std::function<void(const std::string&, int64_t, std::function<void(bool)>)>
account_learner(caf::actor_system& sys, account_sync_actor sync);

} // namespace berry
