#include "cluster/etcd_client.hpp"

#include <catch2/catch.hpp>
#include <thread>

#include "cluster/etcd_await.hpp"
#include "support/etcd_server.hpp"

using namespace berry::cluster;
using berry::test::await;
using berry::test::etcd_server;
using berry::test::watch_log;
using namespace std::chrono_literals;

namespace {

struct etcd_fixture {
  etcd_server etcd;
  etcd_client client{{etcd.url()}};

  template <class T, class Start>
  etcd_result<T> sync(Start start) {
    return await<T>(start);
  }
};

bool has_event(const std::vector<etcd_result<watch_update>>& us, bool deleted,
               const std::string& key) {
  for (auto& u : us)
    if (u)
      for (auto& e : u->events)
        if (e.deleted == deleted && e.kv.key == key)
          return true;
  return false;
}

} // namespace

TEST_CASE_METHOD(etcd_fixture, "a value put is read back, one key or a prefix",
                 "[etcd]") {
  for (auto k : {"/berry/t/nodes/a", "/berry/t/nodes/b", "/berry/t/other"})
    REQUIRE(sync<int64_t>([&](auto cb) { client.put(k, "v", 0, cb); }));
  auto one = sync<range_result>(
      [&](auto cb) { client.range("/berry/t/nodes/a", false, cb); });
  REQUIRE(one);
  REQUIRE(one->kvs.size() == 1);
  CHECK(one->kvs[0].value == "v");
  auto nodes = sync<range_result>(
      [&](auto cb) { client.range("/berry/t/nodes/", true, cb); });
  REQUIRE(nodes);
  REQUIRE(nodes->kvs.size() == 2);
  CHECK(nodes->kvs[1].key == "/berry/t/nodes/b");
  auto gone = sync<int64_t>(
      [&](auto cb) { client.remove("/berry/t/nodes/", true, cb); });
  CHECK(gone.value == 2);
}

TEST_CASE_METHOD(etcd_fixture,
                 "of two claims on a shard the second loses and learns the "
                 "holder",
                 "[etcd]") {
  auto la = sync<lease_grant>([&](auto cb) { client.grant(5, cb); });
  auto lb = sync<lease_grant>([&](auto cb) { client.grant(5, cb); });
  REQUIRE((la && lb));
  auto a = sync<claim_result>(
      [&](auto cb) { client.claim("/shards/w1", "a", la->id, cb); });
  auto b = sync<claim_result>(
      [&](auto cb) { client.claim("/shards/w1", "b", lb->id, cb); });
  REQUIRE((a && b));
  CHECK(a->claimed);
  CHECK_FALSE(b->claimed);
  REQUIRE(b->holder);
  CHECK(b->holder->value == "a");
  CHECK(b->holder->lease == la->id);
  // The claim's revision is the shard's epoch: the key's create revision.
  CHECK(b->holder->create_revision == a->revision);
  // Giving up with someone else's value leaves the claim alone.
  CHECK(sync<bool>([&](auto cb) {
          client.release("/shards/w1", "b", cb);
        }).value == false);
  CHECK(sync<bool>([&](auto cb) {
          client.release("/shards/w1", "a", cb);
        }).value == true);
  auto again = sync<claim_result>(
      [&](auto cb) { client.claim("/shards/w1", "b", lb->id, cb); });
  CHECK(again->claimed);
  CHECK(again->revision > a->revision);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i)
    REQUIRE(sync<claim_result>([&](auto cb) {
              client.claim("/shards/o" + std::to_string(i), "a", la->id, cb);
            })->claimed);
  WARN("one claim (txn on a new connection), mean of 50: "
       << std::chrono::duration_cast<std::chrono::microseconds>(
              std::chrono::steady_clock::now() - t0)
                  .count() /
              50
       << " us");
}

