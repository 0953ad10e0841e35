#pragma once

// The tracking gate of a node: where an edge's order feed (one small actor
// per order with tracking sockets on that edge, http/tracking_feeds.hpp)
// subscribes to an order's topic at this node's tracking actor
// (actors/tracking.hpp). In a cluster the feed of any node comes here
// through the order routers (actors/order_router.hpp) when this node hosts
// the order's shard, so its events come straight from here to it.
//
//   (subscribe, order id, subscriber) ──> the tracking actor, then the
//       answer: this gate (the subscriber watches it). Sent in that order,
//       so whatever the order publishes after the answer reaches the
//       subscriber: a snapshot read then misses nothing.
//   (order_unhost, shard) from the router ──> every subscriber of the
//       shard's orders is told (tracking_moved_atom, order id) and
//       unsubscribed: its events come from wherever the shard went, and
//       the feed starts over there.

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "protocols/interfaces.hpp"

namespace berry {

/// (std::string order id), to a subscriber: the order's events no longer
/// come from where it subscribed.
using tracking_moved_atom = caf::atom_constant<caf::atom("trackmoved")>;

/// Spawns the gate of `tracking`.
caf::actor spawn_tracking_gate(caf::actor_system& sys, tracking_actor tracking);

} // namespace berry
