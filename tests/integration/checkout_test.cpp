// Checkout as shoppers do it, over HTTP against the real binary.

#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "shop.hpp"
#include "storage/database.hpp"

using namespace berry::test;

namespace {

/// Rows of the payment provider's books for an order, by kind and status.
int provider_rows(const std::string& dir, const std::string& order_id,
                  const std::string& kind, const std::string& status) {
  auto db = berry::storage::database::open(
      berry::test::store_location(dir), berry::storage::open_mode::read_only);
  auto st = db.prepare("SELECT COUNT(*) FROM provider_payments WHERE order_id"
                       " = ?1 AND kind = ?2 AND status = ?3");
  st.bind(1, order_id).bind(2, kind).bind(3, status);
  st.step();
  return static_cast<int>(st.col_int(0));
}

int64_t stock_sum(const std::string& dir, const std::string& pid,
                  const char* column) {
  auto db = berry::storage::database::open(
      berry::test::store_location(dir), berry::storage::open_mode::read_only);
  auto st = db.prepare(std::string{"SELECT COALESCE(SUM("} + column +
                       "), 0) FROM stock WHERE product_id = ?1");
  st.bind(1, pid);
  st.step();
  return st.col_int(0);
}

} // namespace

TEST_CASE(
    "a shopper checks out a cart, sees it paid, cancels and gets it all back") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  REQUIRE_FALSE(admin.empty());
  stock_only(port, admin, "p-000010", 10);
  stock_only(port, admin, "p-000020", 5);
  auto token = register_customer(port, "anna@berry.test");
  REQUIRE_FALSE(token.empty());
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  REQUIRE(
      request(port, "PUT", "/api/v1/cart/lines/p-000010", R"({"qty": 2})", h)
          .status == 200);
  REQUIRE(
      request(port, "PUT", "/api/v1/cart/lines/p-000020", R"({"qty": 1})", h)
          .status == 200);
  auto cart = get(port, "/api/v1/cart", bearer(token)).json();
  auto res = checkout(port, token, "first-try", checkout_body({}, "tok_ok"));
  REQUIRE(res.status == 201);
  auto order = res.json();
  CHECK(order["status"] == "paid");
  CHECK(order["total"] == cart["total"]);
  CHECK(order["total"]["currency"] == "RUB");
  CHECK(order["payment"]["status"] == "captured");
  std::vector<std::string> history;
  for (auto& h : order["history"])
    history.push_back(h["status"]);
  CHECK(history == std::vector<std::string>{"pending", "reserved", "paid"});
  for (auto& l : order["lines"])
    CHECK_FALSE(l["warehouse_id"].get<std::string>().empty());
  std::string id = order["id"];
  // Paid: the stock is sold, the cart is empty, the order is listed.
  CHECK(eventually([&] { return available(port, "p-000010") == 8; }));
  CHECK(stock_sum(dir.path, "p-000010", "on_hand") == 8);
  CHECK(stock_sum(dir.path, "p-000010", "reserved") == 0);
  CHECK(eventually([&] {
    return get(port, "/api/v1/cart", bearer(token)).json()["lines"].empty();
  }));
  auto mine = get(port, "/api/v1/orders", bearer(token)).json();
  REQUIRE(mine["items"].size() == 1);
  CHECK(mine["items"][0]["id"] == id);
  CHECK(provider_rows(dir.path, id, "charge", "captured") == 1);
  // Cancelled: refunded once, the units are back on hand.
  auto cancel = request(port, "POST", "/api/v1/orders/" + id + "/cancel", "",
                        bearer(token));
  REQUIRE(cancel.status == 200);
  CHECK(cancel.json()["status"] == "cancelled");
  CHECK(cancel.json()["cancel_reason"] == "customer");
  CHECK(cancel.json()["payment"]["status"] == "refunded");
  CHECK(cancel.json()["payment"]["amount"] == order["total"]);
  CHECK(provider_rows(dir.path, id, "refund", "refunded") == 1);
  CHECK(stock_sum(dir.path, "p-000010", "on_hand") == 10);
  CHECK(eventually([&] { return available(port, "p-000010") == 10; }));
  CHECK(get(port, "/api/v1/orders/" + id, bearer(token)).json()["status"] ==
        "cancelled");
}

