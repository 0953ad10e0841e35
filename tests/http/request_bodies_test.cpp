// The small JSON bodies of cart lines, stock levels and couriers, decoded
// by the pure functions their handlers call (and the fuzz targets too).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "http/routes_admin.hpp"
#include "http/routes_cart.hpp"
#include "http/routes_orders.hpp"

using namespace berry::http;
using nlohmann::json;

TEST_CASE("a cart line takes a qty from 0 to 99") {
  CHECK(*parse_cart_qty(json{{"qty", 0}}) == 0);
  CHECK(*parse_cart_qty(json{{"qty", 99}}) == 99);
}

TEST_CASE("a cart qty that is missing, fractional or out of range is 422") {
  for (auto body : {json::object(), json{{"qty", 100}}, json{{"qty", -1}},
                    json{{"qty", 1.5}}, json{{"qty", "2"}},
                    json::parse("{\"qty\": 18446744073709551615}")}) {
    auto qty = parse_cart_qty(body);
    REQUIRE_FALSE(qty);
    CHECK(qty.error().status == 422);
    CHECK(qty.error().detail == "qty must be an integer from 0 to 99");
  }
}

TEST_CASE("a stock level takes on_hand from 0 to 10,000,000") {
  CHECK(*parse_on_hand(json{{"on_hand", 0}}) == 0);
  CHECK(*parse_on_hand(json{{"on_hand", 10'000'000}}) == 10'000'000);
}

TEST_CASE("an on_hand that is negative, too big or not an integer is 422") {
  for (auto body :
       {json::object(), json{{"on_hand", -1}}, json{{"on_hand", 10'000'001}},
        json{{"on_hand", 2.0}}, json{{"on_hand", nullptr}},
        json::parse("{\"on_hand\": 18446744073709551615}")}) {
    auto n = parse_on_hand(body);
    REQUIRE_FALSE(n);
    CHECK(n.error().status == 422);
  }
}

TEST_CASE("a courier goes off duty or back on with a boolean only") {
  CHECK(*parse_courier_online(json{{"online", false}}) == false);
  CHECK(*parse_courier_online(json{{"online", true}}) == true);
  for (auto body :
       {json::object(), json{{"online", 1}}, json{{"online", "true"}}}) {
    auto online = parse_courier_online(body);
    REQUIRE_FALSE(online);
    CHECK(online.error().status == 422);
  }
}

// Issue 11's finding 6 as the checkout_body fuzz target's code reproduced
// it before the fix (json::value threw a type_error, answered 500): the
// exact input, now a 422.
TEST_CASE("a checkout whose payment method is a number is 422, not a throw") {
  auto body = json::parse(R"({"address": {"lat": 55.76, "lon": 37.62},)"
                          R"( "payment": {"method": 5, "token": "tok_ok"}})");
  auto checkout = parse_checkout(body);
  REQUIRE_FALSE(checkout);
  CHECK(checkout.error().status == 422);
  CHECK(checkout.error().detail == "payment method must be \"card\"");
}
