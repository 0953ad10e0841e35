#include "examples/demo/streets.hpp"

#include <catch2/catch.hpp>

using namespace berry;
using namespace berry::demo;

namespace {

const char* two_streets = R"({
  "city": "Город",
  "delivery_zone": {"center": {"lat": 55.0, "lon": 37.0}, "radius_km": 5},
  "house_spacing_m": 100,
  "streets": [
    {"name": "Тверская улица", "points": [[55.0, 37.0], [55.0045, 37.0]]},
    {"name": "улица Арбат", "points": [[55.0, 37.01], [55.0, 37.02]]}
  ]
})";

} // namespace

TEST_CASE("houses stand every so many metres along each street") {
  city_streets city{two_streets};
  // 500 m of Тверская: houses 1..6, from its first point on.
  auto one = city.suggest("тверская 1", 10);
  REQUIRE(one.size() == 1);
  CHECK(one[0].text == "Тверская улица, 1");
  CHECK(one[0].location.lat == Approx(55.0));
  auto six = city.suggest("Тверская 6", 10);
  REQUIRE(six.size() == 1);
  CHECK(six[0].location.lat == Approx(55.0045).margin(0.0001));
  CHECK(city.suggest("тверская 7", 10).empty());
}

TEST_CASE("a typed query matches word starts, any case, and a house prefix") {
  city_streets city{two_streets};
  auto arbat = city.suggest("ул. АРБ", 3);
  REQUIRE(arbat.size() == 3);
  CHECK(arbat[0].text == "улица Арбат, 1");
  CHECK(arbat[2].text == "улица Арбат, 3");
  CHECK(city.suggest("батт", 3).empty());
  CHECK(city.suggest("", 3).empty());
}

TEST_CASE("a point finds its nearest house, and the zone has an edge") {
  city_streets city{two_streets};
  auto near = city.nearest({55.0021, 37.0003});
  CHECK(near.text == "Тверская улица, 3");
  CHECK(city.zone().contains({55.03, 37.0}));
  CHECK_FALSE(city.zone().contains({55.05, 37.0}));
  // No city_id in the data: the city is named by its name.
  CHECK(city.zone().city_id == "Город");
}

TEST_CASE("the demo city's streets all lie inside its delivery zone") {
  auto& city = demo_city();
  CHECK(city.streets().size() > 20);
  for (auto& s : city.streets())
    for (auto& p : s.points)
      CHECK(city.zone().contains(p));
  CHECK(city.suggest("тверская 12", 1).at(0).text == "Тверская улица, 12");
  CHECK(city.zone().city_id == "moscow");
}
