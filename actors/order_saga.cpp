#include "actors/order_saga.hpp"

#include <algorithm>

#include "storage/order_repo.hpp"

namespace berry {

// The saga of one order. Each step is journaled before it acts, so a saga
// resumed from the stored order goes on from where it stopped. The plan and
// reserved go on before their commit returns (store_rides_with_next): the
// reservation and the charge that follow are journaled by the warehouse and
// the provider behind them, in the journal's order, before they answer.
//
//   starting ──step──> (go on from the stored status)
//      │
//      v
//   asking_stock ──no plan──────────────────────────────> compensate
//      │ plan (lines get warehouses)       (out-of-stock; a warehouse not
//      │                                    reached: plan_retry ──step──>
//      │                                    asking_stock again first)
//      v
//   storing_plan ──> reserving ──refused──> releasing ──> asking_stock again
//                       │ all held               (after plan_retry when one
//                       │                         was not reached), or
//                       v                compensate after max_plan_attempts
//                 storing_reserved ──> paying ──declined/error──> compensate
//                                        │ captured (key "<id>:charge")
//                                        v
//                                   committing ──refused──> compensate
//                                        │ all committed  (reservation-expired)
//                                        v (one warehouse: paid was stored
//                                           with its sale, so on at once)
//                            storing_paid (+ empty the cart)
//                                        │
//                                        v
//   following <──> dispatching (refused: dispatch_retry ──step──> again),
//      │           storing_delivery (skipped statuses filled in, in order),
//      │           withdrawing (a cancel before picked_up ──> compensate)
//      │ delivered
//      v
//    ended <── return asked (delivered) ──> compensate (customer_return)
//
//   compensate: storing_reason ──> refunding (key "<id>:refund", when a
//               charge may exist) ──> giving_back (restock, else release, at
//               each warehouse) ──> storing_end (cancelled | returned) ──>
//               ended. A part that fails: compensation_retry ──step──>
//               refunding again.
//
// A cancel or return is recorded at once (`compensation`) and acted on when
// the step in flight has ended, so a step is never interrupted half-way.
// The delivery half is in order_saga_delivery.cpp.

order_saga order_saga::resume(order_record rec, order_saga_config cfg) {
  order_saga s;
  s.cfg = std::move(cfg);
  auto& st = rec.status;
  if ((is_final(st) && rec.cancel_reason == compensation_reason::none) ||
      st == order_status::cancelled || st == order_status::returned) {
    s.resume_at = phase::end;
  } else if (rec.cancel_reason != compensation_reason::none) {
    s.compensation = rec.cancel_reason;
    s.resume_at = phase::compensate;
  } else if (st == order_status::pending) {
    bool planned = !rec.lines.empty() &&
                   std::all_of(rec.lines.begin(), rec.lines.end(),
                               [](auto& l) { return !l.warehouse_id.empty(); });
    s.resume_at = planned ? phase::reserve : phase::plan;
  } else if (st == order_status::reserved) {
    s.resume_at = phase::pay;
  } else {
    s.resume_at = phase::deliver;
  }
  s.rec = std::move(rec);
  return s;
}

order_effect_list order_saga::handle(const order_event& ev, int64_t now) {
  namespace e = order_events;
  order_effect_list out;
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, e::step>)
          on_step(now, out);
        else if constexpr (std::is_same_v<T, e::stock_answered>)
          on_stock(x, now, out);
        else if constexpr (std::is_same_v<T, e::warehouse_answered>)
          on_warehouse(x, now, out);
        else if constexpr (std::is_same_v<T, e::payment_answered>)
          on_payment(x, now, out);
        else if constexpr (std::is_same_v<T, e::journal_done>)
          on_journal(now, out);
        else if constexpr (std::is_same_v<T, e::dispatcher_answered>)
          on_dispatcher(x, now, out);
        else if constexpr (std::is_same_v<T, e::redispatch_due>)
          on_redispatch(now, out);
        else if constexpr (std::is_same_v<T, e::cancel_asked>)
          on_cancel(now, out);
        else if constexpr (std::is_same_v<T, e::return_asked>)
          on_return(now, out);
        else
          on_delivery(x.ev, now, out);
      },
      ev);
  return out;
}

void order_saga::advance(phase next, int64_t now, order_effect_list& out) {
  if (compensation != compensation_reason::none && next != phase::compensate &&
      next != phase::end)
    next = phase::compensate;
  switch (next) {
  case phase::plan:
    plan(now, out);
    break;
  case phase::reserve:
    fan_out(stage::reserving, now, out);
    break;
  case phase::pay:
    at = stage::paying;
    out.push_back(order_effects::charge{
        {rec.id + ":charge", rec.id, rec.total, rec.payment_token}});
    break;
  case phase::commit:
    fan_out(stage::committing, now, out);
    break;
  case phase::deliver:
    at = stage::following;
    follow(now, out);
    break;
  case phase::compensate:
    compensate(now, out);
    break;
  case phase::end:
    finish(out);
    break;
  }
}

void order_saga::on_step(int64_t now, order_effect_list& out) {
  if (at == stage::starting)
    advance(resume_at, now, out);
  else if (at == stage::compensation_retry)
    compensate(now, out);
  else if (at == stage::dispatch_retry)
    advance(phase::deliver, now, out);
  else if (at == stage::plan_retry)
    advance(phase::plan, now, out);
}

void order_saga::reach(order_status status, stage s, int64_t now,
                       order_effect_list& out) {
  set_status(rec, status, now);
  at = s;
  out.push_back(order_effects::journal{
      {order_change::kind::statuses_reached, rec.history.size() - 1}});
}

void order_saga::on_journal(int64_t now, order_effect_list& out) {
  auto stored = [&](phase next) {
    out.push_back(order_effects::publish_status{rec.history.size() - 1});
    // (finish answers them at the end)
    if (checkout_over(rec) && next != phase::end)
      out.push_back(order_effects::answer_waiters{});
    advance(next, now, out);
  };
  switch (at) {
  case stage::storing_plan:
    advance(phase::reserve, now, out);
    break;
  case stage::storing_reserved:
    stored(phase::pay);
    break;
  case stage::storing_paid:
    stored(phase::deliver);
    break;
  case stage::storing_reason:
    refund_then_give_back(now, out);
    break;
  case stage::storing_end:
    stored(phase::end);
    break;
  case stage::storing_delivery: {
    for (auto i = delivery_first; i < rec.history.size(); ++i)
      out.push_back(order_effects::publish_status{i});
    if (rec.status == order_status::delivered) {
      // A return may have come in while delivered was being stored.
      advance(compensation == compensation_reason::none ? phase::end
                                                        : phase::compensate,
              now, out);
      return;
    }
    at = stage::following;
    follow(now, out);
    break;
  }
  default:
    break;
  }
}

bool order_saga::store_rides_with_next() const {
  return compensation == compensation_reason::none &&
         (at == stage::storing_plan || at == stage::storing_reserved);
}

/// Refund (when a charge may exist), then restock and release everywhere,
/// then the final status. Every part is idempotent, so a restart repeats
/// it safely; a part that fails is tried again after a pause.
void order_saga::finish(order_effect_list& out) {
  at = stage::ended;
  if (checkout_over(rec))
    out.push_back(order_effects::answer_waiters{});
  out.push_back(order_effects::answer_cancellers{});
  out.push_back(order_effects::stop{});
}

} // namespace berry
