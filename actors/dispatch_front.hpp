#pragma once

// The city's logistics as one shard of a cluster (issue 14): the dispatcher
// and every courier run only on the node that owns the dispatch shard
// (`dispatch_shard_id`, one per city), behind its gate (actors/shard_gate.hpp),
// which starts them from storage where the couriers were last seen, their
// writes fenced at the shard's epoch, and stops them when the shard moves.
// Every node's orders and edge hold the node's dispatch front as the
// dispatcher:
//
//   (dispatch_atom, task) from an order ──> (dispatch_atom, task, front) to
//                                           the gate, which serves it here
//                                           or asks the owner's gate
//   anything else (cancel, list, online) ──> to the gate as it is
//
// The front stands in for the node's orders towards the dispatcher: it
// hands a delivery on naming itself as the order, so the dispatcher's
// events about it come through the front, which passes them on to the
// order (across a gate the sender would otherwise be that gate). The front
// keeps each delivery in flight with its latest status and courier, and
// watches the dispatcher its events come from. When that dispatcher goes
// (its node died or left, it crashed, the shard moved) the front hands every
// delivery it keeps to the shard's owner again at once, and every second
// while the shard is between owners, until one takes them: the new owner's
// dispatcher goes on with each from its status, its courier starting where
// it was last seen (storage). The saga's own hand-over every
// redispatch_every is the fallback, and handing a delivery over twice is
// harmless (the dispatcher takes it once per order). While the shard is
// between owners the gate holds the request (its waiting room); an
// unreachable owner answers unavailable.

#include <string>

#include <caf/fwd.hpp>

namespace berry {

/// The dispatch shard's id in the cluster: couriers/<city>, the city the
/// shop delivers in (its city_id in the streets data: "couriers/moscow").
std::string dispatch_shard_id(const std::string& city_id);

/// Spawns a front for the dispatch shard's `gate` (hold it as a
/// dispatcher_actor). It ends when the gate does.
caf::actor spawn_dispatch_front(caf::actor_system& sys, caf::actor gate);

} // namespace berry
