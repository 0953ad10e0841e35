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
//   checkout ──> this node's manager while it hosts any order shard (it
//                draws an id in one); else the router of a node that hosts
//                one (checkout_shard); else, while some shard is between
//                owners, it waits as above; else unavailable
//   list     ──> this node's manager (a read of storage)
//   subscribe (order X, subscriber) ──> like a get, to the tracking gate
//                of the node that hosts S (actors/tracking_gate.hpp),
//                which answers the subscriber itself
//
// What comes from another node is never sent on (one hop: two nodes that
// disagree for a moment on an owner do not bounce a request). A question out
// on a route that goes (the link dropped, the shard moved) is answered
// unavailable at once; one unanswered in time, too. The node's shard host
// tells the router what it hosts (order_host_atom, order_unhost_atom: passed
// on to the manager first, then to the tracking gate); its links tell it
// the routes (order_route_atom, node/node_peers.hpp).

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string_view>

#include <caf/fwd.hpp>

#include "protocols/interfaces.hpp"

namespace berry {

/// The shard a checkout of `user_id` is sent to when this node hosts no
/// order shard: the user's own (order_shard_of of the user id) if it is in
/// `routed`, else the next one that is (so users spread over the owners);
/// nothing when none is.
std::optional<int> checkout_shard(std::string_view user_id,
                                  const std::set<int>& routed);

/// How a node's order router starts.
struct order_router_init {
  /// This node's order manager (sharded).
  order_manager_actor local;
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
/// manager when it stops.
caf::actor spawn_order_router(caf::actor_system& sys, order_router_init init);

} // namespace berry
