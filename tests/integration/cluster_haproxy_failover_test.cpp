#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
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
// in examples/cluster (issue 14). A node stopped with SIGTERM hands its
// shards over in under a second, a node killed with SIGKILL within its
// lease's TTL plus 1.5 s, and clients of HAProxy see no failed catalog read
// either way: HAProxy retries elsewhere what the leaving (or dead) node
// does not answer, and its health check takes the node out. Checkouts
// during a SIGTERM do not fail either: a shard between owners holds their
// questions for the moment it takes (actors/shard_gate.hpp).

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

/// One request on a fresh connection to HAProxy from the loopback address
/// `source` (HAProxy keeps each address on one node), waiting up to
/// `wait_ms` for the answer; what came back: its status, and for a 409 its
/// problem type ("409 out-of-stock"); "closed" when HAProxy closed the
/// connection without an answer, "none" when there was no connection or no
/// answer in time.
std::string request_from(uint16_t port, const std::string& source,
                         const std::string& method, const std::string& target,
                         const std::string& body = {},
                         const std::map<std::string, std::string>& headers = {},
                         int wait_ms = 5000) {
  try {
    http_connection c{port, source};
    c.send(method, target, body, headers);
    auto res = c.read_response(false, wait_ms);
    if (res.status == 0)
      return "closed";
    auto out = std::to_string(res.status);
    if (res.status == 409) {
      auto type = nlohmann::json::parse(res.body, nullptr, false)["type"];
      auto t = type.is_string() ? type.get<std::string>() : "";
      out += " " + t.substr(t.rfind('/') + 1);
    }
    return out;
  } catch (const std::exception&) {
    return "none";
  }
}

/// Clients 0 .. clients-1 each sending `one(i)` (a request; what came back,
/// as request_from says it), at most one per 5 ms, until stopped; counts
/// the answers `ok` refuses.
class request_stream {
public:
  request_stream(int clients, std::function<std::string(int)> one,
                 std::function<bool(const std::string&)> ok) {
    for (int i = 0; i < clients; ++i)
      threads_.emplace_back([this, i, one, ok] {
        while (!stop_) {
          auto answer = one(i);
          ++sent_;
          // A steady stream, not a flood: other cluster tests run beside
          // this one and have their own timings to keep.
          std::this_thread::sleep_for(5ms);
          std::lock_guard<std::mutex> lock{mtx_};
          ++answers_[answer];
          if (!ok(answer) && ++failed_ <= 20) // the first ones tell why
            failures_.push_back(answer);
        }
      });
  }
  ~request_stream() { finish(); }

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
  /// The answers of the first 20 failures.
  std::vector<std::string> first_failures() {
    std::lock_guard<std::mutex> lock{mtx_};
    return failures_;
  }
  /// How many requests got each answer.
  std::map<std::string, uint64_t> answers() {
    std::lock_guard<std::mutex> lock{mtx_};
    return answers_;
  }

private:
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> sent_{0};
  std::mutex mtx_;
  uint64_t failed_ = 0;
  std::vector<std::string> failures_;
  std::map<std::string, uint64_t> answers_;
  std::vector<std::thread> threads_;
};

/// Three nodes a, b and c on one etcd and one PostgreSQL behind HAProxy;
/// a, started first, owns every shard. Each test then stops a.
struct lb_cluster {
  postgres_server pg;
  etcd_server etcd;
  temp_dir da, db, dc;
  std::optional<berry_server> a;
  std::optional<berry_server> b, c;
  std::string tc;
  std::optional<haproxy_server> lb;
  std::optional<request_stream> reads;
  /// Shoppers' tokens, good on every node.
  std::vector<std::string> buyers;
  /// A product every warehouse holds plenty of.
  const std::string product = "p-000070";

  lb_cluster() {
    // a alone first: it seeds the store and, the only node, claims every
    // shard; b and c hold none until a goes.
    a.emplace(da.path, flags("a", true), admin_env());
    auto ta = admin_token(a->port());
    REQUIRE(
        eventually([&] { return owned_by(cluster_of(a->port(), ta), {"a"}); }));
    // Shoppers and stock while a is alone (b and c read the accounts when
    // they start), and one token key for all, as examples/cluster does.
    for (int i = 0; i < 4; ++i)
      buyers.push_back(register_customer(
          a->port(), "buyer" + std::to_string(i) + "@berry.test"));
    for (auto& w : warehouse_ids(a->port(), ta))
      REQUIRE(set_stock(a->port(), ta, w, product, 100000) == 200);
    for (auto* dir : {&db, &dc})
      std::filesystem::copy_file(da.path + "/token.key",
                                 dir->path + "/token.key");
    b.emplace(db.path, flags("b", false), admin_env());
    c.emplace(dc.path, flags("c", false), admin_env());
    tc = admin_token(c->port());
    REQUIRE(eventually([&] {
      return owned_by(cluster_of(c->port(), tc), {"a", "b", "c"});
    }));
    lb.emplace(std::vector<uint16_t>{a->port(), b->port(), c->port()});
    REQUIRE(lb->wait_serving());
  }

  std::vector<std::string> flags(const std::string& name, bool seed) {
    std::vector<std::string> f{"--etcd", etcd.url(),      "--node-name",
                               name,     "--lease-ttl-s", "2",
                               "--db",   pg.conninfo(),   "--cluster-name",
                               "lb",     "--rate-limits", "off"};
    if (!seed)
      f.push_back("--no-seed");
    return f;
  }
  static std::vector<std::string> admin_env() {
    return {"BERRY_ADMIN_EMAIL=" + admin_email,
            "BERRY_ADMIN_PASSWORD=" + admin_password};
  }

