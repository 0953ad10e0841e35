#pragma once

// The tracking actor: one topic per order. Orders publish what happens to
// them (statuses as they are journaled, courier moves); every subscriber of
// that order (one small actor per tracking WebSocket) gets it, in order.
// Subscribers are watched: one that goes down is forgotten.

#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

tracking_actor spawn_tracking(caf::actor_system& sys);

} // namespace berry
