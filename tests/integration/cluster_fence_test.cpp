#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "cluster/placement.hpp"
#include "cluster_shop.hpp"
#include "support/etcd_server.hpp"

// Cluster nodes on one PostgreSQL (issue 14): a warehouse is served by the
// node that owns its shard, from what PostgreSQL holds, and written under
// the shard's fence. Another node serves it through the owner; with the
// owner gone it answers 503 at once; when the owner dies (or freezes) the
// survivor takes the shard over, fences it at the new epoch and serves it;
// the old owner's late write is refused.

using namespace berry::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string product = "p-000070";

std::string stock_path(const std::string& wid) {
  return "/api/v1/warehouses/" + wid + "/stock/" + product;
}

/// Two nodes on one etcd and one PostgreSQL: a, alone at first, owns every
/// shard, warehouse w's too (b, joining later, takes none), and has put 7
/// units of the product in w.
struct pg_cluster {
  postgres_server pg;
  etcd_server etcd;
  temp_dir da, db;
  berry_server a = shop_server(da.path, flags("a"));
  std::string ta = admin_token(a.port());
  std::string w = warehouse_ids(a.port(), ta).at(0);
  std::optional<berry_server> b;
  std::string tb;

  pg_cluster() {
    REQUIRE(eventually([&] { return owner_of(a.port(), ta, w).first == "a"; }));
    b.emplace(
        db.path, flags("b"),
        std::vector<std::string>{"BERRY_ADMIN_EMAIL=" + admin_email,
                                 "BERRY_ADMIN_PASSWORD=" + admin_password});
    tb = admin_token(b->port());
    REQUIRE(
        eventually([&] { return owner_of(b->port(), tb, w).first == "a"; }));
    REQUIRE(eventually(
        [&] { return set_stock(a.port(), ta, w, product, 7) == 200; }));
  }

  std::vector<std::string> flags(const std::string& name) {
    return {"--etcd", etcd.url(),      "--node-name", name,   "--cluster-name",
            "fence",  "--lease-ttl-s", "2",           "--db", pg.conninfo()};
  }

  /// "node:epoch" of the warehouse's row in shard_owner.
  std::string fence_of() {
    return value_of(pg,
                    "SELECT node || ':' || epoch FROM shard_owner WHERE shard "
                    "= " +
                        std::to_string(berry::cluster::fence_key(w)));
  }

  std::string on_hand() {
    return value_of(pg, "SELECT on_hand FROM stock WHERE warehouse_id = '" + w +
                            "' AND product_id = '" + product + "'");
  }
};

} // namespace

TEST_CASE(
    "a warehouse is served by its owner, and after the owner is killed the "
    "survivor fences it at a new epoch and serves what was stored",
    "[etcd]") {
  if (pg_missing())
    return;
  pg_cluster c;
  auto [a, b, ta, tb, w] = std::tie(c.a, *c.b, c.ta, c.tb, c.w);
  auto epoch_a = owner_of(a.port(), ta, w).second;
  CHECK(c.fence_of() == "a:" + std::to_string(epoch_a));

  // b serves it too, through its owner.
  CHECK(eventually([&] {
    auto res = get(b.port(), stock_path(w), bearer(tb));
    return res.status == 200 && res.json()["on_hand"] == 7;
  }));

  a.kill9();
  auto t0 = clock_type::now();
  // The owner is gone: b answers 503 at once until it takes over.
  auto elsewhere = get(b.port(), stock_path(w), bearer(tb));
  CHECK(ms_since(t0) < 500);
  CHECK(elsewhere.status == 503);
  CHECK(elsewhere.header("content-type") == "application/problem+json");
  CHECK(elsewhere.header("retry-after") == "1");
  REQUIRE(eventually(
      [&] { return get(b.port(), stock_path(w), bearer(tb)).status == 200; },
      15000));
  auto took = ms_since(t0);
  WARN("kill -9 of the owner -> its warehouse served by the survivor after "
       << took << " ms (lease TTL 2 s)");
  CHECK(took < 2000 + 1500);
  CHECK(get(b.port(), stock_path(w), bearer(tb)).json()["on_hand"] == 7);
  auto [owner, epoch_b] = owner_of(b.port(), tb, w);
  CHECK(owner == "b");
  CHECK(epoch_b > epoch_a);
  CHECK(c.fence_of() == "b:" + std::to_string(epoch_b));
  CHECK(set_stock(b.port(), tb, w, product, 9) == 200);
  CHECK(c.on_hand() == "9");
}

TEST_CASE("a frozen owner's late write after the takeover is refused and "
          "nothing of it lands",
          "[etcd]") {
  if (pg_missing())
    return;
  pg_cluster c;
  auto [a, b, ta, tb, w] = std::tie(c.a, *c.b, c.ta, c.tb, c.w);
  a.process().signal(SIGSTOP);
  auto t0 = clock_type::now();
  // b's write once b owns w (a write routed to a in the moment before the
  // signal took effect would land too, at a's epoch).
  REQUIRE(eventually(
      [&] {
        return owner_of(b.port(), tb, w).first == "b" &&
               set_stock(b.port(), tb, w, product, 5) == 200;
      },
      15000));
  WARN("SIGSTOP of the owner -> its warehouse written on the survivor after "
       << ms_since(t0) << " ms (lease TTL 2 s)");
  a.process().signal(SIGCONT);
  // Whether a's warehouse is still up (its write then fails on the fence),
  // or a has let it go on its own clock (and answers 503, or routes the
  // write to b, the owner now, which takes it): nothing a's own warehouse
  // writes lands.
  auto late = set_stock(a.port(), ta, w, product, 1);
  CHECK((late == 503 || late == 200));
  CHECK(c.on_hand() == (late == 200 ? "1" : "5"));
  CHECK(c.fence_of().rfind("b:", 0) == 0);
  // a comes back as a node without b's shards, and serves w through b.
  REQUIRE(eventually([&] { return owner_of(a.port(), ta, w).first == "b"; }));
  CHECK(eventually(
      [&] { return get(a.port(), stock_path(w), bearer(ta)).status == 200; },
      15000));
}
