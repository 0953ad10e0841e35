#include "actors/order_router.hpp"

#include <caf/all.hpp>
#include <map>
#include <utility>

#include "actors/order_shards.hpp"
#include "actors/waiting_room.hpp"
#include "protocols/errors.hpp"

namespace berry {

std::optional<int> checkout_shard(std::string_view user_id,
                                  const std::set<int>& routed) {
  if (routed.empty())
    return std::nullopt;
  auto it = routed.lower_bound(order_shard_of(user_id));
  return it == routed.end() ? *routed.begin() : *it;
}

namespace {

/// A request that waits for its shard (any shard, for a checkout) to be
/// hosted or routed.
struct parked_request {
  /// The order's shard (a cart's: its user's); -1 for a checkout.
  int shard;
  /// For the cart manager, not the order manager.
  bool cart;
  caf::message msg;
  caf::response_promise rp;
  /// Asked by an actor of this node (may be routed on).
  bool ours;
  std::chrono::milliseconds timeout;
  caf::actor_clock::time_point until;
  /// The route that answered that it no longer serves the shard: the
  /// request waits until the shard's route is another.
  caf::actor avoid = {};
};

/// A question out on a route, until its answer comes; kept whole so that
/// it can be asked again where its shard went.
struct asked_question {
  int shard = 0;
  caf::actor route;
  parked_request req;
};

struct order_router_state {
  order_router_init init;
  caf::actor local;
  caf::actor carts;
  caf::actor tracking;
  std::set<int> hosted;
  /// The router of the node that hosts each shard, where that is another.
  std::map<int, caf::actor> routes;
  /// Shards between owners, whose requests wait (order_wait_atom).
  std::set<int> waiting_for;
  waiting_room<parked_request> parked;
  std::map<uint64_t, asked_question> asked;
  uint64_t last_asked = 0;
  static inline const char* name = "order-router";
};

using router_self = caf::stateful_actor<order_router_state>*;

// Private to the router: answer the requests that waited too long.
using sweep_atom = caf::atom_constant<caf::atom("ordsweep")>;
// Never sent: no answer matches it, so every answer reaches the error
// handler as sec::unexpected_response, carrying the answer itself.
using never_atom = caf::atom_constant<caf::atom("ordnever")>;

/// The user of a checkout message.
const std::string& order_user_of(const caf::message& msg) {
  return msg.get_as<checkout_request>(1).user_id;
}

caf::error unavailable(const char* why) {
  return caf::make_error(berry_errc::unavailable, why);
}

/// True when the request being handled came from an actor of this node.
bool from_here(router_self self) {
  auto& from = self->current_sender();
  return !from || from->node() == self->node();
}

void dispatch(router_self self, parked_request x);

/// The question `key` goes again where its shard is served now (or waits
/// for a route other than the one it was on): the node it went to no
/// longer serves the shard, so it did not answer it. A question asked
/// again waits at most wait_for from now.
void ask_again(router_self self, uint64_t key) {
  auto& asked = self->state.asked;
  auto it = asked.find(key);
  if (it == asked.end())
    return;
  auto x = std::move(it->second.req);
  x.avoid = std::move(it->second.route);
  asked.erase(it);
  x.until = self->clock().now() + self->state.init.wait_for;
  dispatch(self, std::move(x));
}

/// Asks the router on `route` (another node's) with `x`'s message; its
/// answer, or unavailable when it cannot come, goes back to the asker. An
/// answer that the shard moved (that node no longer serves it) asks again
/// where it went.
void ask_remote(router_self self, int shard, const caf::actor& route,
                parked_request x) {
  auto& st = self->state;
  auto key = ++st.last_asked;
  auto msg = x.msg;
  auto timeout = x.timeout;
  st.asked.emplace(key, asked_question{shard, route, std::move(x)});
  auto settle = [=](auto&&... answer) {
    auto& asked = self->state.asked;
    auto it = asked.find(key);
    if (it == asked.end())
      return; // asked again when its route went
    auto out = std::move(it->second.req.rp);
    asked.erase(it);
    out.deliver(std::forward<decltype(answer)>(answer)...);
  };
  self->request(route, timeout, std::move(msg))
      .then([](never_atom) {},
            [=](caf::error& err) {
              if (err == caf::sec::unexpected_response)
                settle(std::move(err.context()));
              else if (is_error(err, berry_errc::shard_moved))
                ask_again(self, key);
              else if (err == caf::sec::request_timeout ||
                       err == caf::sec::request_receiver_down)
                settle(unavailable("the order's node did not answer"));
              else
                settle(std::move(err));
            });
}

/// Serves, routes, parks (while its shard is between owners) or refuses
/// one request. A checkout goes where its user's order shard is served, so
/// that one node decides a user's idempotency keys, unpaid orders and cart;
/// only when that node cannot be reached at all does it go to any node
/// that runs orders.
void dispatch(router_self self, parked_request x) {
  auto& st = self->state;
  bool checkout = x.shard < 0;
  int shard = checkout ? order_shard_of(order_user_of(x.msg)) : x.shard;
  bool track = x.msg.match_element<caf::subscribe_atom>(0);
  auto here = [&] {
    if (track && !st.tracking)
      x.rp.deliver(unavailable("live tracking is off on this node"));
    else
      x.rp.delegate(track    ? st.tracking
                    : x.cart ? st.carts
                             : st.local,
                    std::move(x.msg));
  };
  auto there = [&](int to) {
    if (track) // the owner's tracking gate answers the subscriber itself
      x.rp.delegate(st.routes.at(to), std::move(x.msg));
    else
      ask_remote(self, to, st.routes.at(to), std::move(x));
  };
  // A checkout sent here by another node runs here (one hop; the manager
  // refuses it when it hosts no order shard).
  if (st.hosted.count(shard) > 0 || (checkout && !x.ours))
    return here();
  // Its route, unless that route said it no longer serves the shard: then
  // it waits for another.
  bool avoided = false;
  if (auto r = st.routes.find(shard); x.ours && r != st.routes.end()) {
    if (!x.avoid || r->second != x.avoid)
      return there(shard);
    avoided = true;
  }
  bool wait = avoided || st.waiting_for.count(shard) > 0;
  if (checkout && !wait) {
    if (!st.hosted.empty())
      return here();
    std::set<int> routed;
    for (auto& [s, r] : st.routes)
      routed.insert(s);
    if (auto to = checkout_shard(order_user_of(x.msg), routed))
      return there(*to);
    wait = !st.waiting_for.empty();
  }
  auto now = self->clock().now();
  if (wait && !st.parked.full() && x.until > now) {
    if (auto sweep_in = st.parked.hold(std::move(x), now))
      self->delayed_send(self, *sweep_in, sweep_atom::value);
    return;
  }
  // Asked by another node for a shard not served here (any more): it asks
  // again where the shard went.
  if (!x.ours)
    x.rp.deliver(caf::make_error(berry_errc::shard_moved,
                                 "this node no longer serves the order's "
                                 "shard"));
  else
    x.rp.deliver(unavailable(checkout ? "no node that runs orders is "
                                        "reachable; try again"
                                      : "the order's node is not reachable "
                                        "from this node"));
}

/// Something changed: what waits goes on, in the order it came.
void release_parked(router_self self) {
  for (auto& x : self->state.parked.take_all())
    dispatch(self, std::move(x));
}

/// Answers unavailable what waited its wait_for out.
void sweep(router_self self) {
  auto next =
      self->state.parked.sweep(self->clock().now(), [](parked_request& x) {
        x.rp.deliver(
            unavailable("the order's shard found no node in time; try again"));
      });
  if (next)
    self->delayed_send(self, *next, sweep_atom::value);
}

/// Sends `msg` about order shard `shard` (-1: a checkout) where it is
/// served.
caf::response_promise route(router_self self, int shard, caf::message msg,
                            std::chrono::milliseconds timeout,
                            bool cart = false) {
  auto rp = self->make_response_promise();
  dispatch(self, {shard, cart, std::move(msg), rp, from_here(self), timeout,
                  self->clock().now() + self->state.init.wait_for});
  return rp;
}

/// Sends `msg` about the cart of `user` where the user's shard is served.
caf::response_promise route_cart(router_self self, const std::string& user,
                                 caf::message msg) {
  if (!self->state.carts) {
    auto rp = self->make_response_promise();
    rp.deliver(unavailable("this node routes no carts"));
    return rp;
  }
  return route(self, order_shard_of(user), std::move(msg),
               self->state.init.remote_timeout, true);
}

/// Every question out on the old route of `shard` is asked again where
/// the shard is served now (or waits for it): the node it went to answers
/// nothing more once it no longer serves the shard.
void set_route(router_self self, int shard, caf::actor to) {
  auto& st = self->state;
  auto& routes = st.routes;
  auto old = routes.find(shard);
  if (old != routes.end() && old->second == to)
    return;
  if (to)
    routes[shard] = std::move(to);
  else if (old != routes.end())
    routes.erase(old);
  std::vector<uint64_t> again;
  for (auto& [key, q] : st.asked)
    if (q.shard == shard)
      again.push_back(key);
  release_parked(self);
  for (auto key : again)
    ask_again(self, key);
}

caf::behavior order_router(router_self self, order_router_init init) {
  auto& st = self->state;
  st.init = std::move(init);
  st.local = st.init.local ? caf::actor_cast<caf::actor>(st.init.local)
                           : caf::actor_cast<caf::actor>(st.init.start_local(
                                 caf::actor_cast<caf::actor>(self)));
  st.carts = caf::actor_cast<caf::actor>(st.init.carts);
  st.tracking = st.init.tracking;
  st.parked.set_capacity(st.init.max_waiting);
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& x : self->state.parked.take_all())
      x.rp.deliver(unavailable("this node is stopping; try again"));
    self->send_exit(self->state.local, msg.reason);
    if (self->state.carts)
      self->send_exit(self->state.carts, msg.reason);
    self->quit(msg.reason);
  });
  auto by_order = [=](auto atom, const std::string& user, const std::string& id,
                      std::chrono::milliseconds timeout) {
    return route(self, order_shard_of(id), caf::make_message(atom, user, id),
                 timeout);
  };
  auto quick = st.init.remote_timeout;
  auto slow = st.init.checkout_timeout;
  return {
      [=](checkout_atom a, checkout_request& req) {
        return route(self, -1, caf::make_message(a, std::move(req)), slow);
      },
      [=](wait_atom a, const std::string& user, const std::string& id) {
        return by_order(a, user, id, slow);
      },
      [=](caf::get_atom a, const std::string& user, const std::string& id) {
        return by_order(a, user, id, quick);
      },
      [=](cancel_atom a, const std::string& user, const std::string& id) {
        return by_order(a, user, id, quick);
      },
      [=](return_atom a, const std::string& user, const std::string& id) {
        return by_order(a, user, id, quick);
      },
      [=](caf::subscribe_atom a, const std::string& id,
          const caf::actor& who) -> caf::result<caf::actor> {
        return route(self, order_shard_of(id), caf::make_message(a, id, who),
                     quick);
      },
      [=](list_atom a,
          const std::string& user) -> caf::result<std::vector<order_record>> {
        auto rp = self->make_response_promise();
        rp.delegate(self->state.local, a, user);
        return rp;
      },
      [=](order_host_atom a, int32_t shard, int64_t key, int64_t epoch) {
        self->state.hosted.insert(shard);
        self->send(self->state.local, a, shard, key, epoch);
        release_parked(self);
      },
      [=](order_unhost_atom a, int32_t shard) {
        self->state.hosted.erase(shard);
        self->send(self->state.local, a, shard);
        if (self->state.carts)
          self->send(self->state.carts, a, shard);
        if (self->state.tracking)
          self->send(self->state.tracking, a, shard);
      },
      [=](caf::get_atom a, const std::string& user) {
        return route_cart(self, user, caf::make_message(a, user));
      },
      [=](caf::put_atom a, const std::string& user, const std::string& product,
          int32_t qty) {
        return route_cart(self, user, caf::make_message(a, user, product, qty));
      },
      [=](caf::delete_atom a, const std::string& user) {
        return route_cart(self, user, caf::make_message(a, user));
      },
      [=](order_route_atom, int32_t shard, caf::actor& to) {
        set_route(self, shard, std::move(to));
      },
      [=](order_wait_atom, int32_t shard, bool wait) {
        if (wait)
          self->state.waiting_for.insert(shard);
        else
          self->state.waiting_for.erase(shard);
        release_parked(self);
      },
      [=](sweep_atom) { sweep(self); },
  };
}

} // namespace

caf::actor spawn_order_router(caf::actor_system& sys, order_router_init init) {
  return sys.spawn(order_router, std::move(init));
}

} // namespace berry
