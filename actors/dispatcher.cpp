#include "actors/dispatcher.hpp"

#include <memory>

#include <caf/all.hpp>

#include "actors/courier.hpp"
#include "actors/dispatcher_state.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"

namespace berry {

namespace {

/// What the dispatcher actor keeps: the pure state, and its actors.
struct dispatcher_actor_state {
  dispatcher_init init;
  dispatcher_state board;
  std::map<caf::actor_addr, std::string> by_addr;
  /// Every courier actor started, for the end of the dispatcher.
  std::shared_ptr<std::vector<caf::actor>> alive =
      std::make_shared<std::vector<caf::actor>>();
  static inline const char* name = "dispatcher";
};

using dispatcher_self =
    dispatcher_actor::stateful_pointer<dispatcher_actor_state>;

void try_assign(dispatcher_self self);

void start_courier(dispatcher_self self, courier_slot& slot) {
  auto& st = self->state;
  courier_init ci{slot.info, self, st.init.journal, st.init.params,
                  st.init.fence};
  slot.handle = spawn_courier(self->system(), std::move(ci));
  slot.down = false;
  // Monitored: a courier that crashes is restarted here.
  self->monitor(slot.handle);
  st.alive->push_back(caf::actor_cast<caf::actor>(slot.handle));
  st.by_addr[slot.handle.address()] = slot.info.id;
  if (st.init.on_spawn)
    st.init.on_spawn(slot.info.id, slot.handle);
}

void tell(dispatcher_self self, delivery_job& d, order_status status) {
  if (status != order_status::none)
    d.latest = status;
  if (!d.order)
    return;
  // The order is held as a dynamically typed handle (tests stand in for
  // it). Sent as the dispatcher: a node's dispatch front watches who runs
  // its orders' deliveries, and hands them over again when that one goes.
  caf::unsafe_send_as(self, d.order, delivery_atom_v,
                      delivery_event{d.task.order_id, status, d.courier_id,
                                     d.location, d.eta_s});
}

/// Offers the delivery of `a` to its courier; on refusal it goes back in
/// line.
void assign(dispatcher_self self, const assignment& a) {
  auto order_id = a.job->task.order_id;
  auto courier_id = a.courier->info.id;
  self->request(a.courier->handle, self->state.init.params.step_timeout,
                assign_atom_v, self->state.board.task_for(a))
      .then(
          [=](bool) {
            auto& st = self->state;
            auto* d = st.board.accepted(order_id, courier_id, st.init.params);
            // A handed-over parcel keeps its status; only the courier changes.
            if (d)
              tell(self, *d,
                   d->picked_up ? order_status::none
                                : order_status::courier_assigned);
          },
          [=](caf::error& err) {
            log::warn("courier refused a delivery",
                      {{"courier", courier_id},
                       {"order", order_id},
                       {"error", self->system().render(err)}});
            self->state.board.refused(order_id, courier_id);
            try_assign(self);
          });
}

/// Hands queued deliveries to free couriers, in line order.
void try_assign(dispatcher_self self) {
  while (auto a = self->state.board.next_assignment())
    assign(self, *a);
}

/// Takes `task` from `sender`, its order.
bool dispatch(dispatcher_self self, delivery_task task, caf::actor sender) {
  auto& st = self->state;
  auto i = st.board.deliveries.find(task.order_id);
  if (i != st.board.deliveries.end()) {
    // The order started again: from now on tell the new actor, and repeat
    // the latest status it may have missed.
    i->second.order = sender;
    if (i->second.latest != order_status::none)
      tell(self, i->second, i->second.latest);
    return true;
  }
  auto id = task.order_id;
  delivery_job d;
  d.order = sender;
  d.task = std::move(task);
  if (d.task.status != order_status::paid) {
    // Resumed after a restart: packed, or on its way with a courier.
    st.board.resume(std::move(d));
    try_assign(self);
    return true;
  }
  st.board.deliveries.emplace(id, std::move(d));
  self->delayed_send(self, st.init.params.real(st.init.params.packing),
                     step_atom_v, id);
  return true;
}

void packed(dispatcher_self self, const std::string& order_id) {
  auto& st = self->state;
  auto i = st.board.deliveries.find(order_id);
  if (i == st.board.deliveries.end() || i->second.at != delivery_stage::packing)
    return;
  auto& d = i->second;
  d.at = delivery_stage::queued;
  d.location = d.first_stop();
  tell(self, d, order_status::packed);
  st.board.queue.push_back(order_id);
  try_assign(self);
}

/// From a courier: where it is, and what happened.
void on_event(dispatcher_self self, const delivery_event& ev) {
  auto& board = self->state.board;
  auto c = board.couriers.find(ev.courier_id);
  if (c != board.couriers.end()) {
    c->second.info.location = ev.location;
    c->second.eta_s = ev.eta_s;
  }
  auto i = board.deliveries.find(ev.order_id);
  if (i == board.deliveries.end() || i->second.courier_id != ev.courier_id)
    return; // cancelled meanwhile, or from a courier it no longer has
  auto& d = i->second;
  d.location = ev.location;
  d.eta_s = ev.eta_s;
  if (ev.status == order_status::picked_up) {
    d.picked_up = true;
    d.handover = false;
    if (c != board.couriers.end())
      c->second.status = courier_state::to_dropoff;
  }
  // A handed-over parcel was picked up before: the order knows.
  tell(self, d,
       ev.status == order_status::picked_up && d.latest == ev.status
           ? order_status::none
           : ev.status);
  if (ev.status == order_status::delivered) {
    board.deliveries.erase(i);
    if (c != board.couriers.end())
      c->second.release();
    try_assign(self);
  }
}

caf::result<bool> withdraw(dispatcher_self self, const std::string& order_id) {
  auto& st = self->state;
  auto i = st.board.deliveries.find(order_id);
  if (i == st.board.deliveries.end())
    return true;
  auto& d = i->second;
  if (d.picked_up)
    return caf::make_error(berry_errc::conflict,
                           "the parcel is already picked up");
  auto c = st.board.couriers.find(d.courier_id);
  if (d.at == delivery_stage::packing || d.at == delivery_stage::queued ||
      c == st.board.couriers.end() || !c->second.handle) {
    st.board.deliveries.erase(i);
    return true;
  }
  auto rp = self->make_response_promise<bool>();
  auto courier_id = d.courier_id;
  self->request(c->second.handle, st.init.params.step_timeout, cancel_atom_v,
                order_id)
      .then(
          [=](bool) mutable {
            auto& board = self->state.board;
            board.deliveries.erase(order_id);
            board.release(courier_id, order_id);
            try_assign(self);
            rp.deliver(true);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::result<courier_status> set_online(dispatcher_self self,
                                       const std::string& id, bool on) {
  auto& st = self->state;
  auto c = st.board.couriers.find(id);
  if (c == st.board.couriers.end())
    return caf::make_error(berry_errc::not_found, "no such courier");
  auto& slot = c->second;
  slot.online = on;
  if (on || slot.order_id.empty() || !slot.handle) {
    if (on)
      try_assign(self);
    return slot.status_of();
  }
  // Off duty with a delivery: the courier drops it where it is, and the
  // delivery goes to someone else.
  auto rp = self->make_response_promise<courier_status>();
  self->request(slot.handle, st.init.params.step_timeout, online_atom_v, false)
      .then(
          [=](const courier_status& where) mutable {
            auto& board = self->state.board;
            board.drop_out(id, where.location,
                           where.status == courier_state::to_dropoff);
            try_assign(self);
            rp.deliver(board.couriers[id].status_of());
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// A courier crashed: its delivery goes to someone else now, and the
/// courier comes back after a pause from where it was last seen.
void on_down(dispatcher_self self, const caf::down_msg& msg) {
  auto& st = self->state;
  auto a = st.by_addr.find(msg.source);
  if (a == st.by_addr.end())
    return;
  auto id = a->second;
  st.by_addr.erase(a);
  auto& slot = st.board.couriers[id];
  slot.handle = nullptr;
  slot.down = true;
  st.board.drop_out(id, slot.info.location, false);
  auto pause = slot.restarts.next(st.init.restart, self->clock().now());
  if (!pause) {
    log::error("courier keeps failing; left off duty",
               {{"courier", id}, {"error", self->system().render(msg.reason)}});
  } else {
    log::warn("courier failed; restarting",
              {{"courier", id},
               {"error", self->system().render(msg.reason)},
               {"restart", slot.restarts.count()}});
    self->delayed_send(self, *pause, restart_atom_v, id);
  }
  try_assign(self);
}

dispatcher_actor::behavior_type dispatcher(dispatcher_self self,
                                           dispatcher_init init) {
  auto& st = self->state;
  st.init = std::move(init);
  for (auto& info : st.init.couriers) {
    auto& slot = st.board.couriers[info.id];
    slot.info = info;
    start_courier(self, slot);
  }
  self->set_down_handler([=](caf::down_msg& msg) { on_down(self, msg); });
  // However the dispatcher ends (shutdown, crash, kill), its couriers end
  // with it; the next dispatcher starts them again from storage.
  self->attach_functor([alive = st.alive](const caf::error&) {
    for (auto& c : *alive)
      caf::anon_send_exit(c, caf::exit_reason::kill);
  });
  self->set_exit_handler([=](caf::exit_msg& msg) { self->quit(msg.reason); });
  return {
      [=](dispatch_atom, delivery_task& task) {
        return dispatch(self, std::move(task),
                        caf::actor_cast<caf::actor>(self->current_sender()));
      },
      [=](dispatch_atom, delivery_task& task, caf::actor& order) {
        return dispatch(self, std::move(task), std::move(order));
      },
      [=](cancel_atom, const std::string& order_id) {
        return withdraw(self, order_id);
      },
      [=](delivery_atom, const delivery_event& ev) { on_event(self, ev); },
      [=](list_atom) {
        std::vector<courier_status> out;
        for (auto& [id, slot] : self->state.board.couriers)
          out.push_back(slot.status_of());
        return out;
      },
      [=](online_atom, const std::string& id, bool on) {
        return set_online(self, id, on);
      },
      [=](step_atom, const std::string& order_id) { packed(self, order_id); },
      [=](restart_atom, const std::string& id) {
        auto& st = self->state;
        auto c = st.board.couriers.find(id);
        if (c != st.board.couriers.end() && c->second.down)
          start_courier(self, c->second);
        try_assign(self);
      },
  };
}

} // namespace

dispatcher_actor spawn_dispatcher(caf::actor_system& sys,
                                  dispatcher_init init) {
  return sys.spawn(dispatcher, std::move(init));
}

} // namespace berry
