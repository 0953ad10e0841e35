#pragma once

// Nodes on one etcd and one PostgreSQL for the order shards' tests (issue
// 14). The first node starts alone and claims every shard, warehouses and
// order shards alike; the others join with none, so every order runs on
// the first node until it dies and the others take its shards over.

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "actors/order_shards.hpp"
#include "cluster_shop.hpp"
#include "storage/database.hpp"
#include "support/etcd_server.hpp"

namespace berry::test {

/// Logs a customer registered by register_customer in on node `port`
/// (each node signs its own tokens); returns the token.
inline std::string customer_login(uint16_t port, const std::string& email) {
  nlohmann::json body{{"email", email}, {"password", "password-123"}};
  auto res = request(port, "POST", "/api/v1/auth/login", body.dump(),
                     {{"Content-Type", "application/json"}});
  return res.status == 200 ? res.json()["token"].get<std::string>() : "";
}

/// A gauge or counter of GET /metrics (the sum of its series).
inline double metric(uint16_t port, const std::string& name) {
  std::istringstream in(get(port, "/metrics").body);
  double sum = 0;
  for (std::string line; std::getline(in, line);)
    if (line.rfind(name + " ", 0) == 0 || line.rfind(name + "{", 0) == 0)
      sum += std::stod(line.substr(line.rfind(' ') + 1));
  return sum;
}

struct order_cluster {
  postgres_server pg;
  etcd_server etcd;
  std::vector<std::string> extra;
  std::vector<std::unique_ptr<temp_dir>> dirs;
  std::vector<std::unique_ptr<berry_server>> nodes;
  std::vector<std::string> tokens;
  std::string w;

  /// Node a alone, with `flags` besides the cluster's. (A node knows the
  /// accounts there were at its start: register customers on a before
  /// adding the others, and log them in there.)
  explicit order_cluster(std::vector<std::string> flags)
      : extra(std::move(flags)) {
    add();
  }

  /// Starts one more node (b, c, ...); waits until it sees a own every
  /// shard (unless `a_owns_all` is false: a has left) and is ready.
  void add(bool a_owns_all = true) {
    size_t i = nodes.size();
    std::string name(1, static_cast<char>('a' + i));
    dirs.push_back(std::make_unique<temp_dir>());
    std::vector<std::string> flags{
        "--etcd",         etcd.url(),    "--node-name",   name,
        "--cluster-name", "orders",      "--lease-ttl-s", "2",
        "--db",           pg.conninfo(), "--rate-limits", "off"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    nodes.push_back(std::make_unique<berry_server>(
        dirs.back()->path, flags,
        std::vector<std::string>{"BERRY_ADMIN_EMAIL=" + admin_email,
                                 "BERRY_ADMIN_PASSWORD=" + admin_password}));
    tokens.push_back(admin_token(port(i)));
    if (i == 0)
      w = warehouse_ids(port(0), tokens[0]).at(0);
    if (a_owns_all)
      REQUIRE(eventually([&] { return all_owned_by_a(i); }));
    else
      REQUIRE(
          eventually([&] { return get(port(i), "/readyz").status == 200; }));
  }

  /// True when node `i` sees a own every shard, and is ready.
  bool all_owned_by_a(size_t i) {
    auto res = get(port(i), "/api/v1/cluster", bearer(tokens[i]));
    if (res.status != 200 || get(port(i), "/readyz").status != 200)
      return false;
    auto v = res.json();
    size_t n = 0;
    for (auto& s : v["shards"]) {
      if (s["owner"] != "a")
        return false;
      ++n;
    }
    return n > size_t{order_shard_count};
  }

  uint16_t port(size_t i) const { return nodes.at(i)->port(); }

  /// Puts exactly `units` of `pid` into a's first warehouse, none elsewhere
  /// (each asked until a answers 200).
  void stock_only(const std::string& pid, int64_t units) {
    auto ids = warehouse_ids(port(0), tokens[0]);
    for (size_t k = 0; k < ids.size(); ++k)
      REQUIRE(eventually([&] {
        return set_stock(port(0), tokens[0], ids[k], pid, k == 0 ? units : 0) ==
               200;
      }));
  }

  /// Waits until node `i` reaches the owner of every order (a GET of an
  /// order nobody made answers 404, not 503).
  bool routes_orders(size_t i, const std::string& token) {
    return eventually([&] {
      for (int n = 0; n < 8; ++n)
        if (get(port(i), "/api/v1/orders/o-nobody" + std::to_string(n),
                bearer(token))
                .status != 404)
          return false;
      return true;
    });
  }

  storage::database db() {
    return storage::database::open(pg.conninfo(),
                                   storage::open_mode::read_only);
  }

  /// One number `sql` selects.
  int64_t count(const std::string& sql) {
    auto d = db();
    auto st = d.prepare(sql);
    st.step();
    return st.col_int(0);
  }

  /// Order `id`'s status as stored ("" when there is none).
  std::string status_of(const std::string& id) {
    auto d = db();
    auto st = d.prepare("SELECT status FROM orders WHERE id = ?1");
    st.bind(1, id);
    return st.step() ? st.col_text(0) : "";
  }
};

} // namespace berry::test
