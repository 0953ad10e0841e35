#include "actors/order_state.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace berry {

double distance_m(geo_point a, geo_point b) {
  constexpr double earth_radius_m = 6371000.0;
  constexpr double rad = M_PI / 180.0;
  double dlat = (b.lat - a.lat) * rad;
  double dlon = (b.lon - a.lon) * rad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.lat * rad) * std::cos(b.lat * rad) *
                 std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

int64_t available_units(const stock_map& avail, const std::string& warehouse,
                        const std::string& product) {
  auto w = avail.find(warehouse);
  if (w == avail.end())
    return 0;
  auto p = w->second.find(product);
  return p == w->second.end() ? 0 : p->second;
}

std::optional<std::vector<order_line>>
plan_warehouses(const std::vector<order_line>& lines,
                const std::vector<warehouse_info>& warehouses,
                const stock_map& avail, geo_point to) {
  // Nearest first; ties by id, so the plan is the same every time. Each
  // distance once (the comparison computed two per step of the sort).
  std::vector<std::pair<double, const warehouse_info*>> near;
  near.reserve(warehouses.size());
  for (auto& w : warehouses)
    near.emplace_back(distance_m(w.location, to), &w);
  std::sort(near.begin(), near.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->id < b.second->id;
  });
  std::vector<const warehouse_info*> by_distance;
  by_distance.reserve(near.size());
  for (auto& [d, w] : near)
    by_distance.push_back(w);
  // Quantities per product: a product may come in several lines.
  std::map<std::string, int64_t> wanted;
  for (auto& l : lines)
    wanted[l.product_id] += l.qty;
  for (auto* w : by_distance) {
    bool holds_all = std::all_of(wanted.begin(), wanted.end(), [&](auto& kv) {
      return available_units(avail, w->id, kv.first) >= kv.second;
    });
    if (holds_all) {
      auto out = lines;
      for (auto& l : out)
        l.warehouse_id = w->id;
      return out;
    }
  }
  // Split: each line from the nearest warehouses that still hold some.
  stock_map left = avail;
  std::vector<order_line> out;
  for (auto& l : lines) {
    int64_t need = l.qty;
    for (auto* w : by_distance) {
      if (need == 0)
        break;
      auto& have = left[w->id][l.product_id];
      auto take = std::min<int64_t>(need, std::max<int64_t>(have, 0));
      if (take == 0)
        continue;
      have -= take;
      need -= take;
      out.push_back(
          {l.product_id, static_cast<int32_t>(take), l.unit_price, w->id});
    }
    if (need > 0)
      return std::nullopt;
  }
  return out;
}

std::map<std::string, std::vector<order_line>>
lines_by_warehouse(const std::vector<order_line>& lines) {
  std::map<std::string, std::vector<order_line>> out;
  for (auto& l : lines)
    if (!l.warehouse_id.empty())
      out[l.warehouse_id].push_back(l);
  return out;
}

bool checkout_over(const order_record& x) {
  return x.status != order_status::pending &&
         x.status != order_status::reserved;
}

bool reached(const order_record& x, order_status status) {
  return std::any_of(
      x.history.begin(), x.history.end(),
      [&](const status_change& h) { return h.status == status; });
}

bool cancellable(const order_record& x) {
  switch (x.status) {
  case order_status::pending:
  case order_status::reserved:
  case order_status::paid:
  case order_status::packed:
  case order_status::courier_assigned:
    return true;
  default:
    return false;
  }
}

berry_errc cancel_from_storage(const order_record& stored) {
  if (stored.status == order_status::cancelled)
    return berry_errc::none;
  return cancellable(stored) ? berry_errc::unavailable : berry_errc::conflict;
}

void set_status(order_record& x, order_status status, int64_t now_ms) {
  x.status = status;
  x.history.push_back({status, now_ms});
}

checkout_failure checkout_failure_of(const order_record& x) {
  if (reached(x, order_status::paid) || x.status != order_status::cancelled)
    return {};
  switch (x.cancel_reason) {
  case compensation_reason::out_of_stock:
    return {berry_errc::out_of_stock,
            "some line cannot be reserved; nothing was charged"};
  case compensation_reason::payment_declined:
    return {berry_errc::payment_declined,
            "the payment was declined; the reservation is released"};
  case compensation_reason::customer:
    return {berry_errc::conflict, "the order was cancelled"};
  default:
    return {berry_errc::unavailable,
            std::string{"the order could not be completed ("} +
                to_string(x.cancel_reason) + ")"};
  }
}

order_status_changed status_command(const order_record& x, size_t index) {
  order_status_changed out;
  out.order_id = x.id;
  out.entry = x.history.at(index);
  out.payment_id = x.payment_id;
  out.cancel_reason = x.cancel_reason;
  out.courier_id = x.courier_id;
  out.courier_location = x.courier_location;
  out.eta_s = x.eta_s;
  return out;
}

journal_batch compensation_commands(const order_record& x,
                                    compensation_reason reason) {
  journal_batch out;
  auto unplanned = [](const order_line& l) { return l.warehouse_id.empty(); };
  if (std::any_of(x.lines.begin(), x.lines.end(), unplanned))
    out.commands.emplace_back(order_lines_planned{x.id, x.lines, x.attempt});
  out.commands.emplace_back(order_cancel_reason_set{x.id, reason});
  return out;
}

} // namespace berry
