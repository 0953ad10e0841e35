#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "auth_client.hpp"
#include "cluster_shop.hpp"
#include "support/etcd_server.hpp"

// Accounts across the nodes of a cluster (issue 14): a node takes the
// tokens of accounts made or changed on another node after it started, and
// refuses a token signed out, or superseded, on another node within a short
// bound (actors/account_sync.hpp).

using namespace berry::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

/// Nodes on one etcd and one PostgreSQL that share one token key, as
/// examples/cluster/run starts them.
struct account_cluster {
  postgres_server pg;
  etcd_server etcd;
  std::string key = std::string(32, 'k');
  std::vector<std::unique_ptr<temp_dir>> dirs;
  std::vector<std::unique_ptr<berry_server>> nodes;

  /// Starts node `name`; the first seeds the store. `env` may make the
  /// admin account.
  berry_server& start(const std::string& name,
                      std::vector<std::string> env = {}) {
    dirs.push_back(std::make_unique<temp_dir>());
    std::ofstream{dirs.back()->path + "/token.key", std::ios::binary} << key;
    std::vector<std::string> flags{
        "--etcd",         etcd.url(),    "--node-name",   name,
        "--cluster-name", "accounts",    "--lease-ttl-s", "2",
        "--db",           pg.conninfo(), "--rate-limits", "off"};
    if (!nodes.empty())
      flags.push_back("--no-seed");
    nodes.push_back(std::make_unique<berry_server>(dirs.back()->path, flags,
                                                   std::move(env)));
    return *nodes.back();
  }

  uint16_t port(size_t i) const { return nodes.at(i)->port(); }

  /// The status of GET /api/v1/orders with `token` on node `i`.
  int orders_status(size_t i, const std::string& token) {
    return get(port(i), "/api/v1/orders", bearer(token)).status;
  }

  /// Milliseconds until every node but `except` answers `token` with
  /// `status`; -1 after 5 s.
  int64_t until_everywhere(const std::string& token, int status,
                           size_t except) {
    auto t0 = clock_type::now();
    bool ok = eventually(
        [&] {
          for (size_t i = 0; i < nodes.size(); ++i)
            if (i != except && orders_status(i, token) != status)
              return false;
          return true;
        },
        5000);
    return ok ? ms_since(t0) : -1;
  }
};

std::vector<std::string> admin_env(const std::string& password) {
  return {"BERRY_ADMIN_EMAIL=" + admin_email,
          "BERRY_ADMIN_PASSWORD=" + password};
}

/// Logs `email` in on `port`; its token, or "".
std::string token_of(uint16_t port, const std::string& email,
                     const std::string& password) {
  auto res = log_in(port, email, password);
  return res.status == 200 ? res.json()["token"].get<std::string>() : "";
}

/// Logs the admin in on `port` with `password`; its token, or "".
std::string admin_login(uint16_t port, const std::string& password) {
  return token_of(port, admin_email, password);
}

} // namespace

TEST_CASE("a shopper who registered on one node is served by every node, and "
          "the admin made after a node started is taken there",
          "[etcd]") {
  if (pg_missing())
    return;
  account_cluster c;
  c.start("a");
  c.start("b");
  // c makes the admin account: a and b started before it existed.
  c.start("c", admin_env(admin_password));
  auto admin = admin_login(c.port(2), admin_password);
  REQUIRE_FALSE(admin.empty());
  for (size_t i = 0; i < 3; ++i)
    CHECK(get(c.port(i), "/api/v1/cluster", bearer(admin)).status == 200);

  auto on_a = register_customer(c.port(0), "anna@berry.test");
  auto on_b = register_customer(c.port(1), "boris@berry.test");
  REQUIRE_FALSE(on_a.empty());
  REQUIRE_FALSE(on_b.empty());
  for (size_t i = 0; i < 3; ++i) {
    CHECK(c.orders_status(i, on_a) == 200);
    CHECK(c.orders_status(i, on_b) == 200);
  }
}

TEST_CASE("a logout on one node is refused by the others within a second",
          "[etcd]") {
  if (pg_missing())
    return;
  account_cluster c;
  c.start("a");
  c.start("b");
  c.start("c");
  auto token = register_customer(c.port(0), "vera@berry.test");
  REQUIRE_FALSE(token.empty());
  // Both other nodes took the token before the logout.
  REQUIRE(c.orders_status(1, token) == 200);
  REQUIRE(c.orders_status(2, token) == 200);
  auto out =
      request(c.port(0), "POST", "/api/v1/auth/logout", "", bearer(token));
  REQUIRE(out.status == 204);
  CHECK(c.orders_status(0, token) == 401);
  auto took = c.until_everywhere(token, 401, 0);
  WARN("a logout on a reached b and c in " << took << " ms");
  CHECK(took >= 0);
  CHECK(took < 1000);
  // A second token of the same account is still good everywhere.
  auto fresh = token_of(c.port(1), "vera@berry.test", "password-123");
  REQUIRE_FALSE(fresh.empty());
  for (size_t i = 0; i < 3; ++i)
    CHECK(c.orders_status(i, fresh) == 200);
}

TEST_CASE("a new admin password on one node revokes the old admin token on "
          "every node",
          "[etcd]") {
  if (pg_missing())
    return;
  account_cluster c;
  c.start("a", admin_env(admin_password));
  c.start("b");
  auto old_token = admin_login(c.port(0), admin_password);
  REQUIRE_FALSE(old_token.empty());
  REQUIRE(c.orders_status(1, old_token) == 200);
  // Node c starts with a new password: the admin reset bumps the account's
  // token version on c, and a and b hear of it.
  const std::string changed = "another-secret-77";
  c.start("c", admin_env(changed));
  CHECK(c.orders_status(2, old_token) == 401);
  auto took = c.until_everywhere(old_token, 401, 2);
  WARN("an admin reset on c reached a and b in " << took << " ms");
  CHECK(took >= 0);
  CHECK(admin_login(c.port(0), admin_password).empty());
  auto new_token = admin_login(c.port(2), changed);
  REQUIRE_FALSE(new_token.empty());
  for (size_t i = 0; i < 3; ++i)
    CHECK(c.orders_status(i, new_token) == 200);
}
