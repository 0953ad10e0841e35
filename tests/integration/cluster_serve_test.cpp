#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "cluster/etcd_json.hpp"
#include "shop.hpp"
#include "support/etcd_server.hpp"

// `berry serve --etcd ...` (issue 14): nodes join through a real etcd and
// show the cluster at GET /api/v1/cluster.

using namespace berry::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

std::vector<std::string> node_flags(const etcd_server& etcd,
                                    const std::string& name) {
  return {"--etcd",         etcd.url(), "--node-name",   name,
          "--cluster-name", "it",       "--lease-ttl-s", "2"};
}

/// GET /api/v1/cluster until `pred(body)` holds; the last body either way.
template <class Pred>
nlohmann::json poll_cluster(uint16_t port, const std::string& token, Pred pred,
                            std::chrono::milliseconds limit = 10000ms) {
  auto until = clock_type::now() + limit;
  nlohmann::json body;
  while (clock_type::now() < until) {
    auto res = get(port, "/api/v1/cluster", bearer(token));
    if (res.status == 200) {
      body = res.json();
      if (pred(body))
        break;
    }
    std::this_thread::sleep_for(10ms);
  }
  return body;
}

/// Every shard has an owner among `nodes`, and there are `shards` of them.
auto settled(size_t nodes, size_t shards) {
  return [nodes, shards](const nlohmann::json& v) {
    if (v["nodes"].size() != nodes || v["shards"].size() != shards)
      return false;
    std::set<std::string> names;
    for (auto& n : v["nodes"])
      names.insert(n["name"].get<std::string>());
    for (auto& s : v["shards"])
      if (!names.count(s["owner"].get<std::string>()))
        return false;
    return true;
  };
}

} // namespace

TEST_CASE("two nodes on one etcd agree on who owns every shard", "[etcd]") {
  etcd_server etcd;
  temp_dir da, db;
  auto a = shop_server(da.path, node_flags(etcd, "a"));
  auto b = shop_server(db.path, node_flags(etcd, "b"));
  auto ta = admin_token(a.port());
  auto tb = admin_token(b.port());
  // One shard per warehouse, 16 order shards and the city's dispatch.
  size_t shards = warehouse_ids(a.port(), ta).size() + 16 + 1;
  auto va = poll_cluster(a.port(), ta, settled(2, shards));
  auto vb = poll_cluster(b.port(), tb, settled(2, shards));
  REQUIRE(settled(2, shards)(va));
  CHECK(va["shards"] == vb["shards"]);
  CHECK(va["nodes"][0]["name"] == "a");
  CHECK(va["nodes"][0]["http"] == "127.0.0.1:" + std::to_string(a.port()));
  CHECK(va["nodes"][0]["ready"] == true);
  for (auto& s : va["shards"])
    CHECK(s["epoch"].get<int64_t>() > 0);
}

TEST_CASE("a node stopped with SIGTERM hands its shards over at once",
          "[etcd]") {
  etcd_server etcd;
  temp_dir da, db;
  auto a = shop_server(da.path, node_flags(etcd, "a"));
  auto ta = admin_token(a.port());
  size_t shards = warehouse_ids(a.port(), ta).size() + 16 + 1;
  REQUIRE(settled(1, shards)(poll_cluster(a.port(), ta, settled(1, shards))));
  auto b = shop_server(db.path, node_flags(etcd, "b"));
  auto tb = admin_token(b.port());
  REQUIRE(settled(2, shards)(poll_cluster(b.port(), tb, settled(2, shards))));
  auto t0 = clock_type::now();
  CHECK(a.stop() == 0);
  auto vb = poll_cluster(b.port(), tb, settled(1, shards), 5000ms);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                  clock_type::now() - t0)
                  .count();
  REQUIRE(settled(1, shards)(vb));
  CHECK(vb["nodes"][0]["name"] == "b");
  WARN("SIGTERM of the owner -> every shard on the survivor after " << took
                                                                    << " ms");
  CHECK(took < 1000); // its lease is revoked first: no wait for the TTL
}

TEST_CASE("a node without --etcd has no cluster to show") {
  temp_dir d;
  auto s = shop_server(d.path);
  CHECK(get(s.port(), "/api/v1/cluster").status == 401);
  auto customer = register_customer(s.port(), "c@berry.test");
  CHECK(get(s.port(), "/api/v1/cluster", bearer(customer)).status == 403);
  CHECK(
      get(s.port(), "/api/v1/cluster", bearer(admin_token(s.port()))).status ==
      404);
}

TEST_CASE("a cluster node opens a port for the other nodes and publishes it",
          "[etcd]") {
  etcd_server etcd;
  temp_dir d;
  auto a = shop_server(d.path, node_flags(etcd, "a")); // --cluster-port 0
  // The node's key, read through etcd's JSON gateway.
  nlohmann::json key{
      {"key", berry::cluster::base64_encode("/berry/it/nodes/a")}};
  nlohmann::json node;
  auto until = clock_type::now() + 10s;
  while (node.is_null() && clock_type::now() < until) {
    auto res = request(etcd.client_port(), "POST", "/v3/kv/range", key.dump());
    auto kvs = res.status == 200 ? res.json()["kvs"] : nlohmann::json{};
    if (!kvs.empty())
      node = nlohmann::json::parse(
          *berry::cluster::base64_decode(kvs[0]["value"].get<std::string>()));
    else
      std::this_thread::sleep_for(10ms);
  }
  REQUIRE(node.is_object());
  std::string address = node["cluster"];
  REQUIRE(address.rfind("127.0.0.1:", 0) == 0);
  auto port = std::stoi(address.substr(10));
  CHECK(port != 0);
  CHECK_NOTHROW(http_connection{static_cast<uint16_t>(port)});
}
