// The delivery half of the order actor: a paid order hands its delivery to
// the dispatcher and follows the events it sends back (packed,
// courier_assigned, picked_up, delivered, and the courier's moves). Each
// status is journaled, then published to the tracking actor with its place
// in the history (seq). A restarted order hands the delivery over again; the
// dispatcher repeats the latest status, and any status skipped meanwhile is
// filled in, in order.

#include <algorithm>

#include "actors/order_impl.hpp"
#include "actors/order_state.hpp"
#include "protocols/errors.hpp"
#include "storage/order_repo.hpp"

namespace berry::order_impl {

namespace {

/// Publishes where the courier is now.
void publish_courier(self_ptr self) {
  auto& st = self->state;
  if (!st.deps.tracking)
    return;
  self->send(st.deps.tracking, track_atom_v,
             tracking_event{st.rec.id,
                            "courier",
                            {},
                            now_ms(self),
                            static_cast<int64_t>(st.rec.history.size()),
                            st.rec.courier_location,
                            st.rec.eta_s});
}

/// The statuses of a delivery, in the order they are reached.
const std::vector<std::string>& delivery_statuses() {
  static const std::vector<std::string> xs{"paid", "packed", "courier_assigned",
                                           "picked_up", "delivered"};
  return xs;
}

int delivery_rank(const std::string& status) {
  auto& xs = delivery_statuses();
  auto i = std::find(xs.begin(), xs.end(), status);
  return i == xs.end() ? -1 : static_cast<int>(i - xs.begin());
}

delivery_task delivery_of(const order_actor_state& st) {
  delivery_task task;
  task.order_id = st.rec.id;
  task.status = st.rec.status;
  task.courier_id = st.rec.courier_id;
  // Each warehouse of the order once, in the order of its lines.
  std::vector<std::string> seen;
  for (auto& l : st.rec.lines) {
    if (std::find(seen.begin(), seen.end(), l.warehouse_id) != seen.end())
      continue;
    seen.push_back(l.warehouse_id);
    for (auto& w : st.deps.warehouse_infos)
      if (w.id == l.warehouse_id)
        task.pickups.push_back(w.location);
  }
  task.dropoff = st.rec.address.location;
  return task;
}

/// Hands the delivery to the dispatcher (again, after a restart).
void do_dispatch(self_ptr self) {
  auto& st = self->state;
  st.busy = true;
  self->request(st.deps.dispatcher, st.deps.step_timeout, dispatch_atom_v,
                delivery_of(st))
      .then(
          [=](bool) {
            auto& st = self->state;
            st.busy = false;
            st.dispatched = true;
            // Again later: a dispatcher that restarted meanwhile has
            // forgotten the delivery and takes it up from this.
            if (st.deps.redispatch_every.count() > 0)
              self->delayed_send(self, st.deps.redispatch_every,
                                 dispatch_atom_v);
            follow_delivery(self);
          },
          [=](caf::error& err) {
            log::warn("dispatcher did not take the delivery; trying again",
                      {{"order", self->state.rec.id},
                       {"error", self->system().render(err)}});
            self->delayed_send(self, std::chrono::seconds(1), step_atom_v);
          });
}

/// Asks the dispatcher to withdraw the delivery, then cancels; a parcel
/// already picked up cannot be cancelled.
void withdraw_delivery(self_ptr self) {
  auto& st = self->state;
  st.busy = true;
  self->request(st.deps.dispatcher, st.deps.step_timeout, cancel_atom_v,
                st.rec.id)
      .then(
          [=](bool) {
            auto& st = self->state;
            st.busy = false;
            st.cancel_requested = false;
            st.events.clear();
            if (st.compensation.empty())
              st.compensation = "customer";
            advance(self);
          },
          [=](caf::error& err) {
            auto& st = self->state;
            st.busy = false;
            st.cancel_requested = false;
            auto refusal = is_error(err, berry_errc::conflict)
                               ? err
                               : caf::make_error(berry_errc::unavailable,
                                                 "the delivery could not be "
                                                 "withdrawn; try again");
            for (auto& rp : st.cancel_waiters)
              rp.deliver(refusal);
            st.cancel_waiters.clear();
            follow_delivery(self);
          });
}

/// Applies one event of the dispatcher: new statuses are journaled, then
/// published; a courier move is only published. Returns false while a
/// journal write is in flight.
bool apply_event(self_ptr self, const delivery_event& ev) {
  auto& st = self->state;
  auto moved = [&] {
    if (!ev.courier_id.empty())
      st.rec.courier_id = ev.courier_id;
    st.rec.courier_location = ev.location;
    st.rec.eta_s = ev.eta_s;
  };
  int from = delivery_rank(st.rec.status);
  int to = delivery_rank(ev.status);
  if (ev.status.empty() || to <= from) {
    // A move (or a status it already has, repeated after a restart).
    if (st.rec.status == "courier_assigned" || st.rec.status == "picked_up") {
      moved();
      publish_courier(self);
    }
    return true;
  }
  if (from < 0)
    return true; // not a delivery status now (cancelling, say)
  auto first = st.rec.history.size();
  auto now = now_ms(self);
  std::vector<db_statement> batch;
  for (int r = from + 1; r <= to; ++r)
    set_status(st.rec, delivery_statuses()[r], now);
  moved();
  if (ev.status == "delivered")
    st.rec.eta_s = -1;
  batch = storage::update_order(st.rec);
  for (auto i = first; i < st.rec.history.size(); ++i)
    batch.push_back(storage::append_order_event(st.rec.id, st.rec.history[i]));
  journal(self, std::move(batch), [=] {
    auto& st = self->state;
    for (auto i = first; i < st.rec.history.size(); ++i)
      publish_status(self, i);
    if (st.rec.status == "delivered") {
      // A return may have come in while "delivered" was being stored.
      st.ph = st.compensation.empty() ? phase::done : phase::compensate;
      advance(self);
      return;
    }
    follow_delivery(self);
  });
  return false;
}

} // namespace

void follow_delivery(self_ptr self) {
  auto& st = self->state;
  if (st.busy || st.ph != phase::settled || !st.deps.dispatcher)
    return;
  if (!st.dispatched) {
    do_dispatch(self);
    return;
  }
  if (st.cancel_requested) {
    withdraw_delivery(self);
    return;
  }
  while (!st.events.empty() && !st.busy) {
    auto ev = std::move(st.events.front());
    st.events.pop_front();
    if (!apply_event(self, ev))
      return;
  }
}

} // namespace berry::order_impl
