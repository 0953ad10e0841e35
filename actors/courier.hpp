#pragma once

// A courier: one actor per courier, with a position, a status and at most
// one delivery. It rides its route (the order's warehouses, then the
// address) in steps on a timer, tells the dispatcher where it is, when it
// has picked the parcels up and when it has delivered, and journals its
// position so that it survives a restart.

#include "actors/logistics.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

struct courier_init {
  /// Who it is and where it was last seen.
  courier_info info;
  dispatcher_actor dispatcher;
  journal_actor journal;
  logistics_params params;
  /// Its position writes are fenced at this (in a cluster: the dispatch
  /// shard's epoch).
  shard_fence fence;
};

courier_actor spawn_courier(caf::actor_system& sys, courier_init init);

} // namespace berry
