#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "cluster_orders.hpp"

// Carts go with their user (issue 14): a user's cart lives on the node that
// hosts the user's order shard, and every other node reaches it there, so a
// shopper whose requests land on different nodes sees one cart.

using namespace berry::test;

namespace {

/// The cart's lines as (product, qty) pairs, through node `port`; "error"
/// and the status when it is not 200.
std::map<std::string, int> cart_on(uint16_t port, const std::string& token) {
  auto res = get(port, "/api/v1/cart", bearer(token));
  if (res.status != 200)
    return {{"error", res.status}};
  std::map<std::string, int> out;
  auto body = res.json();
  for (auto& l : body["lines"])
    out[l["product_id"].get<std::string>()] = l["qty"].get<int>();
  return out;
}

int put_line(uint16_t port, const std::string& token, const std::string& pid,
             int qty) {
  auto h = bearer(token);
  h["Content-Type"] = "application/json";
  return request(port, "PUT", "/api/v1/cart/lines/" + pid,
                 nlohmann::json{{"qty", qty}}.dump(), h)
      .status;
}

using lines = std::map<std::string, int>;

/// Nodes a, b and c (a owns every shard) and one shopper, registered on a,
/// with a token from each node (each signs its own here).
struct cart_cluster {
  order_cluster c{{}};
  std::string on_a, on_b, on_c;

  explicit cart_cluster(const std::string& email) {
    on_a = register_customer(c.port(0), email);
    c.add();
    c.add();
    on_b = customer_login(c.port(1), email);
    on_c = customer_login(c.port(2), email);
    REQUIRE_FALSE(on_b.empty());
    REQUIRE(c.routes_orders(1, on_b));
    REQUIRE(c.routes_orders(2, on_c));
  }
};

} // namespace

TEST_CASE("a shopper whose requests land on different nodes sees one cart, "
          "and a checkout through any node empties it everywhere",
          "[etcd]") {
  if (pg_missing())
    return;
  cart_cluster k("cart@berry.test");
  auto& c = k.c;
  auto &on_a = k.on_a, &on_b = k.on_b, &on_c = k.on_c;
  const std::string p1 = "p-000040", p2 = "p-000041";
  c.stock_only(p1, 10);

  // c looks first (before, c kept a copy of the empty cart from here on).
  CHECK(cart_on(c.port(2), on_c).empty());
  REQUIRE(put_line(c.port(1), on_b, p1, 2) == 200);
  CHECK(cart_on(c.port(2), on_c) == lines{{p1, 2}});
  // And back: a change through c shows on b.
  REQUIRE(put_line(c.port(2), on_c, p1, 3) == 200);
  REQUIRE(put_line(c.port(2), on_c, p2, 1) == 200);
  REQUIRE(put_line(c.port(2), on_c, p2, 0) == 200);
  CHECK(cart_on(c.port(1), on_b) == lines{{p1, 3}});
  CHECK(cart_on(c.port(0), on_a) == lines{{p1, 3}});

  // The cart checked out through c (b and c host no order shard): the
  // order has the cart's lines, and once paid the cart is empty on every
  // node.
  auto res = checkout(c.port(2), on_c, "cart-1", checkout_body({}, "tok_ok"));
  REQUIRE((res.status == 201 || res.status == 202));
  auto id = res.json()["id"].get<std::string>();
  REQUIRE(res.json()["lines"].size() == 1);
  CHECK(res.json()["lines"][0]["product_id"] == p1);
  CHECK(res.json()["lines"][0]["qty"] == 3);
  // Paid (or on its way already).
  REQUIRE(eventually([&] {
    auto s = c.status_of(id);
    return s != "pending" && s != "reserved" && s != "cancelled";
  }));
  CHECK(eventually([&] {
    return cart_on(c.port(1), on_b).empty() &&
           cart_on(c.port(2), on_c).empty() && cart_on(c.port(0), on_a).empty();
  }));
}

TEST_CASE("a cart outlives the node that held it: the shard's next owner "
          "serves it from storage",
          "[etcd]") {
  if (pg_missing())
    return;
  cart_cluster k("keep@berry.test");
  auto& c = k.c;
  auto &on_b = k.on_b, &on_c = k.on_c;
  const std::string pid = "p-000040";
  REQUIRE(put_line(c.port(1), on_b, pid, 4) == 200);
  CHECK(cart_on(c.port(2), on_c) == lines{{pid, 4}});
  // a leaves; b and c take its shards and serve the cart as stored.
  REQUIRE(c.nodes[0]->stop() == 0);
  CHECK(eventually([&] {
    return cart_on(c.port(1), on_b) == lines{{pid, 4}};
  }));
  REQUIRE(put_line(c.port(2), on_c, pid, 5) == 200);
  CHECK(cart_on(c.port(1), on_b) == lines{{pid, 5}});
}
