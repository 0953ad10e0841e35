// A courier on the move: positions and ETA on the simulated clock.

#include <catch2/catch.hpp>

#include "logistics_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

const courier_info rider{"k-1", "Курьер", {55.6900, 37.5900}};

} // namespace

TEST_CASE("a courier rides to the warehouse, then to the address, reporting "
          "every five simulated seconds") {
  logistics_fixture f;
  f.start({rider});
  f.dispatch(f.task("o-1"));
  REQUIRE(f.run_until(
      [&] { return f.told("o-1", order_status::courier_assigned); }, 2s));
  auto assigned_at = f.elapsed_ms;
  auto eta = f.last("o-1", order_status::courier_assigned)->eta_s;
  REQUIRE(f.run_until([&] { return f.told("o-1", order_status::delivered); },
                      200s));
  // It took as long as the ETA said (real seconds on the fixture's clock),
  // give or take one step.
  double took_s = (f.elapsed_ms - assigned_at) / 1000.0;
  CHECK(took_s == Approx(eta).margin(f.params.tick().count() / 1000.0 + 1));

  // After pickup every move is nearer the address and the ETA never rises.
  auto& log = *f.events["o-1"];
  bool after_pickup = false;
  double prev_m = 1e12;
  int64_t prev_eta = -1;
  int moves = 0;
  for (auto& e : log) {
    if (e.status == order_status::picked_up) {
      after_pickup = true;
      CHECK(e.location.lat == warehouse_a.lat);
      CHECK(e.location.lon == warehouse_a.lon);
      continue;
    }
    if (!after_pickup || e.status != order_status::none)
      continue;
    double m = travel_m(e.location, address_a);
    CHECK(m < prev_m);
    if (prev_eta >= 0)
      CHECK(e.eta_s <= prev_eta);
    CHECK(e.eta_s == f.params.eta_s(m));
    prev_m = m;
    prev_eta = e.eta_s;
    ++moves;
  }
  // 0.03° north and 0.04° east of the warehouse: ~5.8 km, ~35 m a step.
  auto expected = travel_m(warehouse_a, address_a) / f.params.step_m();
  CHECK(moves == Approx(expected).margin(2));
  auto done = *f.last("o-1", order_status::delivered);
  CHECK(done.location.lat == address_a.lat);
  CHECK(done.location.lon == address_a.lon);
  CHECK(f.courier("k-1").location.lat == address_a.lat);
}

TEST_CASE("a courier collects from every warehouse before it is picked up") {
  logistics_fixture f;
  f.start({rider});
  geo_point second{55.7100, 37.6200};
  f.dispatch(f.task("o-1", {warehouse_a, second}));
  REQUIRE(f.run_until([&] { return f.told("o-1", order_status::picked_up); },
                      100s));
  auto up = *f.last("o-1", order_status::picked_up);
  CHECK(up.location.lat == second.lat);
  CHECK(up.location.lon == second.lon);
  CHECK(up.eta_s == f.params.eta_s(travel_m(second, address_a)));
}

TEST_CASE("a higher time scale makes bigger steps, not more of them") {
  logistics_params p;
  p.time_scale = 1;
  CHECK(p.tick() == 5000ms);
  CHECK(p.step_m() == Approx(34.72).epsilon(0.001));
  p.time_scale = 10000;
  CHECK(p.tick() == 20ms); // the floor
  CHECK(p.step_m() == Approx(25.0 / 3.6 * 200).epsilon(0.001));
  CHECK(p.real(120000ms) == 12ms);
}

TEST_CASE("the ETA is in real seconds, rounded up, whatever the time scale") {
  logistics_params p;
  p.time_scale = 1;
  CHECK(p.eta_s(0) == 0);
  CHECK(p.eta_s(p.speed_mps * 10) == 10);
  CHECK(p.eta_s(p.speed_mps * 10 + 0.5) == 11);
  CHECK(p.eta_s(25000) == 3600); // 25 km at 25 km/h
  p.time_scale = 30;
  CHECK(p.eta_s(25000) == 120); // the hour passes in two real minutes
  CHECK(p.eta_s(1) == 1);       // never 0 before arrival
}
