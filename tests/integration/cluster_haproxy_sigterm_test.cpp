#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "cluster_haproxy.hpp"
#include "shop.hpp"
#include "support/etcd_server.hpp"
#include "support/postgres_server.hpp"

// Three nodes on one etcd and one PostgreSQL behind HAProxy configured as
// in examples/cluster (issue 14): a node stopped with SIGTERM hands its
// shards over in under a second, and clients of HAProxy see no failed
// request meanwhile (HAProxy retries elsewhere what the leaving node no
// longer takes, and its health check takes the node out).

using namespace berry::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

int64_t ms_since(clock_type::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             clock_type::now() - t)
      .count();
}

/// GET /api/v1/cluster on `port`; null when it does not answer 200.
nlohmann::json cluster_of(uint16_t port, const std::string& token) {
  auto res = get(port, "/api/v1/cluster", bearer(token));
  return res.status == 200 ? res.json() : nlohmann::json{};
}

/// Every shard owned by one of `names`, and exactly those nodes alive.
bool owned_by(const nlohmann::json& v, const std::set<std::string>& names) {
  if (!v.is_object() || v["nodes"].size() != names.size() ||
      v["shards"].empty())
    return false;
  for (auto& n : v["nodes"])
    if (!names.count(n["name"].get<std::string>()))
      return false;
  for (auto& s : v["shards"])
    if (!names.count(s["owner"].get<std::string>()))
      return false;
  return true;
}

/// The sum of berry_http_requests_total on a node: how many requests it
/// has answered.
double requests_answered(uint16_t port) {
  std::istringstream in(get(port, "/metrics").body);
  double sum = 0;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("berry_http_requests_total{", 0) == 0)
      sum += std::stod(line.substr(line.rfind(' ') + 1));
  return sum;
}

/// Catalog reads through HAProxy from `clients` loopback addresses (HAProxy
/// keeps each address on one node), until stopped; counts what failed.
class read_stream {
public:
  read_stream(uint16_t port, int clients) {
    for (int i = 0; i < clients; ++i)
      threads_.emplace_back([this, port, i] {
        auto source = "127.0.0." + std::to_string(i + 1);
        while (!stop_) {
          int status = 0;
          try {
            http_connection c{port, source};
            c.send("GET", i % 2 ? "/api/v1/products?limit=5"
                                : "/api/v1/products/p-000070");
            status = c.read_response(false, 5000).status;
          } catch (const std::exception&) {
            status = -1; // no connection to HAProxy at all
          }
          ++sent_;
          if (status != 200) {
            std::lock_guard<std::mutex> lock{mtx_};
            if (++failed_ <= 20) // the first ones tell what went wrong
              failures_.push_back(status);
          }
        }
      });
  }
  ~read_stream() { finish(); }

  void finish() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable())
        t.join();
  }
  uint64_t sent() const { return sent_; }
  uint64_t failed() {
    std::lock_guard<std::mutex> lock{mtx_};
    return failed_;
  }
  /// The statuses of the first 20 failures (-1: no connection).
  std::vector<int> first_failures() {
    std::lock_guard<std::mutex> lock{mtx_};
    return failures_;
  }

private:
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> sent_{0};
  std::mutex mtx_;
  uint64_t failed_ = 0;
  std::vector<int> failures_;
  std::vector<std::thread> threads_;
};

} // namespace

TEST_CASE("SIGTERM of a node: its shards move in under 1 s with no failed "
          "request through HAProxy",
          "[etcd]") {
  if (haproxy_binary().empty() || postgres_bindir().empty()) {
    WARN("haproxy or PostgreSQL is not installed: skipped");
    return;
  }
  postgres_server pg;
  etcd_server etcd;
  temp_dir da, db, dc;
  auto flags = [&](const std::string& name, bool seed) {
    std::vector<std::string> f{"--etcd", etcd.url(),      "--node-name",
                               name,     "--lease-ttl-s", "2",
                               "--db",   pg.conninfo(),   "--cluster-name",
                               "lb",     "--rate-limits", "off"};
    if (!seed)
      f.push_back("--no-seed");
    return f;
  };
  // a alone first: it seeds the store and, the only node, owns every shard.
  std::optional<berry_server> a;
  a.emplace(da.path, flags("a", true),
            std::vector<std::string>{"BERRY_ADMIN_EMAIL=" + admin_email,
                                     "BERRY_ADMIN_PASSWORD=" + admin_password});
  auto ta = admin_token(a->port());
  REQUIRE(
      eventually([&] { return owned_by(cluster_of(a->port(), ta), {"a"}); }));
  auto b = shop_server(db.path, flags("b", false));
  auto c = shop_server(dc.path, flags("c", false));
  auto tc = admin_token(c.port());
  REQUIRE(eventually([&] {
    auto v = cluster_of(c.port(), tc);
    return v.is_object() && v["nodes"].size() == 3 &&
           owned_by(v, {"a", "b", "c"});
  }));

  haproxy_server lb({a->port(), b.port(), c.port()});
  REQUIRE(lb.wait_serving());
  read_stream reads{lb.port(), 8};
  // Some of the stream's clients are on a.
  auto before = requests_answered(a->port());
  REQUIRE(
      eventually([&] { return requests_answered(a->port()) > before + 50; }));

  auto t0 = clock_type::now();
  a->process().signal(SIGTERM);
  nlohmann::json view;
  REQUIRE(eventually([&] {
    view = cluster_of(c.port(), tc);
    return owned_by(view, {"b", "c"});
  }));
  auto moved_ms = ms_since(t0);
  CHECK(a->process().wait() == 0);
  a.reset();
  // On until HAProxy's health check has taken a out (two failed checks a
  // second apart) and a while after.
  while (ms_since(t0) < 3500)
    std::this_thread::sleep_for(50ms);
  reads.finish();
  auto failed = reads.failed();
  WARN("SIGTERM of the owner of every shard: owned by b and c after "
       << moved_ms << " ms; " << reads.sent() << " reads through HAProxy, "
       << failed << " failed");
  CHECK(moved_ms < 1000);
  CHECK(reads.sent() > 200);
  INFO("the first failures: " << nlohmann::json(reads.first_failures()));
  CHECK(failed == 0);
  CHECK(get(lb.port(), "/api/v1/products?limit=1").status == 200);
}