  /// Starts catalog reads through HAProxy from eight client addresses and
  /// waits until a answers some of them.
  void start_reads() {
    reads.emplace(
        8,
        [port = lb->port()](int i) {
          return request_from(port, "127.0.0." + std::to_string(i + 1), "GET",
                              i % 2 ? "/api/v1/products?limit=5"
                                    : "/api/v1/products/p-000070");
        },
        [](const std::string& answer) { return answer == "200"; });
    auto before = requests_answered(a->port());
    REQUIRE(
        eventually([&] { return requests_answered(a->port()) > before + 50; }));
  }

  /// Lets the reads go on until `ms` after `t0` (HAProxy's health check
  /// takes a stopped node out after two failed checks a second apart), then
  /// stops them and checks that none failed; how many did.
  uint64_t check_reads_until(clock_type::time_point t0, int64_t ms) {
    while (ms_since(t0) < ms)
      std::this_thread::sleep_for(50ms);
    reads->finish();
    INFO("the first failures: " << nlohmann::json(reads->first_failures()));
    CHECK(reads->sent() > 200);
    CHECK(reads->failed() == 0);
    return reads->failed();
  }

  /// Checkouts of one unit each through HAProxy, one buyer per client
  /// address, a new key each (HAProxy retries a POST that has one), each
  /// waiting up to 15 s; a checkout fails unless it is taken: 201, or 202
  /// (not yet paid when its wait ended). A 503, a 409 (a repeat of
  /// HAProxy's refused as in use), a connection closed without an answer,
  /// no answer, or a refusal as sold out (there is plenty) fails it. The
  /// answers are counted.
  request_stream checkouts() {
    auto keys = std::make_shared<std::atomic<int>>(0);
    return request_stream{
        static_cast<int>(buyers.size()),
        [this, keys, port = lb->port()](int i) {
          auto h = bearer(buyers[i]);
          h["Content-Type"] = "application/json";
          h["Idempotency-Key"] = "lb-" + std::to_string(++*keys);
          return request_from(port, "127.0.0." + std::to_string(20 + i), "POST",
                              "/api/v1/checkout",
                              checkout_body({{product, 1}}, "tok_ok").dump(), h,
                              15000);
        },
        [](const std::string& answer) {
          return answer == "201" || answer == "202";
        }};
  }

  /// Milliseconds from `t0` until c sees every shard owned by b or c.
  int64_t takeover_ms(clock_type::time_point t0) {
    REQUIRE(eventually([&] {
      return owned_by(cluster_of(c->port(), tc), {"b", "c"});
    }));
    return ms_since(t0);
  }
};

bool tools_missing() {
  if (!haproxy_binary().empty() && !postgres_bindir().empty())
    return false;
  WARN("haproxy or PostgreSQL is not installed: skipped");
  return true;
}

} // namespace

TEST_CASE("SIGTERM of a node: its shards move in under 1 s with no failed "
          "request through HAProxy",
          "[etcd][serial]") {
  if (tools_missing())
    return;
  lb_cluster k;
  auto buys = k.checkouts();
  k.start_reads();
  auto t0 = clock_type::now();
  k.a->process().signal(SIGTERM);
  auto moved_ms = k.takeover_ms(t0);
  CHECK(k.a->process().wait() == 0);
  k.a.reset();
  auto failed = k.check_reads_until(t0, 3500);
  // Enough checkouts to count: on a busy machine one can take seconds.
  CHECK(eventually([&] { return buys.sent() >= 8; }, 30000));
  buys.finish();
  auto answers = buys.answers();
  WARN("SIGTERM of the owner of every shard: owned by b and c after "
       << moved_ms << " ms; " << k.reads->sent() << " reads through HAProxy, "
       << failed << " failed; " << buys.sent()
       << " checkouts: " << nlohmann::json(answers).dump());
  INFO("the first failed checkouts: " << nlohmann::json(buys.first_failures()));
  CHECK(answers["201"] + answers["202"] > 4);
  // None failed: a node that saw the leaver's key go before its shards'
  // waits for their new owners (no 503), and HAProxy takes the leaver out
  // at its first refused connection (none closed without an answer). A
  // checkout whose order's shard moved while it waited is answered 503 by
  // the leaver, and HAProxy's repeat waits for the order on its new owner
  // (not refused as in use: no request waits for it there). Not all are
  // paid yet: a 202 when that wait ended first.
  CHECK(buys.failed() == 0);
  CHECK(moved_ms < 1000);
  CHECK(get(k.lb->port(), "/api/v1/products?limit=1").status == 200);
}

TEST_CASE("kill -9 of a node: its shards move within the lease's TTL plus "
          "1.5 s, and catalog reads through HAProxy do not fail",
          "[etcd][serial]") {
  if (tools_missing())
    return;
  lb_cluster k;
  k.start_reads();
  auto t0 = clock_type::now();
  k.a->kill9();
  k.a.reset();
  auto moved_ms = k.takeover_ms(t0);
  auto failed =
      k.check_reads_until(t0, std::max<int64_t>(3500, moved_ms + 500));
  WARN("kill -9 of the owner of every shard (TTL 2 s): owned by b and c "
       "after "
       << moved_ms << " ms; " << k.reads->sent() << " reads through HAProxy, "
       << failed << " failed");
  CHECK(moved_ms < 2000 + 1500);
}
