#include "actors/shard_gate.hpp"

#include <caf/all.hpp>
#include <exception>

#include "config/logging.hpp"
#include "protocols/errors.hpp"

namespace berry {

namespace {

struct shard_gate_state {
  shard_gate_init init;
  caf::actor child;
  int64_t epoch = 0;
  static inline const char* name = "shard-gate";
};

using self_ptr = caf::stateful_actor<shard_gate_state>*;

void stop_child(self_ptr self) {
  auto& st = self->state;
  if (!st.child)
    return;
  self->demonitor(st.child);
  self->send_exit(st.child, caf::exit_reason::user_shutdown);
  st.child = nullptr;
}

caf::behavior shard_gate(self_ptr self, shard_gate_init init) {
  self->state.init = std::move(init);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& st = self->state;
    if (st.child && msg.source == st.child.address()) {
      log::warn("shard actor went down; unavailable until hosted again",
                {{"shard", st.init.name},
                 {"error", self->system().render(msg.reason)}});
      st.child = nullptr;
    }
  });
  self->set_exit_handler([=](caf::exit_msg& msg) {
    stop_child(self);
    self->quit(msg.reason);
  });
  // Everything else is the shard's business, or not served here.
  self->set_default_handler(
      [=](caf::scheduled_actor*,
          caf::message_view& view) -> caf::result<caf::message> {
        auto& st = self->state;
        if (!st.child)
          return caf::make_error(berry_errc::unavailable,
                                 st.init.name + " is not served by this node");
        auto rp = self->make_response_promise();
        rp.delegate(st.child, view.move_content_to_message());
        return rp;
      });
  return {
      [=](gate_host_atom, int64_t epoch) {
        auto& st = self->state;
        stop_child(self);
        st.epoch = epoch;
        try {
          st.child = st.init.start(self->system(), epoch);
          self->monitor(st.child);
        } catch (const std::exception& e) {
          log::error("cannot start a shard's actor",
                     {{"shard", st.init.name}, {"error", e.what()}});
        }
      },
      [=](gate_unhost_atom) { stop_child(self); },
  };
}

} // namespace

caf::actor spawn_shard_gate(caf::actor_system& sys, shard_gate_init init) {
  return sys.spawn(shard_gate, std::move(init));
}

} // namespace berry
