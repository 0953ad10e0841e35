// The steps of checkout and compensation: planning, the requests to every
// warehouse, payment and refund. The diagram is in order_saga.cpp.

#include "actors/order_saga.hpp"

#include <algorithm>

namespace berry {

void order_saga::plan(int64_t now, order_effect_list& out) {
  // Ask every warehouse what it holds of each product.
  std::vector<std::string> products;
  for (auto& l : rec.lines)
    products.push_back(l.product_id);
  stock_due = products.size() * cfg.warehouse_ids.size();
  avail.clear();
  stock_unanswered = false;
  if (stock_due == 0) {
    compensation = compensation_reason::out_of_stock;
    advance(phase::plan, now, out);
    return;
  }
  at = stage::asking_stock;
  for (auto& w : cfg.warehouse_ids)
    for (auto& p : products)
      out.push_back(order_effects::ask_stock{w, p});
}

void order_saga::on_stock(const order_events::stock_answered& x, int64_t now,
                          order_effect_list& out) {
  if (at != stage::asking_stock || stock_due == 0)
    return;
  if (x.ok)
    avail[x.warehouse_id][x.product_id] = x.available;
  else
    stock_unanswered = true;
  if (--stock_due > 0)
    return;
  auto planned = plan_warehouses(rec.lines, cfg.warehouse_infos, avail,
                                 rec.address.location);
  if (!planned) {
    // Sold out only if every warehouse said so; one that could not be
    // asked (down, or its shard between owners) may hold it: ask again
    // shortly, then give up as unavailable.
    if (stock_unanswered && compensation == compensation_reason::none &&
        ++plan_attempts < cfg.max_plan_attempts) {
      plan_later(out);
      return;
    }
    if (compensation == compensation_reason::none)
      compensation = stock_unanswered
                         ? compensation_reason::warehouse_unavailable
                         : compensation_reason::out_of_stock;
    advance(phase::plan, now, out);
    return;
  }
  rec.lines = std::move(*planned);
  // A new plan, a new attempt: the warehouses refuse what arrives late of
  // the plans before it once they released them.
  ++rec.attempt;
  at = stage::storing_plan;
  out.push_back(order_effects::journal{{order_change::kind::planned, 0}});
}

void order_saga::plan_later(order_effect_list& out) {
  at = stage::plan_retry;
  out.push_back(order_effects::retry_in{cfg.replan_after});
}

/// One request to each warehouse of the order's lines; a warehouse the
/// saga cannot reach counts as refused at once.
void order_saga::fan_out(stage s, int64_t now, order_effect_list& out) {
  at = s;
  due.clear();
  failures.clear();
  for (auto& [wid, lines] : lines_by_warehouse(rec.lines)) {
    if (std::find(cfg.warehouse_ids.begin(), cfg.warehouse_ids.end(), wid) ==
        cfg.warehouse_ids.end()) {
      failures.push_back(berry_errc::unavailable);
      continue;
    }
    due[wid] = berry_errc::none;
    if (s == stage::reserving)
      out.push_back(order_effects::reserve{wid, lines, rec.attempt});
    else if (s == stage::releasing)
      out.push_back(order_effects::release{wid, rec.attempt});
    else if (s == stage::committing)
      out.push_back(order_effects::commit{wid});
    else
      out.push_back(order_effects::restock{wid});
  }
  // One warehouse: paid rides with its sale, one commit where there were
  // two (the sale, then paid). Several: paid once all of them sold.
  paid_at = -1;
  if (s == stage::committing && due.size() == 1 && failures.empty() &&
      compensation == compensation_reason::none) {
    paid_at = now;
    std::get<order_effects::commit>(out.back()).paid_at_ms = now;
  }
  if (due.empty())
    fan_out_done(now, out);
}

void order_saga::on_warehouse(const order_events::warehouse_answered& x,
                              int64_t now, order_effect_list& out) {
  auto i = due.find(x.warehouse_id);
  if (i == due.end())
    return;
  if (at == stage::giving_back) {
    // Restock undoes a commit, release undoes a reservation; each says so
    // (conflict, nothing) when there was nothing to undo.
    auto& restock_error = i->second;
    if (restock_error == berry_errc::none) {
      if (x.error != berry_errc::none) {
        restock_error = x.error;
        out.push_back(order_effects::release{x.warehouse_id, rec.attempt});
        return;
      }
    } else if (x.error != berry_errc::none) {
      failures.push_back(x.error);
    } else if (restock_error != berry_errc::conflict) {
      failures.push_back(restock_error);
    }
  } else if (x.error != berry_errc::none) {
    failures.push_back(x.error);
  }
  due.erase(i);
  if (due.empty())
    fan_out_done(now, out);
}

void order_saga::fan_out_done(int64_t now, order_effect_list& out) {
  switch (at) {
  case stage::reserving:
    if (failures.empty()) {
      reach(order_status::reserved, stage::storing_reserved, now, out);
      return;
    }
    // Something was refused: give back whatever was taken, then plan again
    // (another warehouse may have it) or give up.
    sold_out = std::all_of(failures.begin(), failures.end(), [](auto e) {
      return e == berry_errc::out_of_stock;
    });
    unreached = std::any_of(failures.begin(), failures.end(), [](auto e) {
      return e == berry_errc::unavailable;
    });
    fan_out(stage::releasing, now, out);
    return;
  case stage::releasing:
    if (++plan_attempts < cfg.max_plan_attempts) {
      for (auto& l : rec.lines)
        l.warehouse_id.clear();
      if (unreached && compensation == compensation_reason::none)
        plan_later(out);
      else
        advance(phase::plan, now, out);
      return;
    }
    if (compensation == compensation_reason::none)
      compensation = sold_out ? compensation_reason::out_of_stock
                              : compensation_reason::warehouse_unavailable;
    advance(phase::reserve, now, out);
    return;
  case stage::committing:
    if (failures.empty() && paid_at >= 0) {
      // Stored with the sale: on as if its own write had returned.
      set_status(rec, order_status::paid, paid_at);
      at = stage::storing_paid;
      if (rec.from_cart)
        out.push_back(order_effects::empty_cart{});
      on_journal(now, out);
      return;
    }
    if (failures.empty()) {
      reach(order_status::paid, stage::storing_paid, now, out);
      if (rec.from_cart)
        out.push_back(order_effects::empty_cart{});
      return;
    }
    // A reservation expired under a captured payment: give it all back.
    if (compensation == compensation_reason::none)
      compensation = compensation_reason::reservation_expired;
    advance(phase::commit, now, out);
    return;
  case stage::giving_back:
    if (!failures.empty()) {
      at = stage::compensation_retry;
      out.push_back(order_effects::retry_in{cfg.retry_after});
      return;
    }
    if (compensation != compensation_reason::customer_return)
      rec.cancel_reason = compensation;
    reach(compensation == compensation_reason::customer_return
              ? order_status::returned
              : order_status::cancelled,
          stage::storing_end, now, out);
    return;
  default:
    return;
  }
}

void order_saga::on_payment(const order_events::payment_answered& x,
                            int64_t now, order_effect_list& out) {
  if (at == stage::paying) {
    if (x.error == berry_errc::none) {
      rec.payment_id = x.payment_id;
      advance(phase::commit, now, out);
      return;
    }
    if (compensation == compensation_reason::none)
      compensation = x.error == berry_errc::payment_declined
                         ? compensation_reason::payment_declined
                         : compensation_reason::payment_error;
    advance(phase::pay, now, out);
  } else if (at == stage::refunding) {
    // conflict: there was no capture to refund.
    if (x.error == berry_errc::none || x.error == berry_errc::conflict) {
      fan_out(stage::giving_back, now, out);
      return;
    }
    at = stage::compensation_retry;
    out.push_back(order_effects::retry_in{cfg.retry_after});
  }
}

void order_saga::compensate(int64_t now, order_effect_list& out) {
  // The intent first, so that a restart finishes what was begun.
  if (rec.cancel_reason != compensation) {
    rec.cancel_reason = compensation;
    at = stage::storing_reason;
    out.push_back(
        order_effects::journal{{order_change::kind::reason_recorded, 0}});
    return;
  }
  refund_then_give_back(now, out);
}

void order_saga::refund_then_give_back(int64_t now, order_effect_list& out) {
  if (rec.status == order_status::pending) {
    fan_out(stage::giving_back, now, out);
    return;
  }
  at = stage::refunding;
  out.push_back(order_effects::refund{
      {rec.id + ":refund", rec.id, rec.total, rec.payment_token}});
}

} // namespace berry
