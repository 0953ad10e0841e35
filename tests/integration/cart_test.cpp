// The cart as a customer sees it, over real sockets against the real binary.

#include <catch2/catch.hpp>

#include "http_client.hpp"
#include "process.hpp"
#include "shop.hpp"

using namespace berry::test;

namespace {

const std::string one = "p-000001";
const std::string two = "p-000042";

/// PUT /api/v1/cart/lines/{product} with `body`.
http_response put_line(uint16_t port, const std::string& token,
                       const std::string& product, const std::string& body) {
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  return request(port, "PUT", "/api/v1/cart/lines/" + product, body, h);
}

http_response put_qty(uint16_t port, const std::string& token,
                      const std::string& product, int qty) {
  return put_line(port, token, product, nlohmann::json{{"qty", qty}}.dump());
}

http_response get_cart(uint16_t port, const std::string& token) {
  return get(port, "/api/v1/cart", bearer(token));
}

int64_t price_of(uint16_t port, const std::string& product) {
  return get(port, "/api/v1/products/" + product)
      .json()["price"]["amount"]
      .get<int64_t>();
}

/// A problem+json answer of `status` whose type ends in `slug`.
void check_problem(const http_response& res, int status,
                   const std::string& slug) {
  CHECK(res.status == status);
  CHECK(res.header("content-type") == "application/problem+json");
  auto p = nlohmann::json::parse(res.body, nullptr, false);
  REQUIRE(p.is_object());
  CHECK(p["status"] == status);
  CHECK_THAT(p["type"].get<std::string>(), Catch::EndsWith("/" + slug));
}

} // namespace

TEST_CASE("a cart shows its lines at catalog prices and the total in kopecks") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto token = register_customer(port, "anna@example.ru");
  REQUIRE_FALSE(token.empty());
  auto empty = get_cart(port, token);
  REQUIRE(empty.status == 200);
  CHECK(empty.json() == nlohmann::json::parse(
                            R"({"lines": [], "total": {"amount": 0,
                              "currency": "RUB"}})"));
  REQUIRE(put_qty(port, token, two, 3).status == 200);
  auto put = put_qty(port, token, one, 2);
  REQUIRE(put.status == 200);
  auto p1 = price_of(port, one);
  auto p2 = price_of(port, two);
  auto cart = get_cart(port, token);
  REQUIRE(cart.status == 200);
  CHECK(cart.json() == put.json()); // PUT answers the whole cart
  auto body = cart.json();
  REQUIRE(body["lines"].size() == 2);
  CHECK(body["lines"][0]["product_id"] == one);
  CHECK(body["lines"][0]["qty"] == 2);
  CHECK(body["lines"][0]["unit_price"]["amount"] == p1);
  CHECK(body["lines"][0]["unit_price"]["currency"] == "RUB");
  CHECK(body["lines"][1]["product_id"] == two);
  CHECK(body["lines"][1]["qty"] == 3);
  CHECK(body["lines"][1]["unit_price"]["amount"] == p2);
  CHECK(body["total"]["amount"] == 2 * p1 + 3 * p2);
  CHECK(body["total"]["currency"] == "RUB");
  // Quantity 0 removes the line.
  auto removed = put_qty(port, token, one, 0);
  REQUIRE(removed.status == 200);
  auto after = get_cart(port, token).json();
  REQUIRE(after["lines"].size() == 1);
  CHECK(after["lines"][0]["product_id"] == two);
  CHECK(after["total"]["amount"] == 3 * p2);
}

TEST_CASE("a cart refuses bad quantities and unknown products and anonymous "
          "callers") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto token = register_customer(port, "boris@example.ru");
  REQUIRE_FALSE(token.empty());
  REQUIRE(put_qty(port, token, one, 5).status == 200);
  check_problem(put_qty(port, token, one, 100), 422, "validation");
  check_problem(put_qty(port, token, one, -1), 422, "validation");
  check_problem(put_line(port, token, one, R"({"qty": 2.5})"), 422,
                "validation");
  check_problem(put_line(port, token, one, R"({"qty": "3"})"), 422,
                "validation");
  check_problem(put_line(port, token, one, R"({})"), 422, "validation");
  check_problem(put_line(port, token, one, R"({"qty": )"), 400, "bad-request");
  check_problem(put_qty(port, token, "p-999999", 1), 422, "validation");
  // Nothing of that changed the cart.
  auto cart = get_cart(port, token).json();
  REQUIRE(cart["lines"].size() == 1);
  CHECK(cart["lines"][0]["qty"] == 5);
  // No token, or a forged one: 401 on every cart endpoint.
  check_problem(get(port, "/api/v1/cart"), 401, "unauthorized");
  check_problem(
      request(port, "PUT", "/api/v1/cart/lines/" + one, R"({"qty": 1})"), 401,
      "unauthorized");
  check_problem(request(port, "DELETE", "/api/v1/cart"), 401, "unauthorized");
  check_problem(get_cart(port, token + "x"), 401, "unauthorized");
}

TEST_CASE("every customer has a cart of their own") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto anna = register_customer(port, "anna@example.ru");
  auto boris = register_customer(port, "boris@example.ru");
  REQUIRE_FALSE(anna.empty());
  REQUIRE_FALSE(boris.empty());
  REQUIRE(put_qty(port, anna, one, 4).status == 200);
  CHECK(get_cart(port, boris).json()["lines"].empty());
  REQUIRE(put_qty(port, boris, two, 1).status == 200);
  REQUIRE(request(port, "DELETE", "/api/v1/cart", {}, bearer(boris)).status ==
          204);
  auto mine = get_cart(port, anna).json();
  REQUIRE(mine["lines"].size() == 1);
  CHECK(mine["lines"][0]["product_id"] == one);
  CHECK(mine["lines"][0]["qty"] == 4);
}

TEST_CASE("a cart survives a restart and DELETE empties it") {
  temp_dir dir;
  std::string token;
  nlohmann::json before;
  {
    auto first = shop_server(dir.path);
    token = register_customer(first.port(), "vera@example.ru");
    REQUIRE_FALSE(token.empty());
    REQUIRE(put_qty(first.port(), token, one, 7).status == 200);
    REQUIRE(put_qty(first.port(), token, two, 1).status == 200);
    before = get_cart(first.port(), token).json();
    CHECK(first.stop() == 0);
  }
  auto second = shop_server(dir.path);
  auto port = second.port();
  auto again = get_cart(port, token); // the same token: the key is kept
  REQUIRE(again.status == 200);
  CHECK(again.json() == before);
  CHECK(again.json()["lines"].size() == 2);
  auto del = request(port, "DELETE", "/api/v1/cart", {}, bearer(token));
  CHECK(del.status == 204);
  CHECK(del.body.empty());
  auto after = get_cart(port, token).json();
  CHECK(after["lines"].empty());
  CHECK(after["total"]["amount"] == 0);
}
