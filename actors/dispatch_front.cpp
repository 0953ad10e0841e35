#include "actors/dispatch_front.hpp"

#include <caf/all.hpp>

#include "protocols/interfaces.hpp"

namespace berry {

namespace {

caf::behavior dispatch_front(caf::event_based_actor* self, caf::actor gate) {
  // Ends with the gate (the node stops both).
  self->link_to(gate);
  self->set_default_handler(
      [=](caf::scheduled_actor*,
          caf::message_view& view) -> caf::result<caf::message> {
        auto rp = self->make_response_promise();
        rp.delegate(gate, view.move_content_to_message());
        return rp;
      });
  return {
      [=](dispatch_atom, delivery_task& task) {
        auto order = caf::actor_cast<caf::actor>(self->current_sender());
        auto rp = self->make_response_promise();
        rp.delegate(gate, dispatch_atom_v, std::move(task), std::move(order));
        return rp;
      },
  };
}

} // namespace

caf::actor spawn_dispatch_front(caf::actor_system& sys, caf::actor gate) {
  return sys.spawn(dispatch_front, std::move(gate));
}

} // namespace berry
