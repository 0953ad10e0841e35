// The delivery half of the order's saga, with the customer's cancel and
// return: a paid order hands its delivery to the dispatcher (again every
// redispatch_every, so that a dispatcher that restarted goes on with it) and
// follows the events it sends back (packed, courier_assigned, picked_up,
// delivered, and the courier's moves). Each status is journaled, then
// published with its place in the history; a status skipped meanwhile (the
// dispatcher repeats only the latest after a restart) is filled in, in
// order. A cancel before picked_up withdraws the delivery first.

#include "actors/order_saga.hpp"

#include <algorithm>

namespace berry {

namespace {

/// The statuses of a delivery, in the order they are reached.
const std::vector<order_status>& delivery_statuses() {
  static const std::vector<order_status> xs{
      order_status::paid, order_status::packed, order_status::courier_assigned,
      order_status::picked_up, order_status::delivered};
  return xs;
}

int delivery_rank(order_status status) {
  auto& xs = delivery_statuses();
  auto i = std::find(xs.begin(), xs.end(), status);
  return i == xs.end() ? -1 : static_cast<int>(i - xs.begin());
}

} // namespace

bool order_saga::delivering() const {
  switch (at) {
  case stage::following:
  case stage::dispatching:
  case stage::withdrawing:
  case stage::storing_delivery:
  case stage::dispatch_retry:
    return true;
  case stage::starting:
    return resume_at == phase::deliver;
  default:
    return false;
  }
}

delivery_task order_saga::delivery() const {
  delivery_task task;
  task.order_id = rec.id;
  task.status = rec.status;
  task.courier_id = rec.courier_id;
  // Each warehouse of the order once, in the order of its lines.
  std::vector<std::string> seen;
  for (auto& l : rec.lines) {
    if (std::find(seen.begin(), seen.end(), l.warehouse_id) != seen.end())
      continue;
    seen.push_back(l.warehouse_id);
    for (auto& w : cfg.warehouse_infos)
      if (w.id == l.warehouse_id)
        task.pickups.push_back(w.location);
  }
  task.dropoff = rec.address.location;
  return task;
}

void order_saga::follow(int64_t now, order_effect_list& out) {
  if (at != stage::following || !cfg.has_dispatcher)
    return;
  if (!handed_over) {
    at = stage::dispatching;
    out.push_back(order_effects::dispatch{delivery()});
    return;
  }
  if (withdraw_wanted) {
    at = stage::withdrawing;
    out.push_back(order_effects::withdraw{});
    return;
  }
  while (!events.empty() && at == stage::following) {
    auto ev = std::move(events.front());
    events.pop_front();
    apply_event(ev, now, out);
  }
}

/// New statuses are journaled (then published); a courier move is only
/// published.
void order_saga::apply_event(const delivery_event& ev, int64_t now,
                             order_effect_list& out) {
  auto moved = [&] {
    if (!ev.courier_id.empty())
      rec.courier_id = ev.courier_id;
    rec.courier_location = ev.location;
    rec.eta_s = ev.eta_s;
  };
  int from = delivery_rank(rec.status);
  int to = delivery_rank(ev.status);
  if (ev.status == order_status::none || to <= from) {
    // A move (or a status it already has, repeated after a restart).
    if (rec.status == order_status::courier_assigned ||
        rec.status == order_status::picked_up) {
      moved();
      out.push_back(order_effects::publish_courier{now});
    }
    return;
  }
  if (from < 0)
    return; // not a delivery status now
  delivery_first = rec.history.size();
  for (int r = from + 1; r <= to; ++r)
    set_status(rec, delivery_statuses()[r], now);
  moved();
  if (ev.status == order_status::delivered)
    rec.eta_s = -1;
  at = stage::storing_delivery;
  out.push_back(order_effects::journal{
      {order_change::kind::statuses_reached, delivery_first}});
}

void order_saga::on_delivery(const delivery_event& ev, int64_t now,
                             order_effect_list& out) {
  if (!delivering())
    return;
  events.push_back(ev);
  follow(now, out);
}

void order_saga::on_dispatcher(const order_events::dispatcher_answered& x,
                               int64_t now, order_effect_list& out) {
  if (at == stage::dispatching) {
    if (x.error != berry_errc::none) {
      at = stage::dispatch_retry;
      out.push_back(order_effects::retry_in{cfg.retry_after});
      return;
    }
    at = stage::following;
    handed_over = true;
    if (cfg.redispatch_every.count() > 0)
      out.push_back(order_effects::redispatch_in{cfg.redispatch_every});
    follow(now, out);
  } else if (at == stage::withdrawing) {
    withdraw_wanted = false;
    at = stage::following;
    if (x.error == berry_errc::none) {
      events.clear();
      if (compensation == compensation_reason::none)
        compensation = compensation_reason::customer;
      advance(phase::deliver, now, out);
      return;
    }
    if (x.error == berry_errc::conflict)
      out.push_back(order_effects::refuse_cancellers{x.error, x.detail});
    else
      out.push_back(order_effects::refuse_cancellers{
          berry_errc::unavailable,
          "the delivery could not be withdrawn; try again"});
    follow(now, out);
  }
}

void order_saga::on_redispatch(int64_t now, order_effect_list& out) {
  if (!delivering() || !handed_over)
    return;
  handed_over = false;
  follow(now, out);
}

void order_saga::on_cancel(int64_t now, order_effect_list& out) {
  if (rec.status == order_status::cancelled) {
    out.push_back(order_effects::answer_asker{});
    return;
  }
  if (!cancellable(rec) ||
      compensation == compensation_reason::customer_return) {
    out.push_back(order_effects::answer_asker{
        berry_errc::conflict, "the order can no longer be cancelled"});
    return;
  }
  out.push_back(order_effects::keep_asker{});
  if (compensation != compensation_reason::none)
    return;
  if (delivering() && cfg.has_dispatcher) {
    // The delivery is with the dispatcher: withdraw it first.
    withdraw_wanted = true;
    follow(now, out);
    return;
  }
  compensation = compensation_reason::customer;
  // Nothing in flight: go on now; else when the step in flight ends.
  if (at == stage::starting)
    advance(resume_at, now, out);
  else if (at == stage::following)
    advance(phase::deliver, now, out);
}

void order_saga::on_return(int64_t now, order_effect_list& out) {
  if (rec.status == order_status::returned) {
    out.push_back(order_effects::answer_asker{});
    return;
  }
  if (rec.status != order_status::delivered) {
    out.push_back(order_effects::answer_asker{
        berry_errc::conflict, "only a delivered order can be returned"});
    return;
  }
  out.push_back(order_effects::keep_asker{});
  if (compensation != compensation_reason::none)
    return;
  compensation = compensation_reason::customer_return;
  // Started again from storage just for this; else the journal of
  // delivered is in flight and its end goes on to compensate.
  if (at == stage::starting)
    advance(phase::compensate, now, out);
}

} // namespace berry
