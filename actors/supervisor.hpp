#pragma once

// A supervisor for one actor: it stands in front of its child, forwards
// every message to it (the sender gets the child's answer directly), and
// when the child crashes starts a new one that rebuilds its state from
// storage, after a pause that doubles with each restart. Past a limit of
// restarts within a window it gives up and goes down with the child's
// error. Callers hold the supervisor as if it were the child:
// caf::actor_cast<warehouse_actor>(supervisor).

#include <chrono>
#include <functional>
#include <string>

#include "actors/restart_policy.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor;
class actor_system;
} // namespace caf

namespace berry {

/// How a supervisor starts and restarts its child.
struct supervisor_init {
  /// For the logs, e.g. "warehouse w-koledino".
  std::string name;
  /// Spawns the child, rebuilding its state from storage.
  std::function<caf::actor(caf::actor_system&)> start;
  /// Before a restart, the supervisor waits until the journal has committed
  /// everything queued so far (the crashed child's last writes included),
  /// so the new child reads what is really stored. Optional.
  journal_actor journal;
  /// Restarts within a minute before it gives up, and the pause before
  /// the first (it doubles with each restart).
  restart_policy restart{5, std::chrono::milliseconds(100),
                         std::chrono::minutes(1)};
  /// Told of every child it starts (tests use it to crash one).
  std::function<void(const caf::actor&)> on_start;
};

/// Spawns a supervisor and its first child.
caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_init init);

} // namespace berry
