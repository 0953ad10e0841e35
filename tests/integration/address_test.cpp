// Delivery addresses over HTTP against the real binary: the street list's
// suggestions and nearest house, and checkouts held to the delivery zone.

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;

TEST_CASE("an address outside the delivery zone is refused with 422") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  stock_only(port, admin_token(port), "p-000070", 5);
  auto token = register_customer(port, "tanya@berry.test");
  auto body = checkout_body({{"p-000070", 1}}, "tok_ok");
  for (auto [lat, lon] : {std::pair{59.9386, 30.3141}, std::pair{0.0, 0.0},
                          std::pair{55.3226, 37.5526}}) {
    body["address"]["lat"] = lat;
    body["address"]["lon"] = lon;
    auto res = checkout(port, token, "far-" + std::to_string(lat), body);
    CHECK(res.status == 422);
    CHECK_THAT(res.json()["type"].get<std::string>(),
               Catch::EndsWith("/validation"));
    CHECK_THAT(res.json()["detail"].get<std::string>(),
               Catch::Contains("outside the delivery zone"));
  }
  CHECK(available(port, "p-000070") == 5);
  CHECK(get(port, "/api/v1/orders?include_unpaid=true", bearer(token))
            .json()["items"]
            .empty());
  body["address"]["lat"] = 55.7601;
  body["address"]["lon"] = 37.6186;
  CHECK(checkout(port, token, "near", body).status == 201);
}

TEST_CASE("typed streets are suggested and a point finds its nearest house") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto typed =
      get(port, "/api/v1/addresses?q=" +
                    std::string{"%D1%82%D0%B2%D0%B5%D1%80%201"}); // твер 1
  REQUIRE(typed.status == 200);
  auto items = typed.json()["items"];
  REQUIRE(items.size() >= 2);
  CHECK(items[0]["text"] == "Тверская улица, 1");
  CHECK(items[1]["text"] == "Тверская улица, 10");
  auto house = items[1];
  auto lat = house["location"]["lat"].get<double>();
  auto lon = house["location"]["lon"].get<double>();
  // A point a few metres off that house finds it back.
  auto near = get(
      port, "/api/v1/addresses/nearest?lat=" + std::to_string(lat + 0.00005) +
                "&lon=" + std::to_string(lon));
  REQUIRE(near.status == 200);
  CHECK(near.json()["text"] == "Тверская улица, 10");
  CHECK(near.json()["in_zone"] == true);
  auto far = get(port, "/api/v1/addresses/nearest?lat=59.9&lon=30.3");
  CHECK(far.json()["in_zone"] == false);
  CHECK(get(port, "/api/v1/addresses/nearest?lat=x&lon=1").status == 422);
  auto streets = get(port, "/api/v1/streets").json();
  CHECK(streets["items"].size() > 20);
  CHECK(streets["delivery_zone"]["radius_km"] == 20);
}
