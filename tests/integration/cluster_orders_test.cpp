#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "cluster_orders.hpp"

// Order shards (issue 14): an order runs on the node that hosts its shard
// and nowhere else; any node answers for it as that node would; and when
// that node is killed, the survivors take its shards over and finish its
// orders (each paid once, or cancelled with the money and the stock back).

using namespace berry::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST_CASE("a GET and a cancel of an order through a node that does not own "
          "its shard answer as the owner would",
          "[etcd]") {
  if (pg_missing())
    return;
  // Payments take 1.5 s: the order is still reserved when it is asked.
  order_cluster c(
      {"--payment-latency-ms", "1500", "--checkout-deadline-ms", "100"});
  const std::string pid = "p-000040";
  c.stock_only(pid, 5);
  // Registered before b starts: a node knows the accounts of its start.
  auto on_a = register_customer(c.port(0), "own@berry.test");
  auto other_a = register_customer(c.port(0), "other@berry.test");
  c.add();
  auto on_b = customer_login(c.port(1), "own@berry.test");
  auto other = customer_login(c.port(1), "other@berry.test");
  REQUIRE_FALSE(on_b.empty());
  REQUIRE(c.routes_orders(1, on_b));
  // Checked out through b, which hosts no order shard: it runs on a.
  auto res =
      checkout(c.port(1), on_b, "own-1", checkout_body({{pid, 2}}, "tok_ok"));
  REQUIRE(res.status == 202);
  auto id = res.json()["id"].get<std::string>();
  auto path = "/api/v1/orders/" + id;
  // The 202 came after 100 ms, maybe before the reservation (on a loaded
  // machine): compare once a says reserved, while the payment still runs.
  REQUIRE(eventually([&] {
    auto r = get(c.port(0), path, bearer(on_a));
    return r.status == 200 && r.json()["status"] == "reserved";
  }));
  auto from_a = get(c.port(0), path, bearer(on_a));
  auto from_b = get(c.port(1), path, bearer(on_b));
  REQUIRE(from_a.status == 200);
  CHECK(from_b.status == 200);
  CHECK(from_b.json() == from_a.json());
  CHECK(from_b.json()["status"] == "reserved");
  // One actor for it, on a; none on b, before or after b was asked.
  CHECK(metric(c.port(0), "berry_orders_open") == 1);
  CHECK(metric(c.port(1), "berry_orders_open") == 0);
  // Somebody else's order and no order answer as on a.
  CHECK(get(c.port(1), path, bearer(other)).status == 404);
  CHECK(get(c.port(1), path + "x", bearer(on_b)).status == 404);
  // Cancelled through b: a's actor cancels it, and the stock comes back.
  auto cancel = request(c.port(1), "POST", path + "/cancel", "", bearer(on_b));
  REQUIRE(cancel.status == 200);
  CHECK(cancel.json()["status"] == "cancelled");
  CHECK(get(c.port(0), path, bearer(on_a)).json()["status"] == "cancelled");
  CHECK(eventually([&] {
    return c.count("SELECT SUM(reserved) FROM stock WHERE product_id = '" +
                   pid + "'") == 0;
  }));
  CHECK(c.count("SELECT SUM(on_hand) FROM stock WHERE product_id = '" + pid +
                "'") == 5);
  CHECK(metric(c.port(1), "berry_orders_open") == 0);
}

namespace {

/// Buyers checking out one unit at a time through nodes b and c, each with
/// a new key, until stopped; a 503 or a key still in use is asked again
/// with the same key. Keeps the orders acknowledged (201, 202).
class checkout_stream {
public:
  checkout_stream(order_cluster& c, std::vector<std::string> on_b,
                  std::vector<std::string> on_c, std::string pid)
      : pid_(std::move(pid)) {
    for (size_t i = 0; i < on_b.size(); ++i)
      threads_.emplace_back([this, &c, i, b = on_b[i], cc = on_c[i]] {
        for (int k = 0; !stop_; ++k) {
          bool via_b = (i + k) % 2 == 0;
          buy(via_b ? c.port(1) : c.port(2), via_b ? b : cc,
              "kill-" + std::to_string(i) + "-" + std::to_string(k));
        }
      });
  }
  ~checkout_stream() { stop(); }

  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable())
        t.join();
  }

  std::set<std::string> acknowledged() {
    std::lock_guard<std::mutex> lock(m_);
    return acked_;
  }

  std::atomic<int> sold_out{0}, other{0}, retried{0};

private:
  void buy(uint16_t port, const std::string& token, const std::string& key) {
    auto body = checkout_body({{pid_, 1}}, "tok_ok");
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto res = checkout(port, token, key, body);
      if (res.status == 201 || res.status == 202) {
        std::lock_guard<std::mutex> lock(m_);
        acked_.insert(res.json()["id"].get<std::string>());
        return;
      }
      bool in_use =
          res.status == 409 && res.json()["title"] == "Idempotency key in use";
      if (res.status == 503 || in_use) {
        ++retried;
        std::this_thread::sleep_for(100ms);
        continue;
      }
      if (res.status == 409)
        ++sold_out;
      else {
        WARN("checkout answered " << res.status << " " << res.body);
        ++other;
      }
      return;
    }
    ++other;
  }

  std::string pid_;
  std::atomic<bool> stop_{false};
  std::mutex m_;
  std::set<std::string> acked_;
  std::vector<std::thread> threads_;
};

