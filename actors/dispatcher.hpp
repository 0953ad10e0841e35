#pragma once

// The dispatcher of a city. A paid order hands it a delivery; it waits for
// the packing, then gives the delivery to the nearest free courier (by the
// distance along the streets to the first warehouse), queues deliveries
// while every courier is busy, and gives a delivery to another courier when
// its courier goes off duty or crashes (a crashed courier is started again
// from where it was last seen). It tells each order what happens, as
// (delivery_atom, delivery_event) to the actor that sent the delivery.

#include <functional>
#include <string>
#include <vector>

#include "actors/logistics.hpp"
#include "actors/restart_policy.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

struct dispatcher_init {
  /// Every courier, where it was last seen.
  std::vector<courier_info> couriers;
  /// Couriers journal their positions here (may be null in tests).
  journal_actor journal;
  logistics_params params;
  /// The couriers' writes are fenced at this (in a cluster: the dispatch
  /// shard's epoch; actors/dispatch_front.hpp).
  shard_fence fence;
  /// Restarts of one courier before it is left off duty, and the pause
  /// before the first restart of a crashed courier (doubles each time).
  restart_policy restart{5, std::chrono::milliseconds(1000)};
  /// Told of every courier actor it starts (tests use it to crash one).
  std::function<void(const std::string& courier_id, const courier_actor&)>
      on_spawn;
};

dispatcher_actor spawn_dispatcher(caf::actor_system& sys, dispatcher_init init);

} // namespace berry
