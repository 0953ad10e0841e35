#include "actors/order_router.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "actors/order_shards.hpp"
#include "fixture.hpp"
#include "protocols/errors.hpp"

// A cluster node's order router (issue 14): an order's requests go to this
// node's manager while the node hosts the order's shard, to the router of
// the node that hosts it while there is a route, and are answered
// unavailable at once otherwise. Across real nodes: cluster_orders_test.cpp.

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

/// What a fake manager or remote router was asked.
struct journal_of_calls {
  std::vector<std::string> seen;
};

/// Answers get and checkout with an order whose id names `who`; never
/// answers a cancel; notes every host and unhost.
caf::behavior fake_orders(caf::event_based_actor* self, std::string who,
                          std::shared_ptr<journal_of_calls> calls) {
  auto rec = [who](const std::string& id) {
    order_record r;
    r.id = who + ":" + id;
    return r;
  };
  return {
      [=](caf::get_atom, const std::string&, const std::string& id) {
        return rec(id);
      },
      [=](checkout_atom, const checkout_request& req) {
        return rec("new-" + req.user_id);
      },
      [=](cancel_atom, const std::string&, const std::string&) {
        return self->make_response_promise<order_record>();
      },
      [=](list_atom, const std::string& user) {
        return std::vector<order_record>{rec(user)};
      },
      [=](order_host_atom, int32_t shard, int64_t, int64_t epoch) {
        calls->seen.push_back("host " + std::to_string(shard) + "@" +
                              std::to_string(epoch));
      },
      [=](order_unhost_atom, int32_t shard) {
        calls->seen.push_back("unhost " + std::to_string(shard));
      },
      // As the cart manager: one line naming who answered.
      [=](caf::get_atom, const std::string& user) {
        return std::vector<cart_line>{{who + ":" + user, 1}};
      },
  };
}

/// A router that no longer serves any shard (its node let go of them):
/// answers every question so, and counts them.
caf::behavior moved_orders(caf::event_based_actor*,
                           std::shared_ptr<int> asked) {
  return {
      [=](caf::get_atom, const std::string&,
          const std::string&) -> caf::result<order_record> {
        ++*asked;
        return caf::make_error(berry_errc::shard_moved,
                               "this node no longer serves the order's shard");
      },
  };
}

/// A router whose node is gone without a word: asked, it never answers.
caf::behavior silent_orders(caf::event_based_actor* self) {
  return {
      [=](caf::get_atom, const std::string&, const std::string&) {
        return self->make_response_promise<order_record>();
      },
  };
}

// Orders of three different shards.
const std::string x = "o-0000000000000000"; // shard 13
const std::string y = "o-8f3a2c1d4e5b6a70"; // shard 11
const std::string z = "o-ffffffffffffffff"; // shard 6

struct router_fixture : actor_fixture {
  std::shared_ptr<journal_of_calls> local_calls =
      std::make_shared<journal_of_calls>();
  caf::actor local = sys.spawn(fake_orders, "local", local_calls);
  caf::actor remote =
      sys.spawn(fake_orders, "remote", std::make_shared<journal_of_calls>());
  caf::actor router = spawn_order_router(sys, [this] {
    order_router_init init;
    init.local = caf::actor_cast<order_manager_actor>(local);
    init.carts = caf::actor_cast<cart_manager_actor>(local);
    init.remote_timeout = 500ms;
    init.wait_for = 300ms;
    return init;
  }());

  /// What the router answers to `xs...`: the order's id, or the error.
  template <class... Ts>
  std::pair<std::string, caf::error> ask(Ts... xs) {
    auto out = std::make_shared<std::pair<std::string, caf::error>>();
    sys.spawn([=, r = router](caf::event_based_actor* self) {
      self->request(r, caf::infinite, xs...)
          .then([=](order_record& rec) { out->first = rec.id; },
                [=](caf::error& e) { out->second = std::move(e); });
    });
    sched.run();
    last = out;
    return *out;
  }
  std::shared_ptr<std::pair<std::string, caf::error>> last;

  std::pair<std::string, caf::error> get(const std::string& id) {
    return ask(caf::get_atom_v, std::string{"u-1"}, id);
  }

  std::pair<std::string, caf::error> check_out(const std::string& user) {
    checkout_request req;
    req.user_id = user;
    return ask(checkout_atom_v, req);
  }

