#pragma once

// What the edge is built from: settings, the catalog cache, metrics, and the
// actors that handlers talk to through the bridge (http/bridge.hpp).

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <caf/actor.hpp>

#include "config/config.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {
class catalog_search;
class token_registry;
} // namespace berry

namespace berry::cluster {
struct cluster_view;
} // namespace berry::cluster

namespace berry::http {

class catalog_cache;
class metrics;
class token_service;

/// A warehouse as the edge knows it: where it is and who runs it.
struct warehouse_entry {
  warehouse_info info;
  warehouse_actor handle;
};

/// The parts of Berry the edge serves from. Pointers are borrowed: they
/// must outlive the server.
struct edge_context {
  const berry::server_config* cfg = nullptr;
  catalog_cache* catalog = nullptr;
  /// The catalog's full-text search (null: SQLite's or PostgreSQL's).
  berry::catalog_search* search = nullptr;
  metrics* stats = nullptr;
  /// The SQLite database that catalog searches read (read-only).
  std::string db_path;
  /// The storefront's folder; empty or missing means no storefront.
  std::string web_root;

  caf::actor_system* sys = nullptr;
  /// Signs and checks bearer tokens.
  token_service* tokens = nullptr;
  /// Which accounts and tokens still stand (null: every signed one).
  token_registry* sessions = nullptr;
  /// Makes sure of account `user` at token `version` before its token is
  /// checked: a node of a cluster reads an account made, or changed, on
  /// another node (actors/account_sync.hpp). Calls back, on any thread,
  /// with false when it cannot now (503). Empty: every account is known.
  std::function<void(const std::string& user, int64_t version,
                     std::function<void(bool)> done)>
      learn_account;
  /// Registration, logins and their limit.
  accounts_actor accounts;
  catalog_actor catalog_owner;
  /// Warehouses by id.
  std::map<std::string, warehouse_entry> warehouses;
  cart_manager_actor carts;
  order_manager_actor orders;
  /// Where a tracking socket's order feed subscribes: the node's tracking
  /// gate (actors/tracking_gate.hpp), or in a cluster the order router,
  /// which sends it to the gate of the order's node. Null: no tracking.
  caf::actor tracking_via;
  /// Couriers and deliveries (admin).
  dispatcher_actor dispatcher;
  /// The cluster as this node sees it (GET /api/v1/cluster); empty when
  /// the node is on its own (no --etcd).
  std::function<std::shared_ptr<const cluster::cluster_view>()> cluster;
};

} // namespace berry::http
