#include "actors/system_config.hpp"

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
}

void configure_test_actor_system(caf::actor_system_config& cfg) {
  configure_actor_system(cfg);
  cfg.set("scheduler.policy", caf::atom("testing"));
}

} // namespace berry