  void host(int shard) {
    caf::anon_send(router, order_host_atom::value, int32_t{shard}, int64_t{7},
                   int64_t{100 + shard});
    sched.run();
  }

  void route(int shard, caf::actor to) {
    caf::anon_send(router, order_route_atom::value, int32_t{shard}, to);
    sched.run();
  }

  void wait_for(int shard, bool wait = true) {
    caf::anon_send(router, order_wait_atom::value, int32_t{shard}, wait);
    sched.run();
  }

  ~router_fixture() {
    for (auto& a : {router, local, remote})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    drain();
  }
};

} // namespace

TEST_CASE("the order shards of the test orders are three different ones") {
  CHECK(order_shard_of(x) == 13);
  CHECK(order_shard_of(y) == 11);
  CHECK(order_shard_of(z) == 6);
}

TEST_CASE_METHOD(router_fixture,
                 "a router that hosts no order shard and has no route "
                 "answers unavailable at once") {
  CHECK(is_error(get(x).second, berry_errc::unavailable));
  CHECK(is_error(check_out("u-1").second, berry_errc::unavailable));
}

TEST_CASE_METHOD(router_fixture,
                 "an order of a hosted shard is this node's manager's, which "
                 "heard of the shard first") {
  host(13);
  CHECK(local_calls->seen == std::vector<std::string>{"host 13@113"});
  CHECK(get(x).first == "local:" + x);
  // Another shard's order is not.
  CHECK(is_error(get(y).second, berry_errc::unavailable));
  caf::anon_send(router, order_unhost_atom::value, int32_t{13});
  sched.run();
  CHECK(local_calls->seen.back() == "unhost 13");
  CHECK(is_error(get(x).second, berry_errc::unavailable));
}

TEST_CASE_METHOD(router_fixture,
                 "an order of a shard hosted elsewhere is asked of that "
                 "node's router, and its answer passed on") {
  host(13);
  route(11, remote);
  CHECK(get(y).first == "remote:" + y);
  CHECK(get(x).first == "local:" + x);
  CHECK(is_error(get(z).second, berry_errc::unavailable));
  route(11, caf::actor{});
  CHECK(is_error(get(y).second, berry_errc::unavailable));
}

TEST_CASE_METHOD(router_fixture,
                 "a question out on a route that goes is answered unavailable "
                 "at once, one never answered after the timeout") {
  route(11, remote);
  ask(cancel_atom_v, std::string{"u-1"}, y);
  CHECK(last->first.empty());
  CHECK_FALSE(last->second);
  route(11, caf::actor{});
  CHECK(is_error(last->second, berry_errc::unavailable));
  route(11, remote);
  ask(cancel_atom_v, std::string{"u-1"}, y);
  run_for(400ms);
  CHECK_FALSE(last->second);
  run_for(200ms);
  CHECK(is_error(last->second, berry_errc::unavailable));
}

TEST_CASE_METHOD(router_fixture,
                 "a checkout goes to the node of its user's order shard even "
                 "when this node hosts others; elsewhere only when that node "
                 "cannot be reached; a list is always read here") {
  int mine = order_shard_of("u-1");
  int other = (mine + 1) % order_shard_count;
  // This node hosts none: a node that hosts any shard takes it.
  route(other, remote);
  CHECK(check_out("u-1").first == "remote:new-u-1");
  route(other, caf::actor{});
  host(other);
  route(mine, remote);
  CHECK(check_out("u-1").first == "remote:new-u-1");
  // The user's node went, and its shard is not between owners: here.
  route(mine, caf::actor{});
  CHECK(check_out("u-1").first == "local:new-u-1");
  // Between owners: it waits for the shard's next owner.
  wait_for(mine);
  check_out("u-1");
  CHECK(last->first.empty());
  route(mine, remote);
  CHECK(last->first == "remote:new-u-1");
  host(mine);
  CHECK(check_out("u-1").first == "local:new-u-1");
  auto listed = std::make_shared<std::vector<order_record>>();
  sys.spawn([=, r = router](caf::event_based_actor* self) {
    self->request(r, caf::infinite, list_atom_v, std::string{"u-2"})
        .then([=](std::vector<order_record>& xs) { *listed = xs; });
  });
  sched.run();
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().id == "local:u-2");
}

