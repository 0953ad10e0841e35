#include "cluster/membership.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "support/etcd_server.hpp"

using namespace berry::cluster;
using berry::test::etcd_server;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

std::vector<std::string> twelve_shards() {
  std::vector<std::string> out;
  for (int i = 0; i < 12; ++i)
    out.push_back("orders/" + std::to_string(i));
  return out;
}

/// Nodes of one cluster on one etcd, each with its own client, in one
/// actor system (the real scheduler: etcd is real).
struct cluster_fixture {
  etcd_server etcd;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::vector<membership_actor> actors;

  struct node_handle {
    membership_actor actor;
    std::shared_ptr<view_cell> view;
  };

  node_handle join(const std::string& name, int64_t ttl_s = 2) {
    membership_config c;
    c.node_name = name;
    c.prefix = "/berry/test/";
    c.http = "127.0.0.1:1";
    c.shards = twelve_shards();
    c.lease_ttl_s = ttl_s;
    auto view = std::make_shared<view_cell>();
    auto client =
        std::make_shared<etcd_client>(std::vector<std::string>{etcd.url()});
    auto a = spawn_membership(sys, c, client, view);
    actors.push_back(a);
    return {a, view};
  }

  ~cluster_fixture() {
    for (auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::kill);
  }
};

/// Waits (polling the view) until `pred(view)` holds; false after `limit`.
template <class Pred>
bool wait_for(const std::shared_ptr<view_cell>& v, Pred pred,
              std::chrono::milliseconds limit = 10000ms) {
  auto until = clock_type::now() + limit;
  while (clock_type::now() < until) {
    if (pred(*v->get()))
      return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

size_t owned_by(const cluster_view& v, const std::string& node) {
  size_t n = 0;
  for (auto& s : v.shards)
    n += s.owner == node;
  return n;
}

auto owns_all(const std::string& node) {
  return [node](const cluster_view& v) { return owned_by(v, node) == 12; };
}

auto nodes_seen(size_t n) {
  return [n](const cluster_view& v) { return v.nodes.size() == n; };
}

long ms_since(clock_type::time_point t0) {
  return long(std::chrono::duration_cast<std::chrono::milliseconds>(
                  clock_type::now() - t0)
                  .count());
}

} // namespace

TEST_CASE_METHOD(
    cluster_fixture,
    "a lone node claims every shard, and one that joins takes none", "[etcd]") {
  auto a = join("a");
  REQUIRE(wait_for(a.view, owns_all("a")));
  auto b = join("b");
  REQUIRE(wait_for(b.view, nodes_seen(2)));
  REQUIRE(wait_for(b.view, [](auto& v) { return v.shards.size() == 12; }));
  CHECK(owned_by(*b.view->get(), "b") == 0);
  CHECK(wait_for(a.view, nodes_seen(2)));
  CHECK(owned_by(*a.view->get(), "a") == 12);
}

TEST_CASE_METHOD(cluster_fixture,
                 "a node that leaves hands its shards over in under a second",
                 "[etcd]") {
  auto a = join("a");
  REQUIRE(wait_for(a.view, owns_all("a")));
  auto b = join("b");
  REQUIRE(wait_for(b.view, nodes_seen(2)));
  auto before = b.view->get()->shards;
  caf::scoped_actor self{sys};
  auto t0 = clock_type::now();
  bool left = false;
  self->request(a.actor, 5s, leave_atom::value)
      .receive([&](bool ok) { left = ok; }, [](caf::error&) {});
  CHECK(left);
  REQUIRE(wait_for(b.view, owns_all("b"), 5000ms));
  auto took = ms_since(t0);
  WARN("leave -> every shard claimed by the survivor: " << took << " ms");
  CHECK(took < 1000);
  auto after = b.view->get();
  CHECK(after->nodes.size() == 1);
  for (size_t i = 0; i < 12; ++i)
    CHECK(after->shards[i].epoch > before[i].epoch);
}

TEST_CASE_METHOD(cluster_fixture,
                 "a dead node's shards are claimed within its TTL + 1.5 s",
                 "[etcd]") {
  auto a = join("a", 1);
  REQUIRE(wait_for(a.view, owns_all("a")));
  auto b = join("b", 1);
  REQUIRE(wait_for(b.view, nodes_seen(2)));
  // Killed: no leave, no more keepalives; only the lease's expiry tells.
  auto t0 = clock_type::now();
  caf::anon_send_exit(a.actor, caf::exit_reason::kill);
  REQUIRE(wait_for(b.view, owns_all("b"), 5000ms));
  auto took = ms_since(t0);
  WARN("kill -> every shard claimed by the survivor (TTL 1 s): " << took
                                                                 << " ms");
  CHECK(took < 2500);
}

TEST_CASE_METHOD(cluster_fixture,
                 "a node cut off from etcd drops its shards before its lease "
                 "can expire, and rejoins",
                 "[etcd]") {
  auto a = join("a", 2);
  REQUIRE(wait_for(a.view, owns_all("a")));
  auto epoch = a.view->get()->shards[0].epoch;
  auto t0 = clock_type::now();
  etcd.signal(SIGSTOP);
  bool dropped = wait_for(
      a.view, [](auto& v) { return owned_by(v, "a") == 0; }, 4000ms);
  auto took = ms_since(t0);
  etcd.signal(SIGCONT);
  REQUIRE(dropped);
  WARN("etcd frozen -> node fenced itself after " << took << " ms (TTL 2 s)");
  CHECK(took < 2000);
  // Its old claims go with its old lease; it claims them again, with new
  // epochs.
  CHECK(wait_for(
      a.view,
      [epoch](auto& v) {
        return owned_by(v, "a") == 12 && v.shards[0].epoch > epoch;
      },
      10000ms));
}
