// kill -9 in the middle of a stream of checkouts: after a restart every
// acknowledged order is there, and every order ends paid or cancelled with
// its money and its stock accounted for.

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "shop.hpp"
#include "storage/database.hpp"

using namespace berry::test;

TEST_CASE("orders acknowledged before a kill -9 survive it and all settle") {
  temp_dir dir;
  const std::string pid = "p-000200";
  const int64_t units = 1000;
  std::vector<std::string> tokens;
  std::set<std::string> acknowledged;
  {
    // Eight shoppers as fast as they can: a load test, no rate limits.
    auto server = shop_server(dir.path, {"--rate-limits", "off"});
    auto port = server.port();
    auto admin = admin_token(port);
    stock_only(port, admin, pid, units);
    for (int i = 0; i < 8; ++i)
      tokens.push_back(
          register_customer(port, "crash" + std::to_string(i) + "@berry.test"));
    std::mutex mtx;
    std::atomic<bool> stop{false};
    std::vector<std::thread> shoppers;
    for (int i = 0; i < 8; ++i)
      shoppers.emplace_back([&, i] {
        // A slow or declined card now and then keeps sagas in flight.
        const char* cards[] = {"tok_ok", "tok_ok", "tok_flaky", "tok_decline",
                               "tok_slow"};
        for (int n = 0; !stop; ++n) {
          try {
            auto res =
                checkout(port, tokens[i],
                         "crash-" + std::to_string(i) + "-" + std::to_string(n),
                         checkout_body({{pid, 1 + n % 3}}, cards[n % 5]));
            if (res.status == 201 || res.status == 202) {
              std::lock_guard<std::mutex> guard{mtx};
              acknowledged.insert(res.json()["id"].get<std::string>());
            }
          } catch (const std::exception&) {
            return; // the server is gone
          }
        }
      });
    while (true) {
      {
        std::lock_guard<std::mutex> guard{mtx};
        if (acknowledged.size() >= 40)
          break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.kill9();
    stop = true;
    for (auto& s : shoppers)
      s.join();
  }
  INFO("acknowledged before the kill: " << acknowledged.size());
  auto server = shop_server(dir.path);
  auto port = server.port();
  // Every acknowledged order is there, and all orders settle.
  std::map<std::string, nlohmann::json> orders;
  REQUIRE(eventually(
      [&] {
        orders.clear();
        for (auto& t : tokens) {
          auto mine =
              get(port, "/api/v1/orders?include_unpaid=true&page_size=100",
                  bearer(t))
                  .json();
          for (auto& o : mine["items"])
            orders[o["id"]] = o;
        }
        for (auto& [id, o] : orders)
          if (o["status"] == "pending" || o["status"] == "reserved")
            return false;
        return true;
      },
      30000));
  for (auto& id : acknowledged)
    CHECK(orders.count(id) == 1);
  int64_t sold = 0;
  auto db =
      berry::storage::database::open(berry::test::store_location(dir.path),
                                     berry::storage::open_mode::read_only);
  for (auto& [id, o] : orders) {
    INFO("order " << id << " " << o.dump());
    CHECK((o["status"] == "paid" || o["status"] == "cancelled"));
    auto captured = db.prepare("SELECT COUNT(*) FROM provider_payments WHERE"
                               " order_id = ?1 AND kind = 'charge' AND status"
                               " = 'captured'");
    captured.bind(1, id);
    captured.step();
    auto refunded = db.prepare("SELECT COUNT(*) FROM provider_payments WHERE"
                               " order_id = ?1 AND kind = 'refund' AND status"
                               " = 'refunded'");
    refunded.bind(1, id);
    refunded.step();
    CHECK(captured.col_int(0) <= 1);
    if (o["status"] == "paid") {
      CHECK(captured.col_int(0) == 1);
      for (auto& l : o["lines"])
        sold += l["qty"].get<int64_t>();
    } else {
      // A cancelled order holds no money: nothing captured, or refunded.
      CHECK(captured.col_int(0) == refunded.col_int(0));
    }
  }
  auto stock = db.prepare("SELECT SUM(on_hand), SUM(reserved) FROM stock"
                          " WHERE product_id = ?1");
  stock.bind(1, pid);
  stock.step();
  CHECK(stock.col_int(0) == units - sold);
  CHECK(stock.col_int(1) == 0);
}
