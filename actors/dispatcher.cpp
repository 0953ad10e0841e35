#include "actors/dispatcher.hpp"

#include <deque>
#include <map>
#include <memory>

#include <caf/all.hpp>

#include "actors/courier.hpp"
#include "actors/route.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"

namespace berry {

// One delivery, as the dispatcher sees it:
//
//   packing ──(packing time)──> queued ──(a free courier)──> assigning
//                                  ^                              │ accepted
//                                  │ courier off duty or crashed  v
//                                  └───────────────────────── carried ──> gone
//                                                          (delivered/cancelled)
//
// A parcel already picked up by a courier who then drops out is handed over
// where that courier was last seen: the next courier collects it there.

namespace {

enum class stage { packing, queued, assigning, carried };

struct delivery {
  delivery_task task;
  /// The order actor to tell; replaced when a restarted order asks again.
  caf::actor order;
  stage at = stage::packing;
  /// The latest status the order was told (or told us), for a repeat.
  std::string latest;
  std::string courier_id;
  /// A courier the delivery should go back to (resumed after a restart).
  std::string preferred;
  bool picked_up = false;
  /// Picked up by a courier who dropped out: the next courier collects the
  /// parcel where that one was last seen (the only pickup left).
  bool handover = false;
  geo_point location;
  int64_t eta_s = -1;
};

struct courier_slot {
  courier_actor handle;
  courier_info info;
  /// idle | assigning | to_pickup | to_dropoff
  std::string status = "idle";
  std::string order_id;
  int64_t eta_s = -1;
  bool online = true;
  /// Down and not (yet) started again.
  bool down = false;
  int restarts = 0;

