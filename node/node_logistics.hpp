#pragma once

// The logistics of a node (node/node_actors.hpp): live tracking, and the
// dispatcher with its couriers under a supervisor. On a single node they
// start at once; in a cluster they are the dispatch shard's
// (actors/dispatch_front.hpp) and start only on the node that owns it.

#include <string>

#include "node/node_actors.hpp"

namespace berry {

/// The dispatch shard of the city the shop delivers in (the demo city's
/// streets data names it): "couriers/moscow".
std::string city_dispatch_shard();

/// Spawns `a`'s tracking, tracking gate and dispatcher (in a cluster: the
/// dispatch shard's gate and this node's front to it, the gate told to the
/// node's links).
void spawn_logistics(caf::actor_system& sys, const server_config& cfg,
                     const std::string& db_path, const node_setup& setup,
                     node_actors& a);

} // namespace berry
