#include "actors/system_config.hpp"

#include <algorithm>
#include <thread>

#include <caf/all.hpp>

#include "protocols/errors.hpp"
#include "protocols/type_ids.hpp"

namespace berry {

void configure_actor_system(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::berry>();
  cfg.add_error_category(caf::atom("berry"), [](uint8_t code, caf::atom_value,
                                                const caf::message& ctx) {
    return render_berry_error(code, ctx);
  });
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  // One worker per core, not CAF's at least four: on a small machine the
  // extra workers only take turns, each turn a context switch.
  cfg.set(
      "scheduler.max-threads",
      static_cast<size_t>(std::max(2u, std::thread::hardware_concurrency())));
  // An idle worker spins briefly, then sleeps until work arrives. CAF's
  // middle stage (500 polls, each after a 50 us sleep) cost a context switch
  // per poll: a fifth of the CPU of a checkout went to workers waking up to
  // find nothing.
  cfg.set("work-stealing.moderate-poll-attempts", size_t{0});
}

void configure_test_actor_system(caf::actor_system_config& cfg) {
  configure_actor_system(cfg);
  cfg.set("scheduler.policy", caf::atom("testing"));
}

} // namespace berry