/// Ids of the stored orders whose checkout runs (pending or reserved).
std::vector<std::string> unfinished(order_cluster& c) {
  auto d = c.db();
  auto st = d.prepare(
      "SELECT id FROM orders WHERE status IN ('pending', 'reserved')");
  std::vector<std::string> out;
  while (st.step())
    out.push_back(st.col_text(0));
  return out;
}

/// Checkouts through b and c while a, running every order, is killed
/// (or stopped with SIGTERM): a's unfinished orders end on b and c, and
/// every order ends paid once, or cancelled with the money and stock back.
void stream_across_takeover(bool sigterm) {
  order_cluster c({"--payment-latency-ms", "700", "--checkout-deadline-ms",
                   "300", "--reservation-ttl-ms", "8000"});
  const std::string pid = "p-000050";
  const int64_t units = 100;
  c.stock_only(pid, units);
  constexpr int buyers = 6;
  std::vector<std::string> on_b, on_c;
  for (int i = 0; i < buyers; ++i)
    REQUIRE_FALSE(
        register_customer(c.port(0), "k" + std::to_string(i) + "@berry.test")
            .empty());
  c.add();
  c.add();
  for (int i = 0; i < buyers; ++i) {
    auto email = "k" + std::to_string(i) + "@berry.test";
    on_b.push_back(customer_login(c.port(1), email));
    on_c.push_back(customer_login(c.port(2), email));
  }
  REQUIRE(c.routes_orders(1, on_b[0]));
  REQUIRE(c.routes_orders(2, on_c[0]));

  checkout_stream stream(c, on_b, on_c, pid);
  // Every order runs on a, whichever node took its checkout.
  REQUIRE(eventually([&] { return stream.acknowledged().size() >= 8; }, 30000));
  auto at_kill = unfinished(c);
  auto acked_at_kill = stream.acknowledged().size();
  auto killed = clock_type::now();
  if (sigterm)
    c.nodes[0]->process().signal(SIGTERM);
  else
    c.nodes[0]->kill9();
  REQUIRE_FALSE(at_kill.empty());
  // a's unfinished orders are resumed by b and c, and their checkouts end.
  auto over = [&] {
    for (auto& id : at_kill) {
      auto s = c.status_of(id);
      if (s == "pending" || s == "reserved")
        return false;
    }
    return true;
  };
  REQUIRE(eventually(over, 30000));
  auto resumed_ms = ms_since(killed);
  // Checkouts go on through b and c, on the order shards they now host.
  REQUIRE(eventually(
      [&] { return stream.acknowledged().size() >= acked_at_kill + 8; },
      30000));
  stream.stop();
  WARN((sigterm ? "SIGTERM" : "kill -9")
       << " of a: its " << at_kill.size() << " unfinished orders ended "
       << resumed_ms << " ms later (lease TTL 2 s, payments 0.7 s); "
       << stream.acknowledged().size() << " orders acknowledged, "
       << stream.retried << " answers retried");
  // Within the lease's TTL and some seconds either way. (With SIGTERM they
  // end 1.4-1.6 s later on a quiet machine, the 0.7 s payments included,
  // and took 4 s beside the rest of the suite: how fast the shards move is
  // cluster_serve_test's, and the time is the warning's above.)
  CHECK(resumed_ms < 2000 + 5000);
  CHECK(stream.other == 0);
  // Every order stored (acknowledged or not) settles.
  REQUIRE(eventually([&] { return unfinished(c).empty(); }, 30000));
  auto d = c.db();
  int64_t sold = 0;
  auto st = d.prepare(
      "SELECT o.id, o.status, (SELECT COALESCE(SUM(qty), 0) FROM order_lines l"
      " WHERE l.order_id = o.id), (SELECT COUNT(*) FROM provider_payments p"
      " WHERE p.order_id = o.id AND kind = 'charge' AND status = 'captured'),"
      " (SELECT COUNT(*) FROM provider_payments p WHERE p.order_id = o.id"
      " AND kind = 'refund' AND status = 'refunded') FROM orders o");
  std::set<std::string> stored;
  while (st.step()) {
    auto id = st.col_text(0);
    auto status = st.col_text(1);
    INFO("order " << id << " " << status);
    stored.insert(id);
    auto captured = st.col_int(3);
    CHECK(captured <= 1);
    if (status == "cancelled") {
      CHECK(captured == st.col_int(4));
    } else {
      CHECK(captured == 1);
      sold += st.col_int(2);
    }
  }
  for (auto& id : stream.acknowledged())
    CHECK(stored.count(id) == 1);
  CHECK(c.count("SELECT SUM(on_hand) FROM stock WHERE product_id = '" + pid +
                "'") == units - sold);
  // Nothing stays reserved. (A reservation that reached a warehouse after
  // its order, told unavailable in the takeover, had released it is held
  // until its TTL: 8 s here.)
  CHECK(eventually(
      [&] {
        return c.count("SELECT SUM(reserved) FROM stock WHERE product_id = '" +
                       pid + "'") == 0;
      },
      30000));
}

} // namespace

TEST_CASE("kill -9 of the node running the orders during a stream of "
          "checkouts: the survivors finish its orders, each paid once or "
          "cancelled with the money and the stock back",
          "[etcd]") {
  if (!pg_missing())
    stream_across_takeover(false);
}

TEST_CASE("SIGTERM of the node running the orders during a stream of "
          "checkouts: the others go on with its orders at once",
          "[etcd]") {
  if (!pg_missing())
    stream_across_takeover(true);
}
