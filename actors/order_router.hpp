#pragma once

// The order router of a cluster node (issue 14): everyone on the node holds
// it as the order manager (caf::actor_cast<order_manager_actor>(router)).
// Orders are spread over order shards by id (actors/order_shards.hpp), and
// each shard's orders run on the node that hosts it:
//
//   get / wait / cancel / return of order X, shard S = order_shard_of(X):
//     S hosted here        ──> this node's order manager
//     S routed (another node hosts it, linked) ──> that node's router,
//                              which answers as its manager does
//     S between owners (order_wait_atom) ──> waits up to wait_for for
//                              one of the above
//     otherwise            ──> unavailable at once (the edge's 503)
//   checkout ──> routed as an order of the user's own order shard
//                (order_shard_of(user id)) is, so one node decides a
//                user's idempotency keys, unpaid orders and cart checkouts
//                (the manager there draws the order's id in a shard it
//                hosts); when that shard is neither hosted, routed nor
//                between owners: this node's manager if it hosts any order
//                shard, else the router of a node that hosts one
//                (checkout_shard), else it waits while any shard is between
//                owners; else unavailable
//   list     ──> this node's manager (a read of storage)
//   carts    ──> a user's cart goes with the order shard of the user's id
//                (order_shard_of(user id)): routed as an order of that
//                shard is, to the cart manager of the node that hosts it,
//                so a user's cart has one live copy in the cluster. The
//                router tells the local cart manager (order_unhost_atom)
//                when a shard goes, and it lets those carts go.
//   subscribe (order X, subscriber) ──> like a get, to the tracking gate
//                of the node that hosts S (actors/tracking_gate.hpp),
//                which answers the subscriber itself
//
// What comes from another node is never sent on (one hop: two nodes that
// disagree for a moment on an owner do not bounce a request): a router asked
// by another node about a shard it does not serve answers shard_moved, as a
// manager does about an order whose shard it let go, and the asking router
// asks again once the shard's route is another (waiting at most wait_for,
// then unavailable). A question out on a route that changes or goes (the
// link dropped, the shard moved) is asked again the same way: every message
// routed is safe to repeat (a checkout has its Idempotency-Key; a cancel of
// a cancelled order answers it). One unanswered in time is unavailable. A
// node that says it is leaving is routed nothing more: its shards' requests
// wait for their new owners (node/node_peers_routes.cpp). The node's shard host
// tells the router what it hosts (order_host_atom, order_unhost_atom: passed
// on to the manager first, then to the tracking gate); its links tell it
// the routes (order_route_atom, node/node_peers.hpp).

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string_view>

#include <caf/fwd.hpp>

#include "protocols/interfaces.hpp"

namespace berry {

/// The shard a checkout of `user_id` is sent to when the node of the
/// user's own shard cannot be reached and this node hosts no order shard:
/// the user's own (order_shard_of of the user id) if it is in `routed`,
/// else the next one that is (so users spread over the owners); nothing
/// when none is.
std::optional<int> checkout_shard(std::string_view user_id,
                                  const std::set<int>& routed);

/// How a node's order router starts.
struct order_router_init {
  /// This node's order manager (sharded)...
  order_manager_actor local;
  /// ... or, when `local` is unset, how it starts, given the router (the
  /// manager reads and empties carts through it).
  std::function<order_manager_actor(caf::actor router)> start_local;
  /// This node's cart manager; unset: the router routes no carts.
  cart_manager_actor carts;
  /// This node's tracking gate (actors/tracking_gate.hpp; null without
  /// logistics): subscriptions to the orders hosted here go to it, and it
  /// hears (order_unhost_atom, shard) when a shard stops being hosted here.
  caf::actor tracking;
  /// How long another node may take to answer a get, cancel or return...
  std::chrono::milliseconds remote_timeout{10000};
  /// ... and a checkout or a wait (the checkout's deadline and more).
  std::chrono::milliseconds checkout_timeout{10000};
  /// How long a request may wait while its shard is between owners (a
  /// SIGTERM's handover takes tens of milliseconds)...
  std::chrono::milliseconds wait_for{2000};
  /// ... and how many may wait; past it, unavailable at once.
  size_t max_waiting = 4096;
};

/// Spawns the router, hosting nothing, with no route. It stops the
/// managers when it stops.
caf::actor spawn_order_router(caf::actor_system& sys, order_router_init init);

} // namespace berry
