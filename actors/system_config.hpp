#pragma once

// The CAF configuration every Berry actor system uses: the program's message
// types, its error category, quiet CAF logs (Berry logs through spdlog), and
// a scheduler sized for the machine.

namespace caf {
class actor_system_config;
}

namespace berry {

/// Registers Berry's type-ID block and error category on `cfg`.
void configure_actor_system(caf::actor_system_config& cfg);

/// The same, plus CAF's deterministic testing scheduler (for actor tests).
void configure_test_actor_system(caf::actor_system_config& cfg);

} // namespace berry
