#pragma once

// A shard's gate on a cluster node (issue 14): everyone on the node holds
// the gate as the shard's actor (caf::actor_cast<warehouse_actor>(gate)),
// as they hold a supervisor on a single node. While the node hosts the
// shard the gate forwards every message to the shard's actor (the sender
// gets its answer directly). While another node hosts it, the gate asks
// that node's gate of the shard (its route, node/node_peers.hpp) what this
// node's actors ask, and passes the answer on: the other node sees one
// sender, and a question lost with a link is answered unavailable when the
// route goes (or after `remote_timeout`), not left to the asker's timeout.
// What comes from another node is never sent on (one hop: two nodes that
// disagree for a moment on the owner do not bounce a message between
// them). Without a route the gate answers at once with
// berry_errc::unavailable (the edge's 503), so nobody waits on a shard that
// lives nowhere reachable, unless it was told to wait: while the shard is
// between owners (nobody holds it yet, or this node or a linked one has
// claimed it and is loading it) a request waits up to `wait_for` for the
// shard to be hosted or routed, then goes on in the order it came; a shard
// whose owner cannot be reached is not waited for.
//
//   host(epoch) ──> start(epoch): the actor loads the shard from storage
//                   and writes under that epoch's fence
//   unhost      ──> the gate lets the actor go: new requests are answered
//                   unavailable at once; the actor finishes what it was
//                   asked (a write then lands or meets the fence) and
//                   stops drain_grace (2 s) later
//   the actor goes down by itself (its shard moved, its supervisor gave
//   up) ──> unavailable until the next host
//   route(gate) ──> while not hosting: ask that node's gate
//   route(null) ──> while not hosting: unavailable; questions still out
//                   on the old route are answered unavailable
//   wait(true)  ──> while neither hosting nor routed: requests wait (at
//                   most max_waiting, each at most wait_for)
//   wait(false) ──> those waiting are answered unavailable

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <caf/atom.hpp>

namespace caf {
class actor;
class actor_system;
} // namespace caf

namespace berry {

using gate_host_atom = caf::atom_constant<caf::atom("gatehost")>;
using gate_unhost_atom = caf::atom_constant<caf::atom("gateunhost")>;
using gate_route_atom = caf::atom_constant<caf::atom("gateroute")>;
using gate_wait_atom = caf::atom_constant<caf::atom("gatewait")>;

/// How a gate starts its shard's actor.
struct shard_gate_init {
  /// For answers and logs, e.g. "warehouse w-koledino".
  std::string name;
  /// Spawns the shard's actor (typically its supervisor), which writes
  /// under `epoch`'s fence.
  std::function<caf::actor(caf::actor_system&, int64_t epoch)> start;
  /// How long the owner on another node may take to answer.
  std::chrono::milliseconds remote_timeout{5000};
  /// How long a request may wait while the shard is between owners: a
  /// SIGTERM's handover takes tens of milliseconds, a claim after a lease
  /// ran out about as long.
  std::chrono::milliseconds wait_for{2000};
  /// The most requests that wait; past it, unavailable at once.
  size_t max_waiting = 4096;
  /// How long the shard's actor let go of (unhost) may finish what it was
  /// asked before it is stopped; 0: stopped at once (the dispatcher, whose
  /// couriers must not ride on two nodes at once).
  std::chrono::milliseconds drain_grace{2000};
};

/// Spawns a gate hosting nothing, with no route, not waiting. Send it
/// (gate_host_atom, epoch), (gate_unhost_atom), (gate_route_atom,
/// caf::actor) (the owner's gate on another node; a null actor: none) and
/// (gate_wait_atom, bool).
caf::actor spawn_shard_gate(caf::actor_system& sys, shard_gate_init init);

} // namespace berry