TEST_CASE("a declined card cancels the order, releases the stock and keeps the "
          "cart") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000030", 3);
  auto token = register_customer(port, "boris@berry.test");
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  request(port, "PUT", "/api/v1/cart/lines/p-000030", R"({"qty": 2})", h);
  auto res =
      checkout(port, token, "k-decline", checkout_body({}, "tok_decline"));
  CHECK(res.status == 402);
  CHECK(res.header("content-type") == "application/problem+json");
  CHECK_THAT(res.json()["type"].get<std::string>(),
             Catch::EndsWith("payment-declined"));
  CHECK(stock_sum(dir.path, "p-000030", "reserved") == 0);
  CHECK(stock_sum(dir.path, "p-000030", "on_hand") == 3);
  CHECK(eventually([&] { return available(port, "p-000030") == 3; }));
  auto cart = get(port, "/api/v1/cart", bearer(token)).json();
  REQUIRE(cart["lines"].size() == 1);
  CHECK(cart["lines"][0]["qty"] == 2);
  // Unpaid orders are listed on request only (API.md, Orders).
  auto orders = get(port, "/api/v1/orders?include_unpaid=true", bearer(token))
                    .json()["items"];
  REQUIRE(orders.size() == 1);
  CHECK(orders[0]["status"] == "cancelled");
  CHECK(orders[0]["cancel_reason"] == "payment-declined");
}

TEST_CASE("200 concurrent buyers of 50 units make exactly 50 paid orders") {
  temp_dir dir;
  // 200 buyers from one address: a load test, so no rate limits.
  auto server = shop_server(dir.path, {"--rate-limits", "off"});
  auto port = server.port();
  auto admin = admin_token(port);
  const std::string pid = "p-000100";
  stock_only(port, admin, pid, 50);
  std::vector<std::string> tokens(200);
  {
    std::vector<std::thread> regs;
    for (int t = 0; t < 4; ++t)
      regs.emplace_back([&, t] {
        for (int i = t; i < 200; i += 4)
          tokens[i] = register_customer(port, "buyer" + std::to_string(i) +
                                                  "@berry.test");
      });
    for (auto& r : regs)
      r.join();
  }
  for (auto& t : tokens)
    REQUIRE_FALSE(t.empty());
  std::atomic<int> paid{0}, sold_out{0}, other{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < 200; ++i)
    buyers.emplace_back([&, i] {
      auto res = checkout(port, tokens[i], "flash-" + std::to_string(i),
                          checkout_body({{pid, 1}}, "tok_ok"));
      if (res.status == 201)
        ++paid;
      else if (res.status == 409)
        ++sold_out;
      else
        ++other;
    });
  for (auto& b : buyers)
    b.join();
  CHECK(paid == 50);
  CHECK(sold_out == 150);
  CHECK(other == 0);
  CHECK(stock_sum(dir.path, pid, "on_hand") == 0);
  CHECK(stock_sum(dir.path, pid, "reserved") == 0);
  CHECK(eventually([&] { return available(port, pid) == 0; }));
}

TEST_CASE("a retried checkout answers the same order and never charges twice") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000040", 5);
  auto token = register_customer(port, "vera@berry.test");
  auto body = checkout_body({{"p-000040", 1}}, "tok_ok");
  auto first = checkout(port, token, "retry-me", body);
  REQUIRE(first.status == 201);
  auto second = checkout(port, token, "retry-me", body);
  CHECK(second.status == 201);
  CHECK(second.json()["id"] == first.json()["id"]);
  CHECK(provider_rows(dir.path, first.json()["id"], "charge", "captured") == 1);
  CHECK(stock_sum(dir.path, "p-000040", "on_hand") == 4);
  auto other_body = checkout_body({{"p-000040", 2}}, "tok_ok");
  auto reuse = checkout(port, token, "retry-me", other_body);
  CHECK(reuse.status == 422);
  CHECK_THAT(reuse.json()["type"].get<std::string>(),
             Catch::EndsWith("idempotency-key-reuse"));
  // The same key of another customer is another order.
  auto token2 = register_customer(port, "gleb@berry.test");
  auto theirs = checkout(port, token2, "retry-me", body);
  CHECK(theirs.status == 201);
  CHECK(theirs.json()["id"] != first.json()["id"]);
}

TEST_CASE("a retry while the first request still runs is refused with 409") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--checkout-deadline-ms", "200"});
  auto port = server.port();
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000041", 5);
  auto token = register_customer(port, "dina@berry.test");
  auto body = checkout_body({{"p-000041", 1}}, "tok_slow");
  auto first = checkout(port, token, "slow-key", body);
  REQUIRE(first.status == 202);
  CHECK(first.json()["status"] != "paid");
  auto again = checkout(port, token, "slow-key", body);
  CHECK(again.status == 409);
  CHECK_THAT(again.json()["type"].get<std::string>(),
             Catch::EndsWith("idempotency-key-in-use"));
  std::string id = first.json()["id"];
  CHECK(eventually([&] {
    return get(port, "/api/v1/orders/" + id, bearer(token)).json()["status"] ==
           "paid";
  }));
  auto replay = checkout(port, token, "slow-key", body);
  CHECK(replay.status == 201);
  CHECK(replay.json()["id"] == id);
}

