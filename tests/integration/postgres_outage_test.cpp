// The real binary on a real PostgreSQL that goes away: /readyz says so while
// the database is down, the shop takes orders again once it is back (or once
// the standby is promoted), and nothing acknowledged is lost.

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "shop.hpp"
#include "support/postgres_server.hpp"

using namespace berry::test;

namespace {

int readyz(uint16_t port) {
  return get(port, "/readyz").status;
}

/// Buys one unit of `pid` with a fresh key; returns the order id, or "" when
/// the checkout was not acknowledged.
std::string buy(uint16_t port, const std::string& token, const std::string& pid,
                int n) {
  auto res = checkout(port, token, "k-" + std::to_string(n),
                      checkout_body({{pid, 1}}, "tok_ok"));
  return res.status == 201 ? res.json()["id"].get<std::string>() : "";
}

std::set<std::string> listed(uint16_t port, const std::string& token) {
  std::set<std::string> out;
  auto page = get(port, "/api/v1/orders?page_size=100", bearer(token)).json();
  for (auto& o : page["items"])
    out.insert(o["id"].get<std::string>());
  return out;
}

/// The one value `sql` selects on `pg`, as text.
std::string value_of(postgres_server& pg, const std::string& sql) {
  auto out = pg.psql(sql);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

} // namespace

TEST_CASE("on PostgreSQL, /readyz is 503 while the database is down, and the "
          "shop sells again when it is back",
          "[postgres]") {
  postgres_server pg;
  temp_dir dir;
  auto server = shop_server(dir.path, {"--db", pg.conninfo()});
  auto port = server.port();
  auto admin = admin_token(port);
  stock_only(port, admin, "p-000070", 10);
  auto token = register_customer(port, "vera@berry.test");
  auto first = buy(port, token, "p-000070", 1);
  REQUIRE(!first.empty());
  CHECK(readyz(port) == 200);

  auto first_warehouse = warehouse_ids(port, admin)[0];
  pg.stop("fast");
  auto down = get(port, "/readyz");
  CHECK(down.status == 503);
  CHECK(down.json()["type"].get<std::string>().find("unavailable") !=
        std::string::npos);
  CHECK(down.header("retry-after") == "1");
  // What needs the database says it is away and worth asking again (503
  // with Retry-After), not that the server broke (500). A checkout is never
  // a 201 meanwhile.
  auto unavailable = [](const http_response& res) {
    INFO(res.status << " " << res.body);
    return res.status == 503 && res.header("retry-after") == "1";
  };
  CHECK(unavailable(checkout(port, token, "k-down",
                             checkout_body({{"p-000070", 1}}, "tok_ok"))));
  CHECK(unavailable(get(port, "/api/v1/orders", bearer(token))));
  CHECK(unavailable(request(
      port, "POST", "/api/v1/auth/login",
      nlohmann::json{{"email", "vera@berry.test"}, {"password", "password-123"}}
          .dump(),
      {{"Content-Type", "application/json"}})));
  auto h = bearer(admin);
  h["Content-Type"] = "application/json";
  CHECK(unavailable(request(
      port, "PUT", "/api/v1/warehouses/" + first_warehouse + "/stock/p-000070",
      nlohmann::json{{"on_hand", 11}}.dump(), h)));

  pg.start();
  REQUIRE(eventually([&] { return readyz(port) == 200; }, 20000));
  auto second = buy(port, token, "p-000070", 2);
  REQUIRE(!second.empty());
  // Both acknowledged orders are there, read through reconnected readers.
  auto orders = listed(port, token);
  CHECK(orders.count(first) == 1);
  CHECK(orders.count(second) == 1);
  // Stock and orders agree: each unit gone is in an order of hers (the
  // refused checkout may have finished after the database came back).
  CHECK(eventually([&] {
    return available(port, "p-000070") + listed(port, token).size() == 10;
  }));
}

TEST_CASE("on PostgreSQL, when the primary dies and the standby is promoted, "
          "the shop goes on there and every acknowledged order and charge "
          "is kept",
          "[postgres]") {
  postgres_server primary;
  temp_dir dir;
  std::string both_hosts;
  {
    // The schema first, so that the standby copies it.
    auto server = shop_server(dir.path, {"--db", primary.conninfo()});
    server.stop();
  }
  postgres_server standby{postgres_server::standby_of{primary}};
  both_hosts = "host=" + primary.dir() + "," + standby.dir() +
               " port=5432,5432 user=berry dbname=berry"
               " target_session_attrs=read-write connect_timeout=2";
  auto server = shop_server(dir.path, {"--db", both_hosts});
  auto port = server.port();
  stock_only(port, admin_token(port), "p-000071", 20);
  auto token = register_customer(port, "gleb@berry.test");
  // A shopper buys one unit after another, retrying a 503 with the same key
  // as API.md asks, while the primary dies and the standby is promoted.
  std::set<std::string> acknowledged;
  std::atomic<int> bought{0};
  std::thread shopper{[&] {
    for (int n = 0; n < 10; ++n) {
      std::string id;
      for (int attempt = 0; attempt < 300 && id.empty(); ++attempt) {
        if (attempt > 0) // a client's pause before it tries again
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        id = buy(port, token, "p-000071", n);
      }
      if (id.empty())
        return;
      acknowledged.insert(id);
      ++bought;
    }
  }};
  // Mid-stream: after the third acknowledged order.
  CHECK(eventually([&] { return bought >= 3; }, 20000));
  primary.stop("immediate");
  standby.promote();
  shopper.join();
  REQUIRE(bought == 10);
  CHECK(readyz(port) == 200);
  CHECK(acknowledged.size() == 10);

  // Every acknowledged order is on the new primary, paid, with its charge.
  auto orders = listed(port, token);
  for (auto& id : acknowledged)
    CHECK(orders.count(id) == 1);
  CHECK(value_of(standby,
                 "SELECT count(*) FROM orders WHERE status <> 'cancelled'") ==
        "10");
  CHECK(value_of(standby,
                 "SELECT COALESCE(sum(amount), 0) FROM provider_payments"
                 " WHERE kind = 'charge' AND status = 'captured'") ==
        value_of(standby, "SELECT COALESCE(sum(total), 0) FROM orders"
                          " WHERE status <> 'cancelled'"));
  // And the stock agrees: 20 units, 10 sold.
  CHECK(eventually([&] { return available(port, "p-000071") == 10; }));
}
