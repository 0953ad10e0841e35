#include "actors/order_router.hpp"

#include <caf/all.hpp>
#include <map>
#include <utility>

#include "actors/order_shards.hpp"
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

/// A question out on a route, until its answer comes.
struct asked_question {
  int shard = 0;
  caf::response_promise rp;
};

struct order_router_state {
  order_router_init init;
  caf::actor local;
  std::set<int> hosted;
  /// The router of the node that hosts each shard, where that is another.
  std::map<int, caf::actor> routes;
  std::map<uint64_t, asked_question> asked;
  uint64_t last_asked = 0;
  static inline const char* name = "order-router";
};

using self_ptr = caf::stateful_actor<order_router_state>*;

caf::error unavailable(const char* why) {
  return caf::make_error(berry_errc::unavailable, why);
}

/// True when the request being handled came from an actor of this node.
bool from_here(self_ptr self) {
  auto& from = self->current_sender();
  return !from || from->node() == self->node();
}

/// Asks the router on `route` (another node's) with `msg`; its answer, or
/// unavailable when it cannot come, goes back to the asker.
caf::response_promise ask_remote(self_ptr self, int shard,
                                 const caf::actor& route, caf::message msg,
                                 std::chrono::milliseconds timeout) {
  auto& st = self->state;
  auto rp = self->make_response_promise();
  auto key = ++st.last_asked;
  st.asked.emplace(key, asked_question{shard, rp});
  auto settle = [=](auto&&... answer) {
    auto& asked = self->state.asked;
    auto it = asked.find(key);
    if (it == asked.end())
      return; // answered unavailable when its route went
    auto out = std::move(it->second.rp);
    asked.erase(it);
    out.deliver(std::forward<decltype(answer)>(answer)...);
  };
  self->request(route, timeout, std::move(msg))
      .then([=](order_record& rec) { settle(std::move(rec)); },
            [=](caf::error& err) {
              if (err == caf::sec::request_timeout ||
                  err == caf::sec::request_receiver_down)
                settle(unavailable("the order's node did not answer"));
              else
                settle(std::move(err));
            });
  return rp;
}

/// Sends `msg` about order shard `shard` where it is served.
caf::result<order_record> route(self_ptr self, int shard, caf::message msg,
                                std::chrono::milliseconds timeout) {
  auto& st = self->state;
  if (st.hosted.count(shard) > 0) {
    auto rp = self->make_response_promise();
    rp.delegate(st.local, std::move(msg));
    return rp;
  }
  auto r = st.routes.find(shard);
  if (r == st.routes.end() || !from_here(self))
    return unavailable("the order's node is not reachable from this node");
  return ask_remote(self, shard, r->second, std::move(msg), timeout);
}

/// Every question out on the old route of `shard` is answered unavailable.
void set_route(self_ptr self, int shard, caf::actor to) {
  auto& st = self->state;
  auto& routes = st.routes;
  auto old = routes.find(shard);
  if (old != routes.end() && old->second == to)
    return;
  if (to)
    routes[shard] = std::move(to);
  else if (old != routes.end())
    routes.erase(old);
  for (auto it = st.asked.begin(); it != st.asked.end();) {
    if (it->second.shard != shard) {
      ++it;
      continue;
    }
    it->second.rp.deliver(unavailable("the order's node went away"));
    it = st.asked.erase(it);
  }
}

caf::result<order_record> route_checkout(self_ptr self, checkout_request& req) {
  auto& st = self->state;
  if (!st.hosted.empty() || !from_here(self)) {
    // Here, or refused here by the manager (a node that hosts none).
    auto rp = self->make_response_promise();
    rp.delegate(st.local, checkout_atom_v, std::move(req));
    return rp;
  }
  std::set<int> routed;
  for (auto& [shard, to] : st.routes)
    routed.insert(shard);
  auto shard = checkout_shard(req.user_id, routed);
  if (!shard)
    return unavailable("no node that runs orders is reachable; try again");
  return ask_remote(self, *shard, st.routes.at(*shard),
                    caf::make_message(checkout_atom_v, std::move(req)),
                    st.init.checkout_timeout);
}

caf::behavior order_router(self_ptr self, order_router_init init) {
  auto& st = self->state;
  st.local = caf::actor_cast<caf::actor>(init.local);
  st.init = std::move(init);
  self->set_exit_handler([=](caf::exit_msg& msg) {
    self->send_exit(self->state.local, msg.reason);
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
      [=](checkout_atom, checkout_request& req) {
        return route_checkout(self, req);
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
      [=](list_atom a,
          const std::string& user) -> caf::result<std::vector<order_record>> {
        auto rp = self->make_response_promise();
        rp.delegate(self->state.local, a, user);
        return rp;
      },
      [=](order_host_atom a, int32_t shard, int64_t key, int64_t epoch) {
        self->state.hosted.insert(shard);
        self->send(self->state.local, a, shard, key, epoch);
      },
      [=](order_unhost_atom a, int32_t shard) {
        self->state.hosted.erase(shard);
        self->send(self->state.local, a, shard);
      },
      [=](order_route_atom, int32_t shard, caf::actor& to) {
        set_route(self, shard, std::move(to));
      },
  };
}

} // namespace

caf::actor spawn_order_router(caf::actor_system& sys, order_router_init init) {
  return sys.spawn(order_router, std::move(init));
}

} // namespace berry
