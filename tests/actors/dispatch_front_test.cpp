#include "actors/dispatch_front.hpp"

#include <catch2/catch.hpp>

#include "actors/shard_gate.hpp"
#include "logistics_fixture.hpp"
#include "node/node_logistics.hpp"

// The city's dispatch as one shard of a cluster (issue 14): a node's orders
// hand their deliveries to its dispatch front, which passes them through the
// dispatch shard's gate to the dispatcher, here or on the owner's node. The
// gates' route across nodes is the same as a warehouse's (shard_gate_test,
// cluster_route_test); here a gate routed to another gate in one process
// plays the other node: the sender the dispatcher sees is then a gate, as
// across nodes.

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;
using list = std::vector<order_status>;

namespace {

const courier_info near_one{"k-1", "Ближний", {55.7010, 37.6010}};

/// The dispatcher behind an owner's gate, and the front of a node whose
/// gate routes there (or, with `hosted`, hosts it itself).
struct front_fixture : logistics_fixture {
  caf::actor owner;
  caf::actor here;

  explicit front_fixture(bool hosted = false) {
    start({near_one});
    auto real = caf::actor_cast<caf::actor>(dispatcher);
    auto gate_of = [&](caf::actor child) {
      shard_gate_init init;
      init.name = "dispatcher couriers/moscow";
      init.start = [child](caf::actor_system&, int64_t) { return child; };
      return spawn_shard_gate(sys, std::move(init));
    };
    owner = gate_of(real);
    caf::anon_send(owner, gate_host_atom::value, int64_t{1});
    here = hosted ? owner : gate_of(nullptr);
    if (!hosted)
      caf::anon_send(here, gate_route_atom::value, owner);
    sched.run();
    dispatcher =
        caf::actor_cast<dispatcher_actor>(spawn_dispatch_front(sys, here));
    sched.run();
  }

  ~front_fixture() {
    caf::anon_send_exit(owner, caf::exit_reason::user_shutdown);
    sched.run();
  }
};

} // namespace

TEST_CASE("a delivery handed to a node's dispatch front whose dispatcher "
          "runs behind another node's gate is told to its order") {
  front_fixture f;
  f.dispatch(f.task("o-1"));
  REQUIRE(
      f.run_until([&] { return f.told("o-1", order_status::delivered); }, 60s));
  CHECK(f.statuses("o-1") ==
        list{order_status::packed, order_status::courier_assigned,
             order_status::picked_up, order_status::delivered});
  CHECK(f.last("o-1", order_status::delivered)->courier_id == "k-1");
}

TEST_CASE("the dispatch front passes the couriers' list and a withdrawal to "
          "the dispatcher behind the gate, and the dispatcher on the node "
          "that hosts the shard is reached the same way") {
  for (bool hosted : {false, true}) {
    front_fixture f(hosted);
    f.dispatch(f.task("o-2"));
    REQUIRE(f.run_until(
        [&] { return f.told("o-2", order_status::courier_assigned); }, 5s));
    CHECK(f.courier("k-1").order_id == "o-2");
    auto withdrawn = f.ask<bool>(cancel_atom_v, std::string{"o-2"});
    REQUIRE(withdrawn);
    CHECK(*withdrawn);
    CHECK(f.courier("k-1").order_id.empty());
  }
}

TEST_CASE("when the dispatcher behind the gate goes away (its node died) "
          "with a parcel on its way, the dispatch front hands the delivery "
          "to the next owner's dispatcher at once, with its courier where it "
          "was last seen, and the order, which hands nothing over again, "
          "hears it delivered") {
  logistics_fixture f;
  f.start({near_one});
  auto first = caf::actor_cast<caf::actor>(f.dispatcher);
  // The next owner starts its dispatcher from storage: the courier where
  // it was last seen.
  geo_point stored;
  shard_gate_init init;
  init.name = "dispatcher couriers/moscow";
  init.start = [&](caf::actor_system& s, int64_t epoch) -> caf::actor {
    if (epoch == 1)
      return first;
    auto k = near_one;
    k.location = stored;
    dispatcher_init next;
    next.couriers = {k};
    next.params = f.params;
    return caf::actor_cast<caf::actor>(spawn_dispatcher(s, std::move(next)));
  };
  auto owner = spawn_shard_gate(f.sys, init);
  caf::anon_send(owner, gate_host_atom::value, int64_t{1});
  init.start = [](caf::actor_system&, int64_t) { return caf::actor{}; };
  auto here = spawn_shard_gate(f.sys, init);
  // Both gates end with the test, however it ends (the front with `here`).
  struct stop_at_end {
    std::vector<caf::actor> xs;
    ~stop_at_end() {
      for (auto& x : xs)
        caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
    }
  } gates{{here, owner}};
  caf::anon_send(here, gate_route_atom::value, owner);
  f.sched.run();
  f.dispatcher =
      caf::actor_cast<dispatcher_actor>(spawn_dispatch_front(f.sys, here));
  f.dispatch(f.task("o-3"));
  REQUIRE(
      f.run_until([&] { return f.told("o-3", order_status::picked_up); }, 60s));
  f.run_for(200ms);
  stored = f.events["o-3"]->back().location;
  // The owner dies: its dispatcher and couriers with it. Until the shard
  // has a new owner the front's hand-overs are refused.
  caf::anon_send_exit(first, caf::exit_reason::kill);
  f.run_for(3s);
  auto before = f.events["o-3"]->size();
  CHECK_FALSE(f.told("o-3", order_status::delivered));
  caf::anon_send(owner, gate_host_atom::value, int64_t{2});
  auto ride_ms =
      f.params.eta_s(travel_m(stored, address_a)) * int64_t{1000} + 2000;
  f.elapsed_ms = 0;
  CHECK(f.run_until([&] { return f.told("o-3", order_status::delivered); },
                    std::chrono::milliseconds(ride_ms)));
  CHECK(f.statuses("o-3") ==
        list{order_status::packed, order_status::courier_assigned,
             order_status::picked_up, order_status::delivered});
  CHECK(f.last("o-3", order_status::delivered)->courier_id == "k-1");
  // It rode on from where it was last seen, not from the warehouse.
  REQUIRE(f.events["o-3"]->size() > before);
  auto resumed = (*f.events["o-3"])[before].location;
  CHECK(travel_m(stored, resumed) <= 2 * f.params.step_m());
}

TEST_CASE("the dispatch shard is named after the city the streets data "
          "names") {
  CHECK(dispatch_shard_id("kazan") == "couriers/kazan");
  CHECK(city_dispatch_shard() == "couriers/moscow");
}
