#include "actors/courier.hpp"

#include <optional>

#include <caf/all.hpp>

#include "actors/street_route.hpp"
#include "protocols/errors.hpp"

namespace berry {

namespace {

struct courier_actor_state {
  courier_init init;
  /// idle, to_pickup or to_dropoff
  courier_state status = courier_state::idle;
  std::optional<delivery_task> task;
  /// Where it still has to go: the pickups left, then the address.
  std::vector<geo_point> stops;
  size_t pickups_left = 0;
  bool ticking = false;
  int steps_since_journal = 0;
  static inline const char* name = "courier";
};

using courier_self = courier_actor::stateful_pointer<courier_actor_state>;

geo_point& position(courier_self self) {
  return self->state.init.info.location;
}

int64_t eta_s(courier_self self) {
  auto& st = self->state;
  if (!st.task)
    return -1;
  return st.init.params.eta_s(travel_m(position(self), st.stops));
}

courier_status status_of(courier_self self) {
  auto& st = self->state;
  return {st.init.info.id,
          st.init.info.name,
          st.status,
          position(self),
          st.task ? st.task->order_id : std::string{},
          eta_s(self)};
}

/// Stores the position; nobody waits for it (a lost one costs a few
/// metres after a restart).
void journal_position(courier_self self) {
  self->state.steps_since_journal = 0;
  if (!self->state.init.journal)
    return;
  self->request(self->state.init.journal, self->state.init.params.step_timeout,
                write_atom_v,
                journal_batch{{courier_moved{self->state.init.info}},
                              self->state.init.fence})
      .then([](uint64_t) {}, [](caf::error&) {});
}

void tell(courier_self self, order_status status) {
  auto& st = self->state;
  if (!st.task || !st.init.dispatcher)
    return;
  self->send(st.init.dispatcher, delivery_atom_v,
             delivery_event{st.task->order_id, status, st.init.info.id,
                            position(self), eta_s(self)});
}

void schedule_step(courier_self self) {
  if (self->state.ticking || !self->state.task)
    return;
  self->state.ticking = true;
  self->delayed_send(self, self->state.init.params.tick(), step_atom_v);
}

void stop_task(courier_self self) {
  auto& st = self->state;
  st.task.reset();
  st.stops.clear();
  st.pickups_left = 0;
  st.status = courier_state::idle;
  journal_position(self);
}

/// One movement step: ride as far as a step goes, passing stops on the way.
void step(courier_self self) {
  auto& st = self->state;
  st.ticking = false;
  if (!st.task)
    return;
  double budget = st.init.params.step_m();
  while (budget > 0 && !st.stops.empty()) {
    auto target = st.stops.front();
    auto& pos = position(self);
    pos = move_toward(pos, target, budget);
    if (pos.lat != target.lat || pos.lon != target.lon)
      break;
    st.stops.erase(st.stops.begin());
    if (st.pickups_left > 0) {
      if (--st.pickups_left == 0) {
        st.status = courier_state::to_dropoff;
        journal_position(self);
        tell(self, order_status::picked_up);
      }
    } else {
      tell(self, order_status::delivered);
      stop_task(self);
      return;
    }
  }
  tell(self, order_status::none);
  if (++st.steps_since_journal >= st.init.params.journal_every)
    journal_position(self);
  schedule_step(self);
}

courier_actor::behavior_type courier(courier_self self, courier_init init) {
  self->state.init = std::move(init);
  return {
      [=](assign_atom, delivery_task& task) -> caf::result<bool> {
        auto& st = self->state;
        if (st.task)
          return st.task->order_id == task.order_id
                     ? caf::result<bool>{true}
                     : caf::make_error(berry_errc::conflict,
                                       "the courier is busy");
        bool carried = task.status == order_status::picked_up;
        st.stops = carried ? std::vector<geo_point>{} : task.pickups;
        st.pickups_left = st.stops.size();
        st.stops.push_back(task.dropoff);
        st.status = st.pickups_left > 0 ? courier_state::to_pickup
                                        : courier_state::to_dropoff;
        st.task = std::move(task);
        schedule_step(self);
        return true;
      },
      [=](cancel_atom, const std::string& order_id) -> caf::result<bool> {
        auto& st = self->state;
        if (!st.task || st.task->order_id != order_id)
          return true;
        if (st.status == courier_state::to_dropoff)
          return caf::make_error(berry_errc::conflict,
                                 "the parcel is already picked up");
        stop_task(self);
        return true;
      },
      [=](caf::get_atom) { return status_of(self); },
      [=](online_atom, bool on) {
        auto out = status_of(self);
        if (!on && self->state.task)
          stop_task(self);
        return out;
      },
      [=](step_atom) { step(self); },
  };
}

} // namespace

courier_actor spawn_courier(caf::actor_system& sys, courier_init init) {
  return sys.spawn(courier, std::move(init));
}

} // namespace berry
