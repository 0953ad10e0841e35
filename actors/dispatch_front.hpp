#pragma once

// The city's logistics as one shard of a cluster (issue 14): the dispatcher
// and every courier run only on the node that owns the dispatch shard
// (`dispatch_shard_id`), behind its gate (actors/shard_gate.hpp), which
// starts them from storage where the couriers were last seen, their writes
// fenced at the shard's epoch, and stops them when the shard moves. Every
// node's orders and edge hold the node's dispatch front as the dispatcher:
//
//   (dispatch_atom, task) from an order ──> (dispatch_atom, task, order) to
//                                           the gate, which serves it here
//                                           or asks the owner's gate
//   anything else (cancel, list, online) ──> to the gate as it is
//
// The dispatcher tells an order what happens to its delivery: across a gate
// on another node the sender it sees is that gate, so the front names the
// order in the message. While the shard is between owners the gate holds
// the request (its waiting room); an unreachable owner answers unavailable
// and the saga hands its delivery over again later (redispatch_every), which
// is also how a new owner learns of every delivery in flight.

#include <caf/fwd.hpp>

namespace berry {

/// The dispatch shard's id in the cluster: the city the shop delivers in.
inline constexpr const char* dispatch_shard_id = "couriers/moscow";

/// Spawns a front for the dispatch shard's `gate` (hold it as a
/// dispatcher_actor). It ends when the gate does.
caf::actor spawn_dispatch_front(caf::actor_system& sys, caf::actor gate);

} // namespace berry
