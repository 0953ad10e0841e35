// The dispatcher: packing, the nearest free courier, queueing, withdrawal,
// and deliveries that move on when their courier drops out.

#include <catch2/catch.hpp>

#include "logistics_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

using list = std::vector<order_status>;

// Couriers around warehouse_a (55.70, 37.60). The far one comes first by
// id and in the list: order of insertion must not matter.
const courier_info far_one{"k-1", "Дальний", {55.6000, 37.4000}};
const courier_info near_one{"k-2", "Ближний", {55.7050, 37.6050}};
const courier_info middle_one{"k-3", "Средний", {55.7200, 37.5800}};

} // namespace

TEST_CASE("a paid order is packed first, then gets the nearest free courier") {
  logistics_fixture f;
  f.start({far_one, near_one, middle_one});
  f.dispatch(f.task("o-1"));
  // Packing takes 120 simulated seconds: 1.2 s at 100x.
  f.run_until([&] { return false; }, 1190ms);
  CHECK(f.statuses("o-1").empty());
  REQUIRE(f.run_until(
      [&] { return f.told("o-1", order_status::courier_assigned); }, 50ms));
  CHECK(f.statuses("o-1") ==
        list{order_status::packed, order_status::courier_assigned});
  auto assigned = *f.last("o-1", order_status::courier_assigned);
  CHECK(assigned.courier_id == "k-2");
  // The ETA covers the ride to the warehouse and on to the address.
  auto metres = travel_m(near_one.location, warehouse_a) +
                travel_m(warehouse_a, address_a);
  CHECK(assigned.eta_s == f.params.eta_s(metres));
  CHECK(f.courier("k-2").status == courier_state::to_pickup);
  CHECK(f.courier("k-2").order_id == "o-1");
  CHECK(f.courier("k-1").status == courier_state::idle);
}

TEST_CASE(
    "busy couriers are skipped: the next delivery gets the next nearest") {
  logistics_fixture f;
  f.start({far_one, near_one, middle_one});
  f.dispatch(f.task("o-1"));
  f.dispatch(f.task("o-2"));
  REQUIRE(f.run_until(
      [&] {
        return f.told("o-1", order_status::courier_assigned) &&
               f.told("o-2", order_status::courier_assigned);
      },
      2s));
  CHECK(f.last("o-1", order_status::courier_assigned)->courier_id == "k-2");
  CHECK(f.last("o-2", order_status::courier_assigned)->courier_id == "k-3");
}

TEST_CASE("with every courier busy a delivery waits for the first one free") {
  logistics_fixture f;
  f.start({near_one});
  f.dispatch(f.task("o-1"));
  f.dispatch(f.task("o-2"));
  REQUIRE(f.run_until(
      [&] { return f.told("o-1", order_status::courier_assigned); }, 2s));
  CHECK(f.statuses("o-2") == list{order_status::packed});
  REQUIRE(f.run_until([&] { return f.told("o-1", order_status::delivered); },
                      120s));
  // Freed at o-1's address, the courier takes o-2 at once.
  REQUIRE(f.run_until(
      [&] { return f.told("o-2", order_status::courier_assigned); }, 50ms));
  CHECK(f.last("o-2", order_status::courier_assigned)->courier_id == "k-2");
  CHECK(f.last("o-2", order_status::courier_assigned)->location.lat ==
        address_a.lat);
  REQUIRE(f.run_until([&] { return f.told("o-2", order_status::delivered); },
                      120s));
  CHECK(f.statuses("o-2") ==
        list{order_status::packed, order_status::courier_assigned,
             order_status::picked_up, order_status::delivered});
  CHECK(f.courier("k-2").status == courier_state::idle);
}

TEST_CASE("a crashed courier's delivery goes to another courier") {
  logistics_fixture f;
  f.start({near_one, middle_one});
  f.dispatch(f.task("o-1"));
  REQUIRE(f.run_until(
      [&] { return f.told("o-1", order_status::courier_assigned); }, 2s));
  REQUIRE(f.last("o-1", order_status::courier_assigned)->courier_id == "k-2");
  caf::anon_send_exit(f.courier_actors["k-2"], caf::exit_reason::kill);
  REQUIRE(f.run_until(
      [&] {
        auto e = f.last("o-1", order_status::courier_assigned);
        return e && e->courier_id == "k-3";
      },
      1s));
  CHECK(f.courier("k-2").status ==
        courier_state::offline); // down until its restart
  REQUIRE(f.run_until([&] { return f.told("o-1", order_status::delivered); },
                      120s));
  CHECK(f.last("o-1", order_status::delivered)->courier_id == "k-3");
  CHECK(f.last("o-1", order_status::delivered)->location.lat == address_a.lat);
  CHECK(f.last("o-1", order_status::delivered)->location.lon == address_a.lon);
}

TEST_CASE("a parcel picked up by a courier who crashes is collected from "
          "where that courier was last seen") {
  logistics_fixture f;
  f.start({near_one, far_one});
  f.dispatch(f.task("o-1"));
  REQUIRE(
      f.run_until([&] { return f.told("o-1", order_status::picked_up); }, 20s));
  // Ride on a little, then crash.
  f.run_until([&] { return false; }, 500ms);
  auto seen = f.courier("k-2").location;
  caf::anon_send_exit(f.courier_actors["k-2"], caf::exit_reason::kill);
  REQUIRE(f.run_until([&] { return f.told("o-1", order_status::delivered); },
                      300s));
  // The order heard picked_up once; the other courier delivered it.
  CHECK(f.statuses("o-1") ==
        list{order_status::packed, order_status::courier_assigned,
             order_status::picked_up, order_status::delivered});
  CHECK(f.last("o-1", order_status::delivered)->courier_id == "k-1");
  // k-1 went to the handover point: one of its moves passed through it.
  bool passed = false;
  for (auto& e : *f.events["o-1"])
    if (e.courier_id == "k-1" && travel_m(e.location, seen) < 40)
      passed = true;
  CHECK(passed);
}