TEST_CASE_METHOD(etcd_fixture,
                 "a claim goes when its lease expires, and a watch sees it go",
                 "[etcd]") {
  auto lease = sync<lease_grant>([&](auto cb) { client.grant(1, cb); });
  REQUIRE(lease);
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(sync<claim_result>([&](auto cb) {
            client.claim("/shards/w2", "a", lease->id, cb);
          })->claimed);
  watch_log log;
  auto w = client.watch("/shards/", true, 0, log.callback());
  REQUIRE(log.wait([](auto& us) { return !us.empty(); }));
  auto us = log.snapshot();
  CHECK(us.front()->what == watch_update::kind::created);
  REQUIRE(log.wait([](auto& us) { return has_event(us, true, "/shards/w2"); },
                   5000ms));
  auto expiry = std::chrono::steady_clock::now() - t0;
  WARN("TTL 1 s lease: claim deleted and seen by the watch after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(expiry).count()
       << " ms");
  CHECK(expiry >= 1s);
  CHECK(expiry < 2500ms);
  for (auto& u : log.snapshot())
    for (auto& e : u->events)
      if (e.deleted)
        CHECK(e.prev_kv->value == "a");
  CHECK(sync<int64_t>([&](auto cb) {
          client.keepalive(lease->id, cb);
        }).value == 0);
  auto lb = sync<lease_grant>([&](auto cb) { client.grant(5, cb); });
  CHECK(sync<claim_result>([&](auto cb) {
          client.claim("/shards/w2", "b", lb->id, cb);
        })->claimed);
}

TEST_CASE_METHOD(etcd_fixture,
                 "a lease kept alive outlives its TTL, and revoked its keys go",
                 "[etcd]") {
  auto lease = sync<lease_grant>([&](auto cb) { client.grant(1, cb); });
  REQUIRE(sync<int64_t>(
      [&](auto cb) { client.put("/nodes/a", "http", lease->id, cb); }));
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(300ms); // the keepalive period under test
    CHECK(sync<int64_t>([&](auto cb) {
            client.keepalive(lease->id, cb);
          }).value == 1);
  }
  auto still =
      sync<range_result>([&](auto cb) { client.range("/nodes/a", false, cb); });
  CHECK(still->kvs.size() == 1);
  REQUIRE(sync<int64_t>([&](auto cb) { client.revoke(lease->id, cb); }));
  auto gone =
      sync<range_result>([&](auto cb) { client.range("/nodes/a", false, cb); });
  CHECK(gone->kvs.empty());
}

TEST_CASE_METHOD(etcd_fixture, "a watch sees a put and a delete of a key",
                 "[etcd]") {
  watch_log log;
  auto w = client.watch("/nodes/", true, 0, log.callback());
  REQUIRE(log.wait([](auto& us) { return !us.empty(); }));
  REQUIRE(sync<int64_t>([&](auto cb) { client.put("/nodes/c", "x", 0, cb); }));
  REQUIRE(sync<int64_t>([&](auto cb) { client.put("/other", "x", 0, cb); }));
  REQUIRE(
      sync<int64_t>([&](auto cb) { client.remove("/nodes/c", false, cb); }));
  REQUIRE(log.wait([](auto& us) { return has_event(us, true, "/nodes/c"); }));
  auto us = log.snapshot();
  CHECK(has_event(us, false, "/nodes/c"));
  CHECK_FALSE(has_event(us, false, "/other"));
  w->cancel();
}

TEST_CASE_METHOD(etcd_fixture, "a put under an unknown lease is refused",
                 "[etcd]") {
  auto r = sync<int64_t>([&](auto cb) { client.put("/k", "v", 12345, cb); });
  REQUIRE_FALSE(r);
  CHECK(r.error.http_status == 404);
  CHECK(r.error.code == 5);
  CHECK(r.error.message.find("lease not found") != std::string::npos);
}

TEST_CASE_METHOD(etcd_fixture,
                 "a client goes on to the next endpoint when one is down",
                 "[etcd]") {
  etcd_client two{{"http://127.0.0.1:1", etcd.url()}};
  for (int i = 0; i < 2; ++i)
    CHECK(sync<int64_t>([&](auto cb) { two.put("/k", "v", 0, cb); }));
  etcd_client none{{"http://127.0.0.1:1"}};
  auto r = sync<int64_t>([&](auto cb) { none.put("/k", "v", 0, cb); });
  REQUIRE_FALSE(r);
  CHECK(r.error.http_status == 0);
}

TEST_CASE_METHOD(etcd_fixture, "a watch on a stopped etcd ends with an error",
                 "[etcd]") {
  watch_log log;
  auto w = client.watch("/nodes/", true, 0, log.callback());
  REQUIRE(log.wait([](auto& us) { return !us.empty(); }));
  etcd.stop();
  REQUIRE(log.wait([](auto& us) { return !us.back(); }));
}
