// The pure part of a warehouse: decisions, apply/undo and the journal
// commands that store them. No actors here;
// tests/actors/warehouse_state_test.cpp drives it directly.

#include "actors/warehouse.hpp"

#include <algorithm>

#include "storage/stock_repo.hpp"

namespace berry {

namespace {

/// One line per product, quantities summed, in the order first seen.
std::vector<order_line> merged(const std::vector<order_line>& lines,
                               const std::string& warehouse_id) {
  std::vector<order_line> out;
  for (auto& l : lines) {
    auto same = [&](const order_line& o) {
      return o.product_id == l.product_id;
    };
    auto i = std::find_if(out.begin(), out.end(), same);
    if (i == out.end()) {
      out.push_back(l);
      out.back().warehouse_id = warehouse_id;
    } else {
      i->qty += l.qty;
    }
  }
  return out;
}

warehouse_decision warehouse_refuse(berry_errc code, std::string detail) {
  return {code, std::move(detail), {}};
}

/// Nothing to do for this order: an idempotent repeat.
warehouse_decision nothing(const std::string& order_id) {
  warehouse_decision d;
  d.change.order_id = order_id;
  return d;
}

/// The hold of `order_id` moves to `state`, with `sign_on_hand` and
/// `sign_reserved` times each line's qty added to the stock.
warehouse_decision transition(const std::string& warehouse_id,
                              const std::string& order_id,
                              const order_hold& from, hold_state state,
                              int sign_on_hand, int sign_reserved,
                              bool keep_lines) {
  warehouse_decision d;
  auto& c = d.change;
  c.order_id = order_id;
  c.before = from;
  for (auto& l : from.lines)
    c.deltas.push_back({warehouse_id, l.product_id, sign_on_hand * l.qty,
                        sign_reserved * l.qty});
  order_hold to;
  to.state = state;
  to.attempt = from.attempt;
  if (keep_lines) {
    to.lines = from.lines;
    to.expires_at_ms = from.expires_at_ms;
  }
  c.after = std::move(to);
  return d;
}

} // namespace

stock_level warehouse_state::get(const std::string& product_id) const {
  auto i = stock.find(product_id);
  if (i != stock.end())
    return i->second;
  return stock_level{info.id, product_id, 0, 0};
}

berry_errc warehouse_state::check_on_hand(const std::string& product_id,
                                          int64_t on_hand) const {
  if (on_hand < 0)
    return berry_errc::validation;
  if (on_hand < get(product_id).reserved)
    return berry_errc::conflict;
  return berry_errc::none;
}

stock_level warehouse_state::set_on_hand(const std::string& product_id,
                                         int64_t on_hand) {
  auto level = get(product_id);
  level.on_hand = on_hand;
  stock[product_id] = level;
  return level;
}

warehouse_decision
warehouse_state::decide_on_hand(const std::string& product_id,
                                int64_t on_hand) const {
  auto level = get(product_id);
  switch (check_on_hand(product_id, on_hand)) {
  case berry_errc::validation:
    return warehouse_refuse(berry_errc::validation,
                            "on_hand must be at least 0");
  case berry_errc::conflict:
    return warehouse_refuse(berry_errc::conflict,
                            product_id + ": " + std::to_string(level.reserved) +
                                " units are reserved");
  default:
    break;
  }
  warehouse_decision d;
  d.change.deltas.push_back({info.id, product_id, on_hand - level.on_hand, 0});
  return d;
}

warehouse_decision
warehouse_state::decide_reserve(const reserve_request& r,
                                int64_t expires_at_ms) const {
  if (r.order_id.empty())
    return warehouse_refuse(berry_errc::validation,
                            "a reservation needs an order id");
  auto i = orders.find(r.order_id);
  if (i != orders.end()) {
    auto& st = i->second.state;
    if (st == hold_state::reserved || st == hold_state::committed)
      return nothing(r.order_id);
    if (st == hold_state::restocked)
      return warehouse_refuse(berry_errc::conflict,
                              r.order_id + " already gave its units back");
    auto released = i->second.attempt;
    if (st == hold_state::released && released > 0 && r.attempt <= released)
      return warehouse_refuse(
          berry_errc::conflict,
          r.order_id + ": attempt " + std::to_string(r.attempt) +
              " came after the release of attempt " + std::to_string(released));
  }
  auto lines = merged(r.lines, info.id);
  if (lines.empty())
    return warehouse_refuse(berry_errc::validation,
                            "a reservation needs lines");
  for (auto& l : lines) {
    if (l.qty <= 0)
      return warehouse_refuse(berry_errc::validation,
                              l.product_id + ": qty must be positive");
    auto left = get(l.product_id).available();
    if (left < l.qty)
      return warehouse_refuse(berry_errc::out_of_stock,
                              l.product_id + ": " + std::to_string(left) +
                                  " left");
  }
  order_hold from;
  if (i != orders.end())
    from = i->second;
  from.lines = std::move(lines);
  from.expires_at_ms = expires_at_ms;
  from.attempt = std::max(from.attempt, r.attempt);
  auto d =
      transition(info.id, r.order_id, from, hold_state::reserved, 0, 1, true);
  if (i != orders.end())
    d.change.before = i->second;
  else
    d.change.before.reset();
  return d;
}

warehouse_decision warehouse_state::decide_commit(const std::string& order_id,
                                                  int64_t now_ms) const {
  auto i = orders.find(order_id);
  if (i == orders.end())
    return warehouse_refuse(berry_errc::not_found,
                            "no reservation of " + order_id + " in " + info.id);
  auto& h = i->second;
  if (h.state == hold_state::committed)
    return nothing(order_id);
  if (h.state != hold_state::reserved || h.expires_at_ms <= now_ms)
    return warehouse_refuse(berry_errc::conflict,
                            "the reservation of " + order_id +
                                " expired or was released");
  return transition(info.id, order_id, h, hold_state::committed, -1, -1, true);
}

warehouse_decision warehouse_state::decide_release(const std::string& order_id,
                                                   int64_t attempt) const {
  auto i = orders.find(order_id);
  bool held = i != orders.end();
  if (held && i->second.state == hold_state::reserved) {
    if (attempt > 0 && i->second.attempt > attempt)
      return nothing(order_id); // a stale release: a later plan holds it
    auto d = transition(info.id, order_id, i->second, hold_state::released, 0,
                        -1, false);
    d.change.after->attempt = std::max(attempt, i->second.attempt);
    return d;
  }
  // Nothing held: remember the release of this attempt (in memory, then in
  // storage), so that its reserve, delayed by a takeover, holds nothing.
  if (attempt <= 0 || (held && (i->second.state != hold_state::released ||
                                i->second.attempt >= attempt)))
    return nothing(order_id);
  warehouse_decision d;
  d.change.order_id = order_id;
  if (held)
    d.change.before = i->second;
  order_hold to;
  to.state = hold_state::released;
  to.attempt = attempt;
  d.change.after = std::move(to);
  return d;
}

warehouse_decision warehouse_state::decide_expire(const std::string& order_id,
                                                  int64_t now_ms) const {
  auto i = orders.find(order_id);
  if (i == orders.end() || i->second.state != hold_state::reserved ||
      i->second.expires_at_ms > now_ms)
    return nothing(order_id);
  return decide_release(order_id);
}

warehouse_decision
warehouse_state::decide_restock(const std::string& order_id) const {
  auto i = orders.find(order_id);
  if (i != orders.end() && i->second.state == hold_state::restocked)
    return nothing(order_id);
  if (i == orders.end() || i->second.state != hold_state::committed)
    return warehouse_refuse(berry_errc::conflict,
                            order_id + " was not committed in " + info.id);
  return transition(info.id, order_id, i->second, hold_state::restocked, 1, 0,
                    false);
}

} // namespace berry