TEST_CASE("a crashed courier comes back where it was last seen") {
  logistics_fixture f;
  f.start({near_one}, 500ms);
  auto before = f.courier_actors["k-2"];
  caf::anon_send_exit(before, caf::exit_reason::kill);
  f.run_until([&] { return false; }, 100ms);
  CHECK(f.courier("k-2").status == courier_state::offline);
  REQUIRE(f.run_until(
      [&] { return f.courier("k-2").status == courier_state::idle; }, 1s));
  CHECK(f.courier_actors["k-2"] != before);
  CHECK(f.courier("k-2").location.lat == near_one.location.lat);
  // And it works: it takes the next delivery.
  f.dispatch(f.task("o-1"));
  REQUIRE(f.run_until(
      [&] { return f.told("o-1", order_status::courier_assigned); }, 2s));
  CHECK(f.last("o-1", order_status::courier_assigned)->courier_id == "k-2");
}

TEST_CASE("a courier going off duty hands its delivery on and gets no more") {
  logistics_fixture f;
  f.start({near_one, middle_one});
  f.dispatch(f.task("o-1"));
  REQUIRE(f.run_until(
      [&] { return f.told("o-1", order_status::courier_assigned); }, 2s));
  auto off = f.ask<courier_status>(online_atom_v, std::string{"k-2"}, false);
  REQUIRE(off);
  CHECK(off->status == courier_state::offline);
  f.run_until([&] { return false; }, 50ms);
  CHECK(f.last("o-1", order_status::courier_assigned)->courier_id == "k-3");
  f.dispatch(f.task("o-2"));
  f.run_until([&] { return false; }, 2s);
  CHECK(f.statuses("o-2") ==
        list{order_status::packed}); // k-2 is off duty, k-3 busy
  auto on = f.ask<courier_status>(online_atom_v, std::string{"k-2"}, true);
  REQUIRE(on);
  REQUIRE(f.run_until(
      [&] { return f.told("o-2", order_status::courier_assigned); }, 50ms));
  CHECK(f.last("o-2", order_status::courier_assigned)->courier_id == "k-2");
  auto unknown =
      f.ask<courier_status>(online_atom_v, std::string{"k-9"}, false);
  CHECK(is_error(unknown.error(), berry_errc::not_found));
}

TEST_CASE("a delivery is withdrawn before pickup, not after") {
  logistics_fixture f;
  f.start({near_one});
  f.dispatch(f.task("o-1"));
  // While packing.
  auto early = f.ask<bool>(cancel_atom_v, std::string{"o-1"});
  CHECK(early);
  f.run_until([&] { return false; }, 2s);
  CHECK(f.statuses("o-1").empty());
  // On the way to the warehouse: the courier stops and is free again.
  f.dispatch(f.task("o-2"));
  REQUIRE(f.run_until(
      [&] { return f.told("o-2", order_status::courier_assigned); }, 2s));
  CHECK(f.ask<bool>(cancel_atom_v, std::string{"o-2"}));
  f.run_until([&] { return false; }, 100ms);
  CHECK(f.courier("k-2").status == courier_state::idle);
  CHECK_FALSE(f.told("o-2", order_status::picked_up));
  // Picked up: too late.
  f.dispatch(f.task("o-3"));
  REQUIRE(
      f.run_until([&] { return f.told("o-3", order_status::picked_up); }, 30s));
  auto late = f.ask<bool>(cancel_atom_v, std::string{"o-3"});
  REQUIRE_FALSE(late);
  CHECK(is_error(late.error(), berry_errc::conflict));
  REQUIRE(f.run_until([&] { return f.told("o-3", order_status::delivered); },
                      120s));
}

TEST_CASE("a delivery resumed after a restart goes back to its courier") {
  logistics_fixture f;
  // k-2 is nearer the warehouse, but k-3 already has this delivery.
  f.start({near_one, middle_one});
  f.dispatch(f.task("o-1", {warehouse_a}, address_a,
                    order_status::courier_assigned, "k-3"));
  CHECK(f.courier("k-3").order_id == "o-1");
  // The order is told its status again (it may have missed it).
  CHECK(f.statuses("o-1") == list{order_status::courier_assigned});
  // Picked up already: the courier rides straight to the address, and the
  // order hears nothing new until it is delivered.
  f.dispatch(
      f.task("o-2", {warehouse_a}, address_a, order_status::picked_up, "k-2"));
  CHECK(f.courier("k-2").status == courier_state::to_dropoff);
  REQUIRE(
      f.run_until([&] { return f.told("o-2", order_status::delivered); }, 60s));
  CHECK(f.statuses("o-2") == list{order_status::delivered});
  // Asked again by a restarted order, it repeats the latest status.
  auto before = f.statuses("o-1");
  REQUIRE_FALSE(before.empty());
  f.dispatch(f.task("o-1", {warehouse_a}, address_a, before.back(), "k-3"));
  auto after = f.statuses("o-1");
  REQUIRE(after.size() == 1); // a new stand-in: only the repeat
  CHECK(after.back() == before.back());
  CHECK(f.courier("k-3").order_id == "o-1");
}
