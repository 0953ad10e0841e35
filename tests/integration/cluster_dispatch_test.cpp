// The city's dispatch as one shard (issue 14): one node owns it and runs
// the dispatcher and every courier; the orders on every node hand their
// deliveries there over CAF, and hear back. When that node dies the shard
// moves, and the orders out for delivery are delivered by the new owner.

#include <algorithm>
#include <csignal>
#include <memory>

#include <catch2/catch.hpp>

#include "cluster_orders.hpp"

using namespace berry;
using namespace berry::test;

namespace {

const std::string pid = "p-000040";

/// The city's dispatch shard, named after the city of the streets data
/// (examples/demo/streets.json: "city_id": "moscow").
const std::string dispatch_shard = "couriers/moscow";

/// The dispatch shard's owner as node `i` sees it ("" when unowned).
std::string dispatch_owner(order_cluster& c, size_t i) {
  return owner_of(c.port(i), c.tokens[i], dispatch_shard).first;
}

/// True when every node in `nodes` sees the same live owner of the
/// dispatch shard, one of `live`.
bool one_dispatch_owner(order_cluster& c, const std::vector<size_t>& nodes,
                        const std::vector<std::string>& live) {
  auto first = dispatch_owner(c, nodes.front());
  if (std::find(live.begin(), live.end(), first) == live.end())
    return false;
  for (auto i : nodes)
    if (dispatch_owner(c, i) != first)
      return false;
  return true;
}

/// GET /api/v1/couriers through node `i`.
nlohmann::json couriers_on(order_cluster& c, size_t i) {
  auto res = get(c.port(i), "/api/v1/couriers", bearer(c.tokens[i]));
  REQUIRE(res.status == 200);
  return res.json()["items"];
}

/// The courier `id` of a couriers list.
nlohmann::json courier_in(const nlohmann::json& items, const std::string& id) {
  for (auto& x : items)
    if (x["id"] == id)
      return x;
  FAIL("no courier " << id);
  return {};
}

/// Every node in `nodes` lists the couriers alike (one dispatcher moves
/// them all), and the courier that delivered order `id` (as node
/// `nodes[0]` tells it to `token`) stands where the order's last courier
/// position put it, which is also where PostgreSQL has it.
void one_courier_story(order_cluster& c, const std::vector<size_t>& nodes,
                       const std::string& token, const std::string& id) {
  auto order =
      get(c.port(nodes.front()), "/api/v1/orders/" + id, bearer(token)).json();
  REQUIRE(order["status"] == "delivered");
  REQUIRE(order.contains("courier"));
  auto courier_id = order["courier"]["id"].get<std::string>();
  auto first = couriers_on(c, nodes.front());
  for (auto i : nodes)
    CHECK(couriers_on(c, i) == first);
  auto k = courier_in(first, courier_id);
  CHECK(k["status"] == "idle");
  auto lat = k["location"]["lat"].get<double>();
  auto lon = k["location"]["lon"].get<double>();
  CHECK(lat == Approx(order["courier"]["location"]["lat"].get<double>()));
  CHECK(lon == Approx(order["courier"]["location"]["lon"].get<double>()));
  auto stored = c.db();
  auto st = stored.prepare("SELECT lat, lon FROM couriers WHERE id = ?1");
  st.bind(1, courier_id);
  REQUIRE(st.step());
  CHECK(st.col_real(0) == Approx(lat));
  CHECK(st.col_real(1) == Approx(lon));
}

/// Nodes a, b and c at `time_scale`, `units` of pid in stock and a
/// customer `email` registered; a owns every shard, the dispatch shard too,
/// as every node sees.
std::unique_ptr<order_cluster> three_nodes(const std::string& time_scale,
                                           int64_t units,
                                           const std::string& email) {
  auto c = std::make_unique<order_cluster>(
      std::vector<std::string>{"--time-scale", time_scale});
  c->stock_only(pid, units);
  REQUIRE_FALSE(register_customer(c->port(0), email).empty());
  c->add();
  c->add();
  REQUIRE(one_dispatch_owner(*c, {0, 1, 2}, {"a"}));
  return c;
}

/// An order and its shopper (on node d), and the dispatch shard's owner.
struct off_owner_order {
  std::string id, token, owner;
};

/// a leaves: b and c share its shards by rendezvous hashing; d joins and
/// takes none. Then checkouts through d until an order runs on the node
/// that does not own the dispatch shard. A user's orders run on the node
/// that hosts the user's order shard, b or c: each try is a new shopper.
off_owner_order order_off_the_dispatch_owner(order_cluster& c,
                                             const std::string& tag) {
  c.nodes[0]->process().signal(SIGTERM);
  c.add(false);
  REQUIRE(eventually(
      [&] {
        return one_dispatch_owner(c, {1, 2, 3}, {"b", "c"});
      },
      15000));
  off_owner_order out;
  out.owner = dispatch_owner(c, 1);
  for (int k = 0; k < 12 && out.id.empty(); ++k) {
    out.token =
        register_customer(c.port(3), tag + std::to_string(k) + "@berry.test");
    REQUIRE_FALSE(out.token.empty());
    REQUIRE(c.routes_orders(3, out.token));
    auto res = checkout(c.port(3), out.token, tag + "-" + std::to_string(k),
                        checkout_body({{pid, 1}}, "tok_ok"));
    REQUIRE((res.status == 201 || res.status == 202));
    auto oid = res.json()["id"].get<std::string>();
    auto shard = order_shard_id(order_shard_of(oid));
    if (owner_of(c.port(3), c.tokens[3], shard).first != out.owner)
      out.id = oid;
  }
  REQUIRE_FALSE(out.id.empty());
  return out;
}

/// The nodes' lease TTL (order_cluster's --lease-ttl-s) in ms.
constexpr int lease_ttl_ms = 2000;

/// Waits until order `id` is out for delivery (a courier assigned or the
/// parcel picked up) as node `i` tells `token`; the order as told then.
nlohmann::json out_for_delivery(order_cluster& c, size_t i,
                                const std::string& token,
                                const std::string& id) {
  nlohmann::json seen;
  REQUIRE(eventually(
      [&] {
        auto res = get(c.port(i), "/api/v1/orders/" + id, bearer(token));
        if (res.status != 200)
          return false;
        seen = res.json();
        return seen["status"] == "courier_assigned" ||
               seen["status"] == "picked_up";
      },
      30000));
  REQUIRE(seen.contains("eta_s"));
  return seen;
}

} // namespace

