#include "actors/dispatch_front.hpp"

#include <map>
#include <set>

#include <caf/all.hpp>

#include "protocols/interfaces.hpp"

namespace berry {

namespace {

// Private to the front: hand a delivery over again, after a refusal.
using front_retry_atom = caf::atom_constant<caf::atom("dfretry")>;

/// The pause before a refused hand-over is tried again (as an order's saga
/// does), and how long the gate may take to answer one.
constexpr std::chrono::milliseconds retry_after{1000};
constexpr std::chrono::milliseconds hand_timeout{5000};

/// A delivery an order of this node handed over, as far as the front knows.
struct handed {
  caf::actor order;
  /// The order's task, its status and courier brought up to date by the
  /// dispatcher's events: what a new dispatcher is to go on with.
  delivery_task task;
  /// A hand-over of the front's own is on its way (or due).
  bool again = false;
};

struct front_state {
  caf::actor gate;
  std::map<std::string, handed> deliveries;
  /// The order id of each order actor watched.
  std::map<caf::actor_addr, std::string> orders;
  /// The dispatchers the events came from, watched.
  std::set<caf::actor_addr> dispatchers;
  static inline const char* name = "dispatch-front";
};

using front_self = caf::stateful_actor<front_state>*;

/// The front takes the order's place towards the dispatcher: its events
/// come here, so that the front sees which dispatcher runs the delivery.
caf::actor me(front_self self) {
  return caf::actor_cast<caf::actor>(self);
}

/// Hands the delivery of `id` to the dispatcher again, on the order's
/// behalf, until it is taken (or the order is gone).
void hand_again(front_self self, const std::string& id) {
  auto& st = self->state;
  auto i = st.deliveries.find(id);
  if (i == st.deliveries.end() || i->second.again)
    return;
  i->second.again = true;
  self->request(st.gate, hand_timeout, dispatch_atom_v, i->second.task,
                me(self))
      .then(
          [=](bool) {
            auto j = self->state.deliveries.find(id);
            if (j != self->state.deliveries.end())
              j->second.again = false;
          },
          [=](caf::error&) {
            // The shard is between owners: try again shortly.
            self->delayed_send(self, retry_after, front_retry_atom::value, id);
          });
}

/// Forgets the delivery `i` (delivered, withdrawn, or its order gone) and
/// stops watching its order.
void forget(front_self self, std::map<std::string, handed>::iterator i) {
  auto& st = self->state;
  if (auto& order = i->second.order) {
    st.orders.erase(order.address());
    self->demonitor(order);
  }
  st.deliveries.erase(i);
}

/// An order hands its delivery over (first, or again on its timer).
caf::result<bool> take(front_self self, delivery_task& task) {
  auto& st = self->state;
  auto order = caf::actor_cast<caf::actor>(self->current_sender());
  auto& h = st.deliveries[task.order_id];
  if (order && h.order != order) {
    if (h.order) {
      // The order started again: the new actor is the one to tell.
      st.orders.erase(h.order.address());
      self->demonitor(h.order);
    }
    h.order = order;
    self->monitor(order);
    st.orders[order.address()] = task.order_id;
  }
  // The order's record may lag behind the events already passed on.
  if (task.status < h.task.status) {
    task.status = h.task.status;
    task.courier_id = h.task.courier_id;
  }
  h.task = task;
  auto rp = self->make_response_promise();
  rp.delegate(st.gate, dispatch_atom_v, std::move(task), me(self));
  return rp;
}

/// An event from the dispatcher: passed on to the order, and remembered.
void pass_on(front_self self, delivery_event& ev) {
  auto& st = self->state;
  if (auto from = caf::actor_cast<caf::actor>(self->current_sender());
      from && st.dispatchers.insert(from.address()).second)
    self->monitor(from);
  auto i = st.deliveries.find(ev.order_id);
  if (i == st.deliveries.end())
    return;
  auto& h = i->second;
  auto& task = h.task;
  if (ev.status > task.status && ev.status < order_status::delivered)
    task.status = ev.status;
  if (!ev.courier_id.empty() && task.status >= order_status::courier_assigned)
    task.courier_id = ev.courier_id;
  auto order = h.order;
  if (ev.status == order_status::delivered)
    forget(self, i);
  if (order)
    self->send(order, delivery_atom_v, std::move(ev));
}

/// An order withdraws its delivery; once withdrawn, the front forgets it.
caf::result<bool> withdraw(front_self self, const std::string& order_id) {
  auto rp = self->make_response_promise<bool>();
  self->request(self->state.gate, caf::infinite, cancel_atom_v, order_id)
      .then(
          [=](bool ok) mutable {
            auto& st = self->state;
            auto i = st.deliveries.find(order_id);
            if (ok && i != st.deliveries.end())
              forget(self, i);
            rp.deliver(ok);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// An order went away (finished, or its shard moved): forget its delivery.
/// A dispatcher went away (its node died, its shard moved, it crashed):
/// every delivery goes to the shard's owner again now, not on the orders'
/// timers.
void on_down(front_self self, const caf::down_msg& msg) {
  auto& st = self->state;
  if (auto o = st.orders.find(msg.source); o != st.orders.end()) {
    if (auto i = st.deliveries.find(o->second); i != st.deliveries.end())
      forget(self, i);
    else
      st.orders.erase(o);
    return;
  }
  if (st.dispatchers.erase(msg.source) == 0)
    return;
  // hand_again adds and removes no delivery: the loop may call it.
  for (auto& [id, h] : st.deliveries) {
    h.again = false;
    hand_again(self, id);
  }
}

caf::behavior dispatch_front(front_self self, caf::actor gate) {
  self->state.gate = gate;
  // Ends with the gate (the node stops both).
  self->link_to(gate);
  self->set_down_handler([=](caf::down_msg& msg) { on_down(self, msg); });
  self->set_default_handler(
      [=](caf::scheduled_actor*,
          caf::message_view& view) -> caf::result<caf::message> {
        auto rp = self->make_response_promise();
        rp.delegate(gate, view.move_content_to_message());
        return rp;
      });
  return {
      [=](dispatch_atom, delivery_task& task) { return take(self, task); },
      [=](delivery_atom, delivery_event& ev) { pass_on(self, ev); },
      [=](cancel_atom, const std::string& order_id) {
        return withdraw(self, order_id);
      },
      [=](front_retry_atom, const std::string& id) {
        auto i = self->state.deliveries.find(id);
        if (i == self->state.deliveries.end())
          return;
        i->second.again = false;
        hand_again(self, id);
      },
  };
}

} // namespace

std::string dispatch_shard_id(const std::string& city_id) {
  return "couriers/" + city_id;
}

caf::actor spawn_dispatch_front(caf::actor_system& sys, caf::actor gate) {
  return sys.spawn(dispatch_front, std::move(gate));
}

} // namespace berry