TEST_CASE("another customer's order answers 404 like an unknown one") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000050", 5);
  auto owner = register_customer(port, "owner@berry.test");
  auto stranger = register_customer(port, "stranger@berry.test");
  auto res =
      checkout(port, owner, "k1", checkout_body({{"p-000050", 1}}, "tok_ok"));
  REQUIRE(res.status == 201);
  std::string id = res.json()["id"];
  auto theirs = get(port, "/api/v1/orders/" + id, bearer(stranger));
  auto unknown = get(port, "/api/v1/orders/o-doesnotexist", bearer(stranger));
  CHECK(theirs.status == 404);
  CHECK(unknown.status == 404);
  CHECK(theirs.json()["type"] == unknown.json()["type"]);
  CHECK(request(port, "POST", "/api/v1/orders/" + id + "/cancel", "",
                bearer(stranger))
            .status == 404);
  CHECK(get(port, "/api/v1/orders", bearer(stranger)).json()["items"].empty());
  CHECK(get(port, "/api/v1/orders/" + id).status == 401);
}

TEST_CASE("bad checkouts are refused before anything is reserved") {
  temp_dir dir;
  auto server = shop_server(dir.path);
  auto port = server.port();
  auto token = register_customer(port, "ivan@berry.test");
  auto ok = checkout_body({{"p-000001", 1}}, "tok_ok");
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  auto no_key = request(port, "POST", "/api/v1/checkout", ok.dump(), h);
  CHECK(no_key.status == 400);
  CHECK(checkout(port, "not-a-token", "k", ok).status == 401);
  auto bad = [&](nlohmann::json body) {
    return checkout(port, token, "bad-" + std::to_string(rand()), body).status;
  };
  CHECK(bad(checkout_body({{"p-nope", 1}}, "tok_ok")) == 422);
  CHECK(bad(checkout_body({{"p-000001", 0}}, "tok_ok")) == 422);
  CHECK(bad(checkout_body({{"p-000001", 100}}, "tok_ok")) == 422);
  CHECK(bad(checkout_body({{"p-000001", 1}}, "cash please")) == 422);
  auto far = ok;
  far["address"]["lat"] = 123;
  CHECK(bad(far) == 422);
  // An empty cart has nothing to check out.
  CHECK(bad(checkout_body({}, "tok_ok")) == 422);
  CHECK(get(port, "/api/v1/orders", bearer(token)).json()["items"].empty());
}

namespace {

/// A new customer with one unit of `pid` (5 in stock) in the cart; its
/// token.
std::string shopper_with_cart(uint16_t port, const std::string& email,
                              const std::string& pid) {
  stock_only(port, admin_token(port), pid, 5);
  auto token = register_customer(port, email);
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  REQUIRE(request(port, "PUT", "/api/v1/cart/lines/" + pid, R"({"qty": 1})", h)
              .status == 200);
  return token;
}

} // namespace

TEST_CASE(
    "a second checkout of a running cart is refused and names the order") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--checkout-deadline-ms", "200"});
  auto port = server.port();
  auto token = shopper_with_cart(port, "zoya@berry.test", "p-000042");
  auto first = checkout(port, token, "tab-1", checkout_body({}, "tok_slow"));
  REQUIRE(first.status == 202);
  std::string id = first.json()["id"];
  // A reloaded page with a new key, and another card: the same cart.
  auto again = checkout(port, token, "tab-2", checkout_body({}, "tok_ok"));
  CHECK(again.status == 409);
  CHECK(again.header("content-type") == "application/problem+json");
  auto problem = again.json();
  CHECK_THAT(problem["type"].get<std::string>(),
             Catch::EndsWith("/checkout-in-progress"));
  CHECK(problem["order_id"] == id);
  CHECK(eventually([&] {
    auto o = get(port, "/api/v1/orders/" + id, bearer(token)).json();
    return o.contains("payment") && o["payment"]["status"] == "captured";
  }));
  // Paid: the cart is empty, so a third try has nothing to buy.
  CHECK(eventually([&] {
    return checkout(port, token, "tab-3", checkout_body({}, "tok_ok")).status ==
           422;
  }));
  // One order in all, the first.
  auto orders = get(port, "/api/v1/orders", bearer(token)).json()["items"];
  REQUIRE(orders.size() == 1);
  CHECK(orders[0]["id"] == id);
  CHECK(available(port, "p-000042") == 4);
}

TEST_CASE("checkouts of explicit lines are not held up by a running cart") {
  temp_dir dir;
  auto server = shop_server(dir.path, {"--checkout-deadline-ms", "200"});
  auto port = server.port();
  auto token = shopper_with_cart(port, "yana@berry.test", "p-000043");
  REQUIRE(checkout(port, token, "cart", checkout_body({}, "tok_slow")).status ==
          202);
  // Its own order (201, or 202 on a loaded machine past the short
  // deadline), not a 409.
  auto lines = checkout(port, token, "lines",
                        checkout_body({{"p-000043", 1}}, "tok_ok"));
  CHECK((lines.status == 201 || lines.status == 202));
  CHECK(lines.json()["lines"][0]["product_id"] == "p-000043");
}
