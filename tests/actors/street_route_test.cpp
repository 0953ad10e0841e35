// Street distances and movement along them: pure functions.

#include <catch2/catch.hpp>

#include "actors/street_route.hpp"

using namespace berry;

namespace {

const geo_point a{55.70, 37.50};
const geo_point b{55.80, 37.70};

} // namespace

TEST_CASE(
    "a trip along the streets is the north-south plus the east-west leg") {
  // 0.1° of latitude is about 11.1 km; 0.2° of longitude at 55.8° N about
  // 12.5 km.
  CHECK(travel_m(a, b) == Approx(11119.5 + 12502.0).epsilon(0.002));
  CHECK(travel_m(a, a) == 0);
  // Through stops: the legs add up.
  geo_point mid{55.80, 37.50};
  CHECK(travel_m(a, std::vector<geo_point>{mid, b}) ==
        Approx(travel_m(a, mid) + travel_m(mid, b)));
}

TEST_CASE("moving goes north or south first, then east or west") {
  double budget = 5000;
  auto p = move_toward(a, b, budget);
  CHECK(budget == 0);
  CHECK(p.lon == a.lon); // still on the north-south leg
  CHECK(travel_m(a, p) == Approx(5000).epsilon(1e-6));
  budget = 10000;
  p = move_toward(p, b, budget);
  CHECK(p.lat == b.lat); // turned the corner
  CHECK(p.lon > a.lon);
  CHECK(travel_m(p, b) == Approx(travel_m(a, b) - 15000).epsilon(1e-4));
}

TEST_CASE("a budget that reaches the target stops exactly there") {
  double budget = travel_m(a, b) + 100;
  auto p = move_toward(a, b, budget);
  CHECK(p.lat == b.lat);
  CHECK(p.lon == b.lon);
  CHECK(budget == Approx(100).epsilon(1e-3));
}

TEST_CASE("walking in steps covers the whole trip, never overshooting") {
  auto p = a;
  int steps = 0;
  double left = travel_m(a, b);
  while (p.lat != b.lat || p.lon != b.lon) {
    double budget = 347.2;
    p = move_toward(p, b, budget);
    double now = travel_m(p, b);
    CHECK(now < left);
    left = now;
    ++steps;
    REQUIRE(steps < 1000);
  }
  CHECK(steps == static_cast<int>(std::ceil(travel_m(a, b) / 347.2)));
}
