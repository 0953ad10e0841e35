// GET /api/v1/orders over HTTP against the real binary: pages, totals,
// unpaid orders on request, and nobody else's orders.

#include <set>

#include <catch2/catch.hpp>

#include "shop.hpp"

using namespace berry::test;

namespace {

nlohmann::json orders(uint16_t port, const std::string& token,
                      const std::string& query = "") {
  return get(port, "/api/v1/orders" + query, bearer(token)).json();
}

std::vector<std::string> ids_of(const nlohmann::json& page) {
  std::vector<std::string> out;
  for (auto& o : page["items"])
    out.push_back(o["id"]);
  return out;
}

} // namespace

TEST_CASE("a shopper pages through her orders, newest first, with a total") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  stock_only(port, admin_token(port), "p-000060", 50);
  auto token = register_customer(port, "olga@berry.test");
  auto other = register_customer(port, "petr@berry.test");
  std::vector<std::string> made; // oldest first
  for (int i = 0; i < 5; ++i) {
    auto res = checkout(port, token, "k" + std::to_string(i),
                        checkout_body({{"p-000060", 1}}, "tok_ok"));
    REQUIRE(res.status == 201);
    made.push_back(res.json()["id"]);
  }
  REQUIRE(
      checkout(port, other, "k0", checkout_body({{"p-000060", 1}}, "tok_ok"))
          .status == 201);
  auto first = orders(port, token, "?page=1&page_size=2");
  CHECK(first["page"] == 1);
  CHECK(first["page_size"] == 2);
  CHECK(first["total"] == 5);
  CHECK(ids_of(first) == std::vector<std::string>{made[4], made[3]});
  CHECK(ids_of(orders(port, token, "?page=2&page_size=2")) ==
        std::vector<std::string>{made[2], made[1]});
  auto last = orders(port, token, "?page=3&page_size=2");
  CHECK(ids_of(last) == std::vector<std::string>{made[0]});
  auto past = orders(port, token, "?page=9&page_size=2");
  CHECK(past["items"].empty());
  CHECK(past["total"] == 5);
  // Readable numbers, all different; the product's title on each line.
  std::set<int64_t> numbers;
  auto all = orders(port, token); // the loop must not outlive it
  for (auto& o : all["items"]) {
    numbers.insert(o["number"].get<int64_t>());
    CHECK(o["lines"][0]["title"].is_string());
  }
  CHECK(numbers.size() == 5);
  CHECK(*numbers.begin() >= 1);
  CHECK(*numbers.rbegin() < 100);
  // The order itself carries the same number as its row in the list.
  for (auto& o : all["items"]) {
    auto one = get(port, "/api/v1/orders/" + o["id"].get<std::string>(),
                   bearer(token));
    REQUIRE(one.status == 200);
    CHECK(one.json()["number"] == o["number"]);
  }
  // The other customer sees only his own.
  auto theirs = orders(port, other);
  CHECK(theirs["total"] == 1);
  for (auto& id : ids_of(theirs))
    CHECK(std::find(made.begin(), made.end(), id) == made.end());
}

TEST_CASE(
    "orders cancelled before payment are listed only with include_unpaid") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  stock_only(port, admin_token(port), "p-000061", 5);
  auto token = register_customer(port, "rita@berry.test");
  auto declined = checkout(port, token, "no",
                           checkout_body({{"p-000061", 1}}, "tok_decline"));
  REQUIRE(declined.status == 402);
  auto paid =
      checkout(port, token, "yes", checkout_body({{"p-000061", 1}}, "tok_ok"));
  REQUIRE(paid.status == 201);
  auto shown = orders(port, token);
  CHECK(ids_of(shown) == std::vector<std::string>{paid.json()["id"]});
  CHECK(shown["total"] == 1);
  auto all = orders(port, token, "?include_unpaid=true");
  CHECK(all["total"] == 2);
  REQUIRE(all["items"].size() == 2);
  CHECK(all["items"][1]["status"] == "cancelled");
  CHECK(all["items"][1]["cancel_reason"] == "payment-declined");
}

TEST_CASE("a page of more than 100 orders is refused with 422") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto token = register_customer(port, "sima@berry.test");
  auto res = get(port, "/api/v1/orders?page_size=101", bearer(token));
  CHECK(res.status == 422);
  CHECK_THAT(res.json()["type"].get<std::string>(),
             Catch::EndsWith("/validation"));
  CHECK(get(port, "/api/v1/orders?page_size=100", bearer(token)).status == 200);
  CHECK(get(port, "/api/v1/orders").status == 401);
}
