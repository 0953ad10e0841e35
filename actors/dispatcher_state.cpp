// The pure part of a dispatcher: who takes which delivery, and what happens
// when a courier drops out. No actors here.

#include "actors/dispatcher_state.hpp"

#include "actors/street_route.hpp"

namespace berry {

geo_point delivery_job::first_stop() const {
  return task.pickups.empty() ? task.dropoff : task.pickups.front();
}

void delivery_job::collect_at(geo_point where) {
  task.pickups = {where};
  handover = true;
}

void courier_slot::release() {
  order_id.clear();
  status = courier_state::idle;
  eta_s = -1;
}

courier_status courier_slot::status_of() const {
  auto shown =
      status == courier_state::assigning ? courier_state::to_pickup : status;
  if (!online || down)
    shown = courier_state::offline;
  return {info.id,       info.name, shown,
          info.location, order_id,  order_id.empty() ? -1 : eta_s};
}

geo_point dispatcher_state::last_seen(const std::string& courier_id,
                                      geo_point otherwise) const {
  auto c = couriers.find(courier_id);
  return c != couriers.end() ? c->second.info.location : otherwise;
}

courier_slot* dispatcher_state::choose(const delivery_job& d) {
  if (!d.preferred.empty()) {
    auto i = couriers.find(d.preferred);
    if (i != couriers.end() && i->second.free())
      return &i->second;
  }
  courier_slot* best = nullptr;
  double best_m = 0;
  auto to = d.first_stop();
  for (auto& [id, slot] : couriers) {
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

std::optional<assignment> dispatcher_state::next_assignment() {
  while (!queue.empty()) {
    auto i = deliveries.find(queue.front());
    if (i == deliveries.end() || i->second.at != delivery_stage::queued) {
      queue.pop_front(); // withdrawn or taken meanwhile
      continue;
    }
    auto& d = i->second;
    auto* slot = choose(d);
    if (!slot)
      return std::nullopt;
    // Not the courier who has the parcel: collect it from that one.
    if (d.picked_up && !d.handover && slot->info.id != d.preferred)
      d.collect_at(last_seen(d.preferred, d.task.dropoff));
    queue.pop_front();
    d.at = delivery_stage::assigning;
    d.courier_id = slot->info.id;
    slot->status = courier_state::assigning;
    slot->order_id = d.task.order_id;
    return assignment{&d, slot};
  }
  return std::nullopt;
}

delivery_task dispatcher_state::task_for(const assignment& a) const {
  auto task = a.job->task;
  task.status = a.job->picked_up && !a.job->handover
                    ? order_status::picked_up
                    : order_status::courier_assigned;
  task.courier_id = a.courier->info.id;
  return task;
}

delivery_job* dispatcher_state::accepted(const std::string& order_id,
                                         const std::string& courier_id,
                                         const logistics_params& params) {
  auto i = deliveries.find(order_id);
  auto c = couriers.find(courier_id);
  if (i == deliveries.end() || c == couriers.end() ||
      i->second.courier_id != courier_id)
    return nullptr;
  auto& d = i->second;
  auto& slot = c->second;
  d.at = delivery_stage::carried;
  slot.status =
      d.picked_up ? courier_state::to_dropoff : courier_state::to_pickup;
  d.location = slot.info.location;
  auto stops = d.task.pickups;
  stops.push_back(d.task.dropoff);
  d.eta_s = params.eta_s(travel_m(slot.info.location, stops));
  slot.eta_s = d.eta_s;
  return &d;
}

void dispatcher_state::refused(const std::string& order_id,
                               const std::string& courier_id) {
  release(courier_id, order_id);
  auto i = deliveries.find(order_id);
  if (i != deliveries.end() && i->second.courier_id == courier_id) {
    i->second.at = delivery_stage::queued;
    i->second.courier_id.clear();
    queue.push_front(order_id);
  }
}

void dispatcher_state::resume(delivery_job d) {
  auto id = d.task.order_id;
  d.at = delivery_stage::queued;
  d.latest = d.task.status;
  d.picked_up = d.task.status == order_status::picked_up;
  d.preferred = d.task.courier_id;
  if (d.picked_up) {
    auto c = couriers.find(d.preferred);
    if (c == couriers.end() || !c->second.free()) {
      // The courier holding it is gone: collect it where it was last seen
      // (at the address itself when that courier is unknown).
      d.collect_at(last_seen(d.preferred, d.task.dropoff));
      d.preferred.clear();
    }
  }
  deliveries.emplace(id, std::move(d));
  queue.push_back(id);
}

void dispatcher_state::requeue(const std::string& order_id, geo_point where) {
  auto i = deliveries.find(order_id);
  if (i == deliveries.end())
    return;
  auto& d = i->second;
  if (d.picked_up)
    d.collect_at(where);
  d.at = delivery_stage::queued;
  d.courier_id.clear();
  d.preferred.clear();
  queue.push_front(order_id);
}

void dispatcher_state::drop_out(const std::string& courier_id, geo_point where,
                                bool on_board) {
  auto& slot = couriers[courier_id];
  slot.info.location = where;
  auto order_id = slot.order_id;
  slot.release();
  auto i = deliveries.find(order_id);
  if (order_id.empty() || i == deliveries.end() ||
      i->second.courier_id != courier_id)
    return;
  if (on_board)
    i->second.picked_up = true;
  requeue(order_id, where);
}

void dispatcher_state::release(const std::string& courier_id,
                               const std::string& order_id) {
  auto c = couriers.find(courier_id);
  if (c != couriers.end() && c->second.order_id == order_id)
    c->second.release();
}

} // namespace berry
