#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "cluster_shop.hpp"
#include "support/etcd_server.hpp"

// Any node serves any request (issue 14): a node that does not own a
// warehouse reaches it through the owner's gate over CAF's middleman, and
// every node's catalog shows the stock of every warehouse.

using namespace berry::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

/// Nodes on one etcd and one PostgreSQL. The first starts alone and owns
/// every shard, so the others (joining later) own none: every warehouse is
/// the first node's, and is reached from the others over the cluster link.
struct routed_cluster {
  postgres_server pg;
  etcd_server etcd;
  std::vector<std::unique_ptr<temp_dir>> dirs;
  std::vector<std::unique_ptr<berry_server>> nodes;
  std::vector<std::string> tokens;
  std::string w;

  explicit routed_cluster(size_t n) {
    for (size_t i = 0; i < n; ++i)
      add();
  }

  /// Starts one more node (a, b, c, ...) and waits until it sees a own w.
  void add() {
    size_t i = nodes.size();
    {
      std::string name(1, static_cast<char>('a' + i));
      dirs.push_back(std::make_unique<temp_dir>());
      std::vector<std::string> flags{
          "--etcd",         etcd.url(),    "--node-name",   name,
          "--cluster-name", "route",       "--lease-ttl-s", "2",
          "--db",           pg.conninfo(), "--rate-limits", "off"};
      nodes.push_back(std::make_unique<berry_server>(
          dirs.back()->path, flags,
          std::vector<std::string>{"BERRY_ADMIN_EMAIL=" + admin_email,
                                   "BERRY_ADMIN_PASSWORD=" + admin_password}));
      tokens.push_back(admin_token(port(i)));
      if (i == 0)
        w = warehouse_ids(port(0), tokens[0]).at(0);
      REQUIRE(eventually(
          [&] { return owner_of(port(i), tokens[i], w).first == "a"; }));
    }
  }

  uint16_t port(size_t i) const { return nodes.at(i)->port(); }

  std::string stock_sum(const std::string& pid, const std::string& column) {
    return value_of(pg, "SELECT COALESCE(SUM(" + column +
                            "), 0) FROM stock WHERE product_id = '" + pid +
                            "'");
  }

  /// Every node's catalog shows `n` units of `pid`.
  bool everywhere(const std::string& pid, int64_t n) {
    for (size_t i = 0; i < nodes.size(); ++i)
      if (available(port(i), pid) != n)
        return false;
    return true;
  }
};

} // namespace

TEST_CASE("a checkout through a node that does not own the warehouse holding "
          "the stock is paid, and every node shows the sale",
          "[etcd]") {
  if (pg_missing())
    return;
  routed_cluster c(2);
  const std::string pid = "p-000030";
  stock_only(c.port(0), c.tokens[0], pid, 5);
  // b sees a's warehouse: its catalog heard of the stock from a.
  REQUIRE(eventually([&] { return c.everywhere(pid, 5); }));
  auto stock = "/api/v1/warehouses/" + c.w + "/stock/" + pid;
  auto through_b = get(c.port(1), stock, bearer(c.tokens[1]));
  REQUIRE(through_b.status == 200);
  CHECK(through_b.json()["on_hand"] == 5);

  auto token = register_customer(c.port(1), "far@berry.test");
  auto res =
      checkout(c.port(1), token, "far-1", checkout_body({{pid, 2}}, "tok_ok"));
  REQUIRE(res.status == 201);
  auto order = res.json();
  CHECK(order["status"] == "paid");
  CHECK(order["lines"][0]["warehouse_id"] == c.w);
  // Sold once, in a's warehouse, and both nodes say so.
  CHECK(c.stock_sum(pid, "on_hand") == "3");
  CHECK(c.stock_sum(pid, "reserved") == "0");
  CHECK(eventually([&] { return c.everywhere(pid, 3); }));
  for (size_t i = 0; i < 2; ++i) {
    auto s = get(c.port(i), stock, bearer(c.tokens[i])).json();
    CHECK(s["on_hand"] == 3);
    CHECK(s["reserved"] == 0);
  }
  CHECK(value_of(c.pg, "SELECT status FROM orders WHERE id = '" +
                           order["id"].get<std::string>() + "'") == "paid");
  // A retry through b answers the same order and sells nothing more.
  auto again =
      checkout(c.port(1), token, "far-1", checkout_body({{pid, 2}}, "tok_ok"));
  CHECK(again.status == 201);
  CHECK(again.json()["id"] == order["id"]);
  CHECK(c.stock_sum(pid, "on_hand") == "3");
  // A node that joins after the sale is told the stock as it is now.
  c.add();
  CHECK(eventually([&] { return c.everywhere(pid, 3); }));
}

TEST_CASE("200 buyers of 50 units spread over three nodes make exactly 50 paid "
          "orders",
          "[etcd]") {
  if (pg_missing())
    return;
  routed_cluster c(3);
  const std::string pid = "p-000100";
  stock_only(c.port(0), c.tokens[0], pid, 50);
  REQUIRE(eventually([&] { return c.everywhere(pid, 50); }));
  // Buyer i shops on node i % 3: two thirds of them through a node that
  // does not own the warehouse.
  constexpr int n = 200;
  std::vector<std::string> tokens(n);
  {
    std::vector<std::thread> regs;
    for (int t = 0; t < 4; ++t)
      regs.emplace_back([&, t] {
        for (int i = t; i < n; i += 4)
          tokens[i] = register_customer(
              c.port(i % 3), "buyer" + std::to_string(i) + "@berry.test");
      });
    for (auto& r : regs)
      r.join();
  }
  for (auto& t : tokens)
    REQUIRE_FALSE(t.empty());
  // What is asserted: every buyer ends with 201 (paid) or 409 (sold out),
  // exactly 50 paid; a 503 (Retry-After) is retried with the same key and
  // counted; anything else (another 5xx, a timeout) fails the test.
  std::atomic<int> paid{0}, sold_out{0}, other{0}, retried{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < n; ++i)
    buyers.emplace_back([&, i] {
      auto body = checkout_body({{pid, 1}}, "tok_ok");
      for (int attempt = 0; attempt < 20; ++attempt) {
        auto res = checkout(c.port(i % 3), tokens[i],
                            "flash-" + std::to_string(i), body);
        if (res.status == 503) {
          ++retried;
          std::this_thread::sleep_for(200ms);
          continue;
        }
        if (res.status == 201 && res.json()["status"] == "paid")
          ++paid;
        else if (res.status == 409)
          ++sold_out;
        else
          ++other;
        return;
      }
      ++other;
    });
  for (auto& b : buyers)
    b.join();
  WARN("flash sale through three nodes: " << retried.load()
                                          << " answers 503, retried");
  CHECK(paid == 50);
  CHECK(sold_out == n - 50);
  CHECK(other == 0);
  CHECK(c.stock_sum(pid, "on_hand") == "0");
  CHECK(c.stock_sum(pid, "reserved") == "0");
  CHECK(value_of(c.pg, "SELECT COUNT(*) FROM provider_payments WHERE kind = "
                       "'charge' AND status = 'captured'") == "50");
  CHECK(eventually([&] { return c.everywhere(pid, 0); }));
}
