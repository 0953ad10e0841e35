// The order actor: it runs the effects its saga decides (actors/
// order_saga.hpp; the diagram is in order_saga.cpp) and feeds every answer,
// request and timer back to the saga as an event. It holds what the saga
// cannot: the handles it talks to, the clock, and the promises of those
// waiting.

#include "actors/order.hpp"

#include <caf/all.hpp>

#include "actors/order_runner.hpp"

namespace berry::order_impl {

namespace {

order_saga_config saga_config(const order_deps& deps) {
  order_saga_config cfg;
  cfg.warehouse_infos = deps.warehouse_infos;
  for (auto& [id, handle] : deps.warehouses)
    cfg.warehouse_ids.push_back(id);
  cfg.has_dispatcher = static_cast<bool>(deps.dispatcher);
  cfg.max_plan_attempts = deps.max_plan_attempts;
  cfg.redispatch_every = deps.redispatch_every;
  return cfg;
}

/// A cancel or return: answered at once, or kept until the saga ends it.
template <class Event>
caf::result<order_record> ask_saga(self_ptr self, Event ev) {
  auto rp = self->make_response_promise<order_record>();
  feed(self, ev, &rp);
  return rp;
}

order_impl_actor::behavior_type order(self_ptr self, order_record rec,
                                      order_deps deps) {
  auto& st = self->state;
  st.clock = std::make_unique<wall_clock>(self->clock().now());
  st.saga = order_saga::resume(std::move(rec), saga_config(deps));
  st.deps = std::move(deps);
  // Stopped from outside (its order shard went to another node, or the
  // node stops): whoever waits on it is told to ask again, where the order
  // goes on once it is resumed from storage.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    auto& st = self->state;
    auto moved = caf::make_error(berry_errc::shard_moved,
                                 "the order is moving; ask again");
    for (auto* asked : {&st.waiters, &st.cancellers}) {
      for (auto& rp : *asked)
        rp.deliver(moved);
      asked->clear();
    }
    self->quit(msg.reason);
  });
  // The first step comes after whatever already waits in the mailbox.
  self->send(self, step_atom_v);
  return {
      [=](caf::get_atom) { return self->state.saga.rec; },
      [=](wait_atom) -> caf::result<order_record> {
        auto& st = self->state;
        if (checkout_over(st.saga.rec))
          return st.saga.rec;
        auto rp = self->make_response_promise<order_record>();
        st.waiters.push_back(rp);
        return rp;
      },
      [=](cancel_atom) { return ask_saga(self, order_events::cancel_asked{}); },
      [=](return_atom) { return ask_saga(self, order_events::return_asked{}); },
      [=](dispatch_atom) { feed(self, order_events::redispatch_due{}); },
      [=](delivery_atom, delivery_event& ev) {
        feed(self, order_events::delivery_moved{std::move(ev)});
      },
      [=](step_atom) { feed(self, order_events::step{}); },
      [=](expire_atom) { on_deadline_timer(self, self->state.deadlines); },
  };
}

} // namespace

} // namespace berry::order_impl

namespace berry {

order_actor spawn_order(caf::actor_system& sys, order_record rec,
                        order_deps deps) {
  return sys.spawn(order_impl::order, std::move(rec), std::move(deps));
}

} // namespace berry