// The pure part of a warehouse, continued: the holds it keeps in memory.
// Reserved holds stay until they settle, indexed by expiry so that the next
// expiry is the first entry and expiring costs what is due; settled holds
// leave once stored, and come back from storage when their order does.

#include "actors/warehouse.hpp"

namespace berry {

namespace {

bool is_reserved(const order_hold& h) {
  return h.state == hold_state::reserved;
}

} // namespace

void warehouse_state::set_hold(const std::string& order_id, order_hold h) {
  auto [i, added] = orders.try_emplace(order_id);
  if (!added && is_reserved(i->second))
    expiry.erase({i->second.expires_at_ms, order_id});
  i->second = std::move(h);
  if (is_reserved(i->second))
    expiry.emplace(i->second.expires_at_ms, order_id);
}

void warehouse_state::drop_hold(const std::string& order_id) {
  auto i = orders.find(order_id);
  if (i == orders.end())
    return;
  if (is_reserved(i->second))
    expiry.erase({i->second.expires_at_ms, order_id});
  orders.erase(i);
}

void warehouse_state::resume(const std::vector<stored_hold>& live) {
  for (auto& h : live)
    set_hold(h.order_id, h.hold);
}

void warehouse_state::recall(const std::string& order_id, order_hold h) {
  if (orders.count(order_id) == 0)
    set_hold(order_id, std::move(h));
}

bool warehouse_state::forget(const std::string& order_id) {
  auto i = orders.find(order_id);
  if (i == orders.end() || is_reserved(i->second))
    return false;
  orders.erase(i);
  return true;
}

reservation warehouse_state::reservation_of(const std::string& order_id) const {
  reservation r{order_id, info.id, {}, 0};
  auto i = orders.find(order_id);
  if (i != orders.end()) {
    r.lines = i->second.lines;
    r.expires_at_ms = i->second.expires_at_ms;
  }
  return r;
}

std::vector<std::string> warehouse_state::due(int64_t now_ms) const {
  std::vector<std::string> out;
  for (auto i = expiry.begin(); i != expiry.end() && i->first <= now_ms; ++i)
    out.push_back(i->second);
  return out;
}

std::optional<int64_t> warehouse_state::next_expiry() const {
  if (expiry.empty())
    return std::nullopt;
  return expiry.begin()->first;
}

} // namespace berry