TEST_CASE("the city's dispatch shard has one owner, and an order that runs "
          "on another node, checked out through a third that owns nothing, "
          "is delivered by the owner's couriers, which every node shows "
          "alike",
          "[etcd]") {
  if (pg_missing())
    return;
  auto cluster = three_nodes("1000", 12, "disp@berry.test");
  auto& c = *cluster;
  auto o = order_off_the_dispatch_owner(c, "disp");
  auto& id = o.id;
  CHECK(eventually([&] { return c.status_of(id) == "delivered"; }, 30000));
  // Every order delivered: no courier moves any more.
  REQUIRE(eventually(
      [&] {
        return c.count("SELECT COUNT(*) FROM orders "
                       "WHERE status <> 'delivered'") == 0;
      },
      30000));
  CHECK(get(c.port(3), "/api/v1/orders/" + id, bearer(o.token))
            .json()["status"] == "delivered");
  one_courier_story(c, {3, 1, 2}, o.token, id);
  CHECK(one_dispatch_owner(c, {1, 2, 3}, {o.owner}));
}

TEST_CASE("kill -9 of the dispatch shard's owner while an order is out for "
          "delivery: the shard moves, and the order is delivered on the "
          "survivors",
          "[etcd]") {
  if (pg_missing())
    return;
  // Slow enough that the delivery is under way when a dies: its ride takes
  // about 50 s at this scale.
  auto cluster = three_nodes("100", 5, "kill@berry.test");
  auto& c = *cluster;
  auto old_epoch = owner_of(c.port(1), c.tokens[1], dispatch_shard).second;
  auto token = customer_login(c.port(1), "kill@berry.test");
  REQUIRE(c.routes_orders(1, token));
  auto res =
      checkout(c.port(1), token, "kill-1", checkout_body({{pid, 1}}, "tok_ok"));
  REQUIRE(res.status == 201);
  auto id = res.json()["id"].get<std::string>();
  auto eta_ms = out_for_delivery(c, 1, token, id)["eta_s"].get<int>() * 1000;
  c.nodes[0]->kill9();
  REQUIRE(eventually(
      [&] {
        return one_dispatch_owner(c, {1, 2}, {"b", "c"});
      },
      15000));
  CHECK(owner_of(c.port(1), c.tokens[1], dispatch_shard).second > old_epoch);
  // The order, whose shard moved too, goes on with the new owner's courier
  // from where it was last seen: delivered about when it was due, give or
  // take the takeover (not after a courier started over).
  CHECK(eventually([&] { return c.status_of(id) == "delivered"; },
                   eta_ms + lease_ttl_ms + 10000));
  auto seen = get(c.port(1), "/api/v1/orders/" + id, bearer(token)).json();
  CHECK(seen["status"] == "delivered");
  one_courier_story(c, {1, 2}, token, id);
}

TEST_CASE("kill -9 of the dispatch shard's owner while an order that runs on "
          "another node is out for delivery: that node hands the delivery to "
          "the new owner as soon as it has one, and the courier rides on",
          "[etcd]") {
  if (pg_missing())
    return;
  auto cluster = three_nodes("200", 12, "rehand@berry.test");
  auto& c = *cluster;
  auto o = order_off_the_dispatch_owner(c, "rehand");
  auto eta_ms =
      out_for_delivery(c, 3, o.token, o.id)["eta_s"].get<int>() * 1000;
  size_t dead = o.owner == "b" ? 1 : 2;
  size_t other = dead == 1 ? 2 : 1;
  auto killed = std::chrono::steady_clock::now();
  c.nodes[dead]->kill9();
  REQUIRE(eventually(
      [&] {
        return one_dispatch_owner(c, {other, 3}, {other == 1 ? "b" : "c", "d"});
      },
      15000));
  // The order's node lives: nothing of it restarts. Its courier stood still
  // since the kill (or rides again already).
  auto where = [&] {
    auto res = get(c.port(3), "/api/v1/orders/" + o.id, bearer(o.token));
    REQUIRE(res.status == 200);
    return res.json()["courier"]["location"];
  };
  auto stood = where();
  auto due = killed + std::chrono::milliseconds(lease_ttl_ms + 5000);
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      due - std::chrono::steady_clock::now());
  // It rides on within moments of the takeover, not when the order would
  // hand its delivery over again by itself (every 10 s).
  CHECK(eventually([&] { return where() != stood; },
                   static_cast<int>(std::max<int64_t>(left.count(), 0))));
  CHECK(eventually([&] { return c.status_of(o.id) == "delivered"; },
                   eta_ms + lease_ttl_ms + 10000));
  one_courier_story(c, {3, other}, o.token, o.id);
  CHECK(one_dispatch_owner(c, {other, 3}, {dispatch_owner(c, 3)}));
}