  bool free() const { return online && !down && order_id.empty(); }
};

struct dispatcher_state {
  dispatcher_init init;
  std::map<std::string, courier_slot> couriers;
  std::map<std::string, delivery> deliveries;
  /// Deliveries waiting for a courier, first come first served.
  std::deque<std::string> queue;
  std::map<caf::actor_addr, std::string> by_addr;
  /// Every courier actor started, for the end of the dispatcher.
  std::shared_ptr<std::vector<caf::actor>> alive =
      std::make_shared<std::vector<caf::actor>>();
  static inline const char* name = "dispatcher";
};

using self_ptr = dispatcher_actor::stateful_pointer<dispatcher_state>;

void try_assign(self_ptr self);

void start_courier(self_ptr self, courier_slot& slot) {
  auto& st = self->state;
  courier_init ci{slot.info, self, st.init.journal, st.init.params};
  slot.handle = spawn_courier(self->system(), std::move(ci));
  slot.down = false;
  // Monitored: a courier that crashes is restarted here.
  self->monitor(slot.handle);
  st.alive->push_back(caf::actor_cast<caf::actor>(slot.handle));
  st.by_addr[slot.handle.address()] = slot.info.id;
  if (st.init.on_spawn)
    st.init.on_spawn(slot.info.id, slot.handle);
}

void tell(self_ptr self, delivery& d, const std::string& status) {
  if (!status.empty())
    d.latest = status;
  if (!d.order)
    return;
  // The order is held as a dynamically typed handle (tests stand in for it).
  caf::anon_send(d.order, delivery_atom_v,
                 delivery_event{d.task.order_id, status, d.courier_id,
                                d.location, d.eta_s});
}

/// Puts a delivery back in line, first, after its courier dropped out at
/// `where`; a parcel already picked up is collected there.
void requeue(self_ptr self, const std::string& order_id, geo_point where) {
  auto& st = self->state;
  auto i = st.deliveries.find(order_id);
  if (i == st.deliveries.end())
    return;
  auto& d = i->second;
  if (d.picked_up) {
    d.task.pickups = {where};
    d.handover = true;
  }
  d.at = stage::queued;
  d.courier_id.clear();
  d.preferred.clear();
  st.queue.push_front(order_id);
}

/// The first place a courier must reach for the delivery.
geo_point first_stop(const delivery& d) {
  return d.task.pickups.empty() ? d.task.dropoff : d.task.pickups.front();
}

/// The free courier to take `d`: its own one after a restart, else the
/// nearest along the streets (ties by id).
courier_slot* choose(self_ptr self, const delivery& d) {
  auto& st = self->state;
  if (!d.preferred.empty()) {
    auto i = st.couriers.find(d.preferred);
    if (i != st.couriers.end() && i->second.free())
      return &i->second;
  }
  courier_slot* best = nullptr;
  double best_m = 0;
  auto to = first_stop(d);
  for (auto& [id, slot] : st.couriers) {
    if (!slot.free())
      continue;
    double m = travel_m(slot.info.location, to);
    if (!best || m < best_m) {
      best = &slot;
      best_m = m;
    }
  }
  return best;
}

void assign(self_ptr self, delivery& d, courier_slot& slot) {
  auto order_id = d.task.order_id;
  auto courier_id = slot.info.id;
  d.at = stage::assigning;
  d.courier_id = courier_id;
  slot.status = "assigning";
  slot.order_id = order_id;
  auto task = d.task;
  // "picked_up" tells the courier the parcel is on board already.
  task.status = d.picked_up && !d.handover ? "picked_up" : "courier_assigned";
  task.courier_id = courier_id;
  self->request(slot.handle, self->state.init.params.step_timeout,
                assign_atom_v, task)
      .then(
          [=](bool) {
            auto& st = self->state;
            auto i = st.deliveries.find(order_id);
            auto c = st.couriers.find(courier_id);
            if (i == st.deliveries.end() || c == st.couriers.end() ||
                i->second.courier_id != courier_id)
              return;
            auto& d = i->second;
            auto& slot = c->second;
            d.at = stage::carried;
            slot.status = d.picked_up ? "to_dropoff" : "to_pickup";
            d.location = slot.info.location;
            auto stops = d.task.pickups;
            stops.push_back(d.task.dropoff);
            d.eta_s = st.init.params.eta_s(travel_m(slot.info.location, stops));
            slot.eta_s = d.eta_s;
            // A handed-over parcel keeps its status; only the courier changes.
            tell(self, d, d.picked_up ? std::string{} : "courier_assigned");
          },
          [=](caf::error& err) {
            auto& st = self->state;
            log::warn("courier refused a delivery",
                      {{"courier", courier_id},
                       {"order", order_id},
                       {"error", self->system().render(err)}});
            auto c = st.couriers.find(courier_id);
            if (c != st.couriers.end() && c->second.order_id == order_id) {
              c->second.order_id.clear();
              c->second.status = "idle";
            }
            auto i = st.deliveries.find(order_id);
            if (i != st.deliveries.end() &&
                i->second.courier_id == courier_id) {
              i->second.at = stage::queued;
              i->second.courier_id.clear();
              st.queue.push_front(order_id);
            }
            try_assign(self);
          });
}

/// Hands queued deliveries to free couriers, in line order.
void try_assign(self_ptr self) {
  auto& st = self->state;
  while (!st.queue.empty()) {
    auto id = st.queue.front();
    auto i = st.deliveries.find(id);
    if (i == st.deliveries.end() || i->second.at != stage::queued) {
      st.queue.pop_front();
      continue;
    }
    auto& d = i->second;
    auto* slot = choose(self, d);
    if (!slot)
      return;
    if (d.picked_up && !d.handover && slot->info.id != d.preferred) {
      // Not the courier who has the parcel: collect it from that one.
      auto c = st.couriers.find(d.preferred);
      d.task.pickups = {c != st.couriers.end() ? c->second.info.location
                                               : d.task.dropoff};
      d.handover = true;
    }
    st.queue.pop_front();
    assign(self, d, *slot);
  }
}

bool dispatch(self_ptr self, delivery_task task) {
  auto& st = self->state;
  auto sender = caf::actor_cast<caf::actor>(self->current_sender());
  auto i = st.deliveries.find(task.order_id);
  if (i != st.deliveries.end()) {
    // The order started again: from now on tell the new actor, and repeat
    // the latest status it may have missed.
    i->second.order = sender;
    if (!i->second.latest.empty())
      tell(self, i->second, i->second.latest);
    return true;
  }
  auto id = task.order_id;
  delivery d;
  d.order = sender;
  d.task = std::move(task);
  auto status = d.task.status;
  if (status == "paid") {
    d.at = stage::packing;
    st.deliveries.emplace(id, std::move(d));
    self->delayed_send(self, st.init.params.real(st.init.params.packing),
                       step_atom_v, id);
    return true;
  }
  // Resumed after a restart: packed, or on its way with a courier.
  d.at = stage::queued;
  d.latest = status;
  d.picked_up = status == "picked_up";
  d.preferred = d.task.courier_id;
  if (d.picked_up) {
    auto c = st.couriers.find(d.preferred);
    if (c == st.couriers.end() || !c->second.free()) {
      // The courier holding it is gone: collect it where it was last seen
      // (at the address itself when that courier is unknown).
      d.task.pickups = {c != st.couriers.end() ? c->second.info.location
                                               : d.task.dropoff};
      d.handover = true;
      d.preferred.clear();
    }
  }
  st.deliveries.emplace(id, std::move(d));
  st.queue.push_back(id);
  try_assign(self);
  return true;
}

void packed(self_ptr self, const std::string& order_id) {
  auto& st = self->state;
  auto i = st.deliveries.find(order_id);
  if (i == st.deliveries.end() || i->second.at != stage::packing)
    return;
  auto& d = i->second;
  d.at = stage::queued;
  d.location = first_stop(d);
  tell(self, d, "packed");
  st.queue.push_back(order_id);
  try_assign(self);
}

/// From a courier: where it is, and what happened.
void on_event(self_ptr self, const delivery_event& ev) {
  auto& st = self->state;
  auto c = st.couriers.find(ev.courier_id);
  if (c != st.couriers.end()) {
    c->second.info.location = ev.location;
    c->second.eta_s = ev.eta_s;
  }
  auto i = st.deliveries.find(ev.order_id);
  if (i == st.deliveries.end() || i->second.courier_id != ev.courier_id)
    return; // cancelled meanwhile, or from a courier it no longer has
  auto& d = i->second;
  d.location = ev.location;
  d.eta_s = ev.eta_s;
  if (ev.status == "picked_up") {
    d.picked_up = true;
    d.handover = false;
    if (c != st.couriers.end())
      c->second.status = "to_dropoff";
  }
  // A handed-over parcel was picked up before: the order knows.
  tell(self, d,
       ev.status == "picked_up" && d.latest == "picked_up" ? std::string{}
                                                           : ev.status);
  if (ev.status == "delivered") {
    st.deliveries.erase(i);
    if (c != st.couriers.end()) {
      c->second.order_id.clear();
      c->second.status = "idle";
      c->second.eta_s = -1;
    }
    try_assign(self);
  }
}

caf::result<bool> withdraw(self_ptr self, const std::string& order_id) {
  auto& st = self->state;
  auto i = st.deliveries.find(order_id);
  if (i == st.deliveries.end())
    return true;
  auto& d = i->second;
  if (d.picked_up)
    return caf::make_error(berry_errc::conflict,
                           "the parcel is already picked up");
  if (d.at == stage::packing || d.at == stage::queued) {
    st.deliveries.erase(i);
    return true;
  }
  auto c = st.couriers.find(d.courier_id);
  if (c == st.couriers.end() || !c->second.handle) {
    st.deliveries.erase(i);
    return true;
  }
  auto rp = self->make_response_promise<bool>();
  auto courier_id = d.courier_id;
  self->request(c->second.handle, st.init.params.step_timeout, cancel_atom_v,
                order_id)
      .then(
          [=](bool) mutable {
            auto& st = self->state;
            st.deliveries.erase(order_id);
            auto c = st.couriers.find(courier_id);
            if (c != st.couriers.end() && c->second.order_id == order_id) {
              c->second.order_id.clear();
              c->second.status = "idle";
              c->second.eta_s = -1;
            }
            try_assign(self);
            rp.deliver(true);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

courier_status status_of(const courier_slot& slot) {
  std::string status = slot.status == "assigning" ? "to_pickup" : slot.status;
  if (!slot.online || slot.down)
    status = "offline";
  return {slot.info.id,  slot.info.name,
          status,        slot.info.location,
          slot.order_id, slot.order_id.empty() ? -1 : slot.eta_s};
}

caf::result<courier_status> set_online(self_ptr self, const std::string& id,
                                       bool on) {
  auto& st = self->state;
  auto c = st.couriers.find(id);
  if (c == st.couriers.end())
    return caf::make_error(berry_errc::not_found, "no such courier");
  auto& slot = c->second;
  slot.online = on;
  if (on || slot.order_id.empty() || !slot.handle) {
    if (on)
      try_assign(self);
    return status_of(slot);
  }
  // Off duty with a delivery: the courier drops it where it is, and the
  // delivery goes to someone else.
  auto rp = self->make_response_promise<courier_status>();
  self->request(slot.handle, st.init.params.step_timeout, online_atom_v, false)
      .then(
          [=](const courier_status& where) mutable {
            auto& st = self->state;
            auto& slot = st.couriers[id];
            slot.info.location = where.location;
            auto order_id = slot.order_id;
            slot.order_id.clear();
            slot.status = "idle";
            slot.eta_s = -1;
            if (!order_id.empty()) {
              auto i = st.deliveries.find(order_id);
              if (i != st.deliveries.end() && i->second.courier_id == id) {
                if (where.status == "to_dropoff")
                  i->second.picked_up = true;
                requeue(self, order_id, where.location);
              }
            }
            try_assign(self);
            rp.deliver(status_of(slot));
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// A courier crashed: its delivery goes to someone else now, and the
/// courier comes back after a pause from where it was last seen.
void on_down(self_ptr self, const caf::down_msg& msg) {
  auto& st = self->state;
  auto a = st.by_addr.find(msg.source);
  if (a == st.by_addr.end())
    return;
  auto id = a->second;
  st.by_addr.erase(a);
  auto& slot = st.couriers[id];
  slot.handle = nullptr;
  slot.down = true;
  auto order_id = slot.order_id;
  slot.order_id.clear();
  slot.status = "idle";
  slot.eta_s = -1;
  if (!order_id.empty())
    requeue(self, order_id, slot.info.location);
  if (++slot.restarts > st.init.max_restarts) {
    log::error("courier keeps failing; left off duty",
               {{"courier", id}, {"error", self->system().render(msg.reason)}});
  } else {
    auto pause = st.init.restart_delay * (1 << (slot.restarts - 1));
    log::warn("courier failed; restarting",
              {{"courier", id},
               {"error", self->system().render(msg.reason)},
               {"restart", slot.restarts}});
    self->delayed_send(self, pause, restart_atom_v, id);
  }
  try_assign(self);
}

dispatcher_actor::behavior_type dispatcher(self_ptr self,
                                           dispatcher_init init) {
  auto& st = self->state;
  st.init = std::move(init);
  for (auto& info : st.init.couriers) {
    auto& slot = st.couriers[info.id];
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
        return dispatch(self, std::move(task));
      },
      [=](cancel_atom, const std::string& order_id) {
        return withdraw(self, order_id);
      },
      [=](delivery_atom, const delivery_event& ev) { on_event(self, ev); },
      [=](list_atom) {
        std::vector<courier_status> out;
        for (auto& [id, slot] : self->state.couriers)
          out.push_back(status_of(slot));
        return out;
      },
      [=](online_atom, const std::string& id, bool on) {
        return set_online(self, id, on);
      },
      [=](step_atom, const std::string& order_id) { packed(self, order_id); },
      [=](restart_atom, const std::string& id) {
        auto& st = self->state;
        auto c = st.couriers.find(id);
        if (c != st.couriers.end() && c->second.down)
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