TEST_CASE_METHOD(router_fixture,
                 "an order whose shard is between owners waits for it to be "
                 "hosted here or routed, at most wait_for") {
  wait_for(13);
  wait_for(11);
  get(x);
  auto for_x = last;
  get(y);
  auto for_y = last;
  CHECK(for_x->first.empty());
  CHECK_FALSE(for_x->second);
  host(13);
  CHECK(for_x->first == "local:" + x);
  route(11, remote);
  CHECK(for_y->first == "remote:" + y);
  // A shard not waited for answers at once; one waited for too long
  // answers unavailable.
  CHECK(is_error(get(z).second, berry_errc::unavailable));
  wait_for(6);
  get(z);
  run_for(250ms);
  CHECK_FALSE(last->second);
  run_for(100ms);
  CHECK(is_error(last->second, berry_errc::unavailable));
}

TEST_CASE_METHOD(router_fixture,
                 "a checkout on a node with no order shard waits while some "
                 "shard is between owners, and runs where one lands") {
  wait_for(4);
  check_out("u-1");
  CHECK(last->first.empty());
  route(4, remote);
  CHECK(last->first == "remote:new-u-1");
  // No longer waited for: refused at once.
  route(4, caf::actor{});
  wait_for(4, false);
  CHECK(is_error(check_out("u-1").second, berry_errc::unavailable));
}

TEST_CASE_METHOD(router_fixture,
                 "a cart is served where its user's order shard is, and the "
                 "cart manager hears when that shard goes") {
  int mine = order_shard_of("u-1");
  auto cart = [&] {
    auto out = std::make_shared<std::pair<std::string, caf::error>>();
    sys.spawn([=, r = router](caf::event_based_actor* self) {
      self->request(r, caf::infinite, caf::get_atom_v, std::string{"u-1"})
          .then(
              [=](std::vector<cart_line>& ls) {
                out->first = ls.at(0).product_id;
              },
              [=](caf::error& e) { out->second = std::move(e); });
    });
    sched.run();
    return *out;
  };
  CHECK(is_error(cart().second, berry_errc::unavailable));
  host((mine + 1) % order_shard_count);
  CHECK(is_error(cart().second, berry_errc::unavailable));
  route(mine, remote);
  CHECK(cart().first == "remote:u-1");
  route(mine, caf::actor{});
  host(mine);
  CHECK(cart().first == "local:u-1");
  caf::anon_send(router, order_unhost_atom::value, int32_t{mine});
  sched.run();
  // Told as the order manager and as the cart manager.
  auto unhost = "unhost " + std::to_string(mine);
  CHECK(std::count(local_calls->seen.begin(), local_calls->seen.end(),
                   unhost) == 2);
}

TEST_CASE_METHOD(router_fixture,
                 "a question answered 'shard moved' by its route waits for "
                 "the shard's next route and is asked there") {
  auto asked = std::make_shared<int>(0);
  auto moved = sys.spawn(moved_orders, asked);
  route(11, moved);
  get(y);
  CHECK(*asked == 1);
  // Neither answered nor failed: it waits for another route, and asking
  // the same one again would get the same answer.
  CHECK(last->first.empty());
  CHECK_FALSE(last->second);
  route(11, remote);
  CHECK(last->first == "remote:" + y);
  CHECK(*asked == 1);
  // Without another route it is answered unavailable after wait_for.
  route(11, moved);
  get(y);
  CHECK(*asked == 2);
  run_for(250ms);
  CHECK_FALSE(last->second);
  run_for(100ms);
  CHECK(is_error(last->second, berry_errc::unavailable));
  caf::anon_send_exit(moved, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(router_fixture,
                 "a question out on a route that changes is asked again on "
                 "the new route, or waits for one while its shard is "
                 "between owners") {
  auto silent = sys.spawn(silent_orders);
  route(11, silent);
  get(y);
  CHECK(last->first.empty());
  route(11, remote);
  CHECK(last->first == "remote:" + y);
  // Its route goes while the shard waits for its new owner: it waits too.
  route(11, silent);
  get(y);
  wait_for(11);
  route(11, caf::actor{});
  CHECK(last->first.empty());
  CHECK_FALSE(last->second);
  host(11);
  CHECK(last->first == "local:" + y);
  caf::anon_send_exit(silent, caf::exit_reason::user_shutdown);
}
