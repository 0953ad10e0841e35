// The accounts sync actor on the testing scheduler: its reads of storage are
// a queue the test runs by hand, over a "storage" the test holds, and two
// sync actors stand for two nodes of a cluster.

#include "actors/account_sync.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <map>

#include "actors/accounts_tokens.hpp"
#include "warehouse_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

/// What the store holds: token versions and signed-out tokens.
struct fake_store {
  std::map<std::string, int64_t> versions;
  std::map<std::string, int64_t> revoked;
  int reads = 0;
};

struct sync_fixture : actor_fixture {
  std::deque<std::function<void()>> jobs;
  fake_store store;

  /// A node's sync actor over `tokens`.
  account_sync_actor node(std::shared_ptr<token_registry> tokens) {
    account_sync_init init;
    init.tokens = std::move(tokens);
    init.read_version = [this](const std::string& id) -> int64_t {
      ++store.reads;
      auto i = store.versions.find(id);
      return i == store.versions.end() ? -1 : i->second;
    };
    init.reread = [this](token_registry& r) {
      for (auto& [user, version] : store.versions)
        if (version > 0)
          r.learn(user, version);
      for (auto& [id, expires_at] : store.revoked)
        r.revoke(id, expires_at, 0);
    };
    init.run = [this](std::function<void()> job, client_gone_flag) {
      jobs.push_back(std::move(job));
      return true;
    };
    return spawn_account_sync(sys, std::move(init));
  }

  std::shared_ptr<reply<bool>> learn(const account_sync_actor& s,
                                     std::string user, int64_t version) {
    auto r = std::make_shared<reply<bool>>();
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(s, caf::infinite, acc_learn_atom::value, user, version)
          .then([=](bool x) { r->value = x; },
                [=](caf::error& e) { r->error = std::move(e); });
    });
    return r;
  }

  /// Runs messages and the reads until nothing is left to do.
  void settle() {
    for (sched.run(); !jobs.empty(); sched.run()) {
      auto job = std::move(jobs.front());
      jobs.pop_front();
      job();
    }
  }

  std::vector<account_sync_actor> nodes;
  ~sync_fixture() {
    for (auto& n : nodes)
      caf::anon_send_exit(n, caf::exit_reason::user_shutdown);
  }
};

} // namespace

TEST_CASE_METHOD(sync_fixture,
                 "an account made on another node is read once for all the "
                 "requests that wait for it") {
  auto tokens = std::make_shared<token_registry>();
  auto s = nodes.emplace_back(node(tokens));
  store.versions["u-1"] = 0;
  auto first = learn(s, "u-1", 0);
  auto second = learn(s, "u-1", 0);
  sched.run();
  CHECK_FALSE(first->value);
  CHECK(jobs.size() == 1);
  settle();
  CHECK(first->value == true);
  CHECK(second->value == true);
  CHECK(store.reads == 1);
  CHECK(tokens->check("u-1", 0, "t") == token_verdict::good);
  // Known now: answered without a read.
  auto third = learn(s, "u-1", 0);
  settle();
  CHECK(third->value == true);
  CHECK(store.reads == 1);
}

TEST_CASE_METHOD(sync_fixture,
                 "an account storage does not have is answered false and not "
                 "read again at once") {
  auto tokens = std::make_shared<token_registry>();
  auto s = nodes.emplace_back(node(tokens));
  auto first = learn(s, "u-x", 0);
  settle();
  CHECK(first->value == false);
  auto again = learn(s, "u-x", 0);
  settle();
  CHECK(again->value == false);
  CHECK(store.reads == 1);
  CHECK(tokens->version_of("u-x") == -1);
}

TEST_CASE_METHOD(sync_fixture,
                 "a version changed on another node is read when a token at "
                 "it comes") {
  auto tokens = std::make_shared<token_registry>();
  tokens->load({{"u-1", 0}}, {});
  auto s = nodes.emplace_back(node(tokens));
  store.versions["u-1"] = 2;
  auto r = learn(s, "u-1", 2);
  settle();
  CHECK(r->value == true);
  CHECK(tokens->check("u-1", 0, "t") == token_verdict::superseded);
  CHECK(tokens->check("u-1", 2, "t") == token_verdict::good);
}

TEST_CASE_METHOD(sync_fixture,
                 "a logout and a new version on one node reach a linked node") {
  auto on_a = std::make_shared<token_registry>();
  auto on_b = std::make_shared<token_registry>();
  on_b->load({{"u-1", 0}}, {});
  auto a = nodes.emplace_back(node(on_a));
  auto b = nodes.emplace_back(node(on_b));
  // B's links say A linked: B subscribes to A.
  caf::anon_send(b, acc_peer_atom::value, caf::actor_cast<caf::actor>(a));
  settle();
  caf::anon_send(a, acc_relay_atom::value, acc_revoked_atom::value,
                 std::string{"t-1"}, int64_t{4102444800});
  caf::anon_send(a, acc_relay_atom::value, acc_version_atom::value,
                 std::string{"u-2"}, int64_t{1});
  settle();
  CHECK(on_b->check("u-1", 0, "t-1") == token_verdict::signed_out);
  CHECK(on_b->check("u-1", 0, "t-2") == token_verdict::good);
  CHECK(on_b->version_of("u-2") == 1);
  // A did not subscribe to B: nothing goes the other way.
  caf::anon_send(b, acc_relay_atom::value, acc_revoked_atom::value,
                 std::string{"t-9"}, int64_t{4102444800});
  settle();
  CHECK(on_a->revoked_count() == 0);
}

TEST_CASE_METHOD(sync_fixture,
                 "a node that links rereads what was stored before") {
  auto on_a = std::make_shared<token_registry>();
  auto on_b = std::make_shared<token_registry>();
  on_b->load({{"u-1", 0}, {"u-2", 0}}, {});
  auto a = nodes.emplace_back(node(on_a));
  auto b = nodes.emplace_back(node(on_b));
  // Stored while the nodes were not linked: no relay reached B.
  store.revoked["t-1"] = 4102444800;
  store.versions["u-2"] = 5;
  caf::anon_send(b, acc_peer_atom::value, caf::actor_cast<caf::actor>(a));
  settle();
  CHECK(on_b->check("u-1", 0, "t-1") == token_verdict::signed_out);
  CHECK(on_b->check("u-2", 0, "t-2") == token_verdict::superseded);
}

TEST_CASE_METHOD(sync_fixture, "a node rereads on its own clock") {
  auto tokens = std::make_shared<token_registry>();
  tokens->load({{"u-1", 0}}, {});
  account_sync_init init;
  init.tokens = tokens;
  init.read_version = [](const std::string&) -> int64_t { return -1; };
  init.reread = [this](token_registry& r) {
    for (auto& [id, expires_at] : store.revoked)
      r.revoke(id, expires_at, 0);
  };
  init.run = [this](std::function<void()> job, client_gone_flag) {
    jobs.push_back(std::move(job));
    return true;
  };
  init.reread_every = 10s;
  auto s = nodes.emplace_back(spawn_account_sync(sys, std::move(init)));
  settle();
  store.revoked["t-1"] = 4102444800;
  sched.advance_time(9s);
  settle();
  CHECK(tokens->revoked_count() == 0);
  sched.advance_time(1s);
  settle();
  CHECK(tokens->revoked_count() == 1);
}
