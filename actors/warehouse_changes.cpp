// The pure part of a warehouse, continued: applying and undoing decided
// changes, the journal commands that store them, and what the warehouse
// reports.

#include "actors/warehouse.hpp"

#include <set>

namespace berry {

void warehouse_state::apply(const warehouse_change& c) {
  for (auto& d : c.deltas) {
    auto level = get(d.product_id);
    level.on_hand += d.on_hand;
    level.reserved += d.reserved;
    stock[d.product_id] = level;
  }
  if (c.after)
    set_hold(c.order_id, *c.after);
}

void warehouse_state::undo(const warehouse_change& c) {
  // Deltas commute, so taking ours back keeps every later change intact.
  for (auto& d : c.deltas) {
    auto level = get(d.product_id);
    level.on_hand -= d.on_hand;
    level.reserved -= d.reserved;
    stock[d.product_id] = level;
  }
  if (!c.after)
    return;
  auto i = orders.find(c.order_id);
  if (i == orders.end() || i->second.state != c.after->state)
    return;
  if (c.before)
    set_hold(c.order_id, *c.before);
  else
    drop_hold(c.order_id);
}

journal_batch warehouse_state::batch(const warehouse_change& c,
                                     int64_t now_ms) const {
  journal_batch out;
  auto& xs = out.commands;
  // Units a commit takes off the shelf are sold; a restock brings them
  // back unsold.
  bool sale = c.after && (c.after->state == hold_state::committed ||
                          c.after->state == hold_state::restocked);
  for (auto& d : c.deltas)
    xs.emplace_back(stock_changed{d, sale ? -d.on_hand : 0});
  if (c.after) {
    auto& to = *c.after;
    xs.emplace_back(hold_changed{c.order_id, info.id, to.state, to.lines,
                                 to.expires_at_ms, now_ms, to.attempt,
                                 !c.before});
  }
  return out;
}

availability_report warehouse_state::report_all() const {
  availability_report r{info.id, {}};
  r.items.reserve(stock.size());
  for (auto& [id, level] : stock)
    r.items.push_back({id, level.available()});
  return r;
}

availability_report
warehouse_state::report_one(const std::string& product_id) const {
  return {info.id, {{product_id, get(product_id).available()}}};
}

availability_report warehouse_state::report(const warehouse_change& c) const {
  availability_report r{info.id, {}};
  std::set<std::string> seen;
  for (auto& d : c.deltas)
    if (seen.insert(d.product_id).second)
      r.items.push_back({d.product_id, get(d.product_id).available()});
  return r;
}

} // namespace berry
