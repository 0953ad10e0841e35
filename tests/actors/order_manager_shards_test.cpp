// A cluster node's order manager (issue 14) runs only the orders of the
// order shards its node hosts: none at start; a shard's unfinished orders
// when the node is given it; it stops them, cancelling nothing, when the
// node loses it; and a new order gets an id in a hosted shard.

#include <catch2/catch.hpp>
#include <set>

#include "actors/order_shards.hpp"
#include "node_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

// Two orders of shard 13, one of shard 11.
const std::string a1 = "o-0000000000000000";
const std::string a2 = "o-0000000000000002";
const std::string b1 = "o-0000000000000001";

/// A node whose payments take 3 s, with three pending orders written
/// behind its back, and a second, sharded manager on the same store.
struct sharded_fixture : node_fixture {
  order_manager_actor sharded;
  /// The order actors the sharded manager started, latest last.
  std::vector<std::pair<std::string, order_actor>> started;

  static node_options slow_payments() {
    node_options o;
    o.payment_latency = 3s;
    return o;
  }

  explicit sharded_fixture(std::chrono::milliseconds checkout_deadline = 0ms)
      : node_fixture(slow_payments()) {
    auto db = storage::database::open(db_path);
    for (auto& id : {a1, a2, b1})
      for (auto& s : storage::insert_order(pending(id)))
        storage::execute(db, s);
    order_manager_init init;
    init.deps.journal = actors.journal;
    init.deps.payments = actors.payments;
    init.deps.carts = actors.carts;
    init.deps.warehouse_infos = actors.warehouse_infos;
    init.deps.warehouses = actors.warehouses;
    init.catalog = [view = actors.catalog_snapshot] { return view->load(); };
    init.db_path = db_path;
    init.detached = false;
    init.sharded = true;
    init.checkout_deadline = checkout_deadline;
    init.on_spawn = [this](const std::string& id, const order_actor& a) {
      started.emplace_back(id, a);
    };
    sharded = spawn_order_manager(sys, std::move(init));
    sched.run();
  }

  ~sharded_fixture() {
    caf::anon_send_exit(sharded, caf::exit_reason::kill);
    for (auto& [id, a] : started)
      caf::anon_send_exit(a, caf::exit_reason::kill);
  }

  static order_record pending(const std::string& id) {
    order_record x;
    x.id = id;
    x.user_id = "u-1";
    x.status = order_status::pending;
    x.lines = {{"p-kettle", 1, 199000, ""}};
    x.total = 199000;
    x.address = {kremlin, "Москва"};
    x.payment_token = "tok_ok";
    x.idempotency_key = "k-" + id;
    x.request_hash = "h-" + id;
    x.created_at_ms = 1000;
    x.history = {{order_status::pending, 1000}};
    return x;
  }

  void tell(caf::message msg) {
    caf::anon_send(caf::actor_cast<caf::actor>(sharded), std::move(msg));
    sched.run();
  }

  std::set<std::string> started_ids() const {
    std::set<std::string> out;
    for (auto& [id, a] : started)
      out.insert(id);
    return out;
  }

  /// True while `a` still answers.
  bool alive(const order_actor& a) {
    bool out = false;
    sys.spawn([=, &out](caf::event_based_actor* self) {
      self->request(a, caf::infinite, caf::get_atom_v)
          .then([&out](order_record&) { out = true; }, [](caf::error&) {});
    });
    sched.run();
    return out;
  }
};

/// The same, whose checkouts wait up to 5 s for their order.
struct waiting_fixture : sharded_fixture {
  waiting_fixture() : sharded_fixture(5s) {}
};

caf::message host(int shard, int64_t epoch) {
  return caf::make_message(order_host_atom::value, int32_t{shard},
                           int64_t{4242}, epoch);
}

} // namespace

TEST_CASE_METHOD(sharded_fixture,
                 "a sharded order manager resumes nothing at start, and a "
                 "shard's unfinished orders when its node is given it") {
  REQUIRE(order_shard_of(a1) == 13);
  REQUIRE(order_shard_of(a2) == 13);
  REQUIRE(order_shard_of(b1) == 11);
  CHECK(started.empty());
  tell(host(13, 7));
  CHECK(started_ids() == std::set<std::string>{a1, a2});
  // Their sagas go on: reserved, waiting for the payment.
  run_for(1s);
  CHECK(stored(a1).status == order_status::reserved);
  CHECK(stored(b1).status == order_status::pending);
  // Hosted again (the same epoch: a repeat), nothing starts twice.
  tell(host(13, 7));
  CHECK(started.size() == 2);
}

TEST_CASE_METHOD(sharded_fixture,
                 "a sharded order manager stops a lost shard's orders without "
                 "cancelling them, and its next owner goes on with them") {
  tell(host(13, 7));
  tell(host(11, 8));
  run_for(1s);
  REQUIRE(started.size() == 3);
  CHECK(reserved("p-kettle") == 3);
  tell(caf::make_message(order_unhost_atom::value, int32_t{13}));
  for (auto& [id, a] : started)
    CHECK(alive(a) == (id == b1));
  // Nothing undone: reserved as they were, no payment cancelled.
  run_for(1s);
  CHECK(stored(a1).status == order_status::reserved);
  CHECK(stored(a2).status == order_status::reserved);
  CHECK(reserved("p-kettle") == 3);
  // Given the shard again (a new epoch), its orders resume and get paid.
  tell(host(13, 9));
  CHECK(started.size() == 5);
  run_for(12s);
  CHECK(stored(a1).status == order_status::paid);
  CHECK(stored(a2).status == order_status::paid);
  CHECK(stored(b1).status == order_status::paid);
  CHECK(payments_of(a1, "charge", "captured") == 1);
}

TEST_CASE_METHOD(sharded_fixture,
                 "a sharded order manager draws new orders' ids in the shards "
                 "it hosts, and takes none while it hosts none") {
  std::optional<caf::expected<order_record>> none;
  auto target = sharded;
  auto ask = [&](std::optional<caf::expected<order_record>>& out,
                 checkout_request req) {
    sys.spawn([=, &out](caf::event_based_actor* self) {
      self->request(target, caf::infinite, checkout_atom_v, req)
          .then(
              [&out](order_record& r) { out = std::move(r); },
              [&out](caf::error& e) { out = caf::expected<order_record>{e}; });
    });
    run_for(100ms);
  };
  ask(none, checkout("n0", "p-kettle", 1, "tok_ok"));
  REQUIRE(none);
  REQUIRE_FALSE(*none);
  // "Ask the shard's owner": a router that sent it here asks again where
  // the shards went; a client sees 503 as for unavailable.
  CHECK(is_error(none->error(), berry_errc::shard_moved));
  tell(host(3, 7));
  tell(host(5, 7));
  for (int i = 0; i < 20; ++i) {
    std::optional<caf::expected<order_record>> made;
    ask(made, checkout("n" + std::to_string(i + 1), "p-pan", 1, "tok_ok"));
    REQUIRE(made);
    REQUIRE(*made);
    int s = order_shard_of((*made)->id);
    CHECK((s == 3 || s == 5));
  }
}

TEST_CASE_METHOD(sharded_fixture,
                 "whoever waits on an order whose shard goes elsewhere is "
                 "answered 'shard moved' at once, to ask again where the "
                 "order goes on") {
  tell(host(13, 7));
  std::optional<caf::expected<order_record>> answer;
  auto target = sharded;
  sys.spawn([=, &answer](caf::event_based_actor* self) {
    self->request(target, caf::infinite, wait_atom_v, std::string{"u-1"}, a1)
        .then([&answer](order_record& r) { answer = std::move(r); },
              [&answer](caf::error& e) {
                answer = caf::expected<order_record>{e};
              });
  });
  // Reserved, waiting 3 s for its payment.
  run_for(500ms);
  REQUIRE_FALSE(answer);
  tell(caf::make_message(order_unhost_atom::value, int32_t{13}));
  REQUIRE(answer);
  REQUIRE_FALSE(*answer);
  CHECK(is_error(answer->error(), berry_errc::shard_moved));
}

TEST_CASE_METHOD(waiting_fixture,
                 "a repeat of the key of an order its new owner loaded waits "
                 "for the order as the first request did; a second repeat "
                 "while that one waits is refused as in use") {
  // a1's checkout ran on the shard's former owner, whose request ended
  // (answered 503 to be asked again here): the repeat is not concurrent.
  tell(host(13, 7));
  auto target = sharded;
  auto repeat = [&](std::optional<caf::expected<order_record>>& out) {
    checkout_request req;
    req.user_id = "u-1";
    req.idempotency_key = "k-" + a1;
    req.request_hash = "h-" + a1;
    req.lines = {{"p-kettle", 1}};
    req.address = {kremlin, "Москва"};
    req.payment_token = "tok_ok";
    sys.spawn([=, &out](caf::event_based_actor* self) {
      self->request(target, caf::infinite, checkout_atom_v, req)
          .then(
              [&out](order_record& r) { out = std::move(r); },
              [&out](caf::error& e) { out = caf::expected<order_record>{e}; });
    });
  };
  std::optional<caf::expected<order_record>> first, second;
  repeat(first);
  run_for(500ms);
  CHECK_FALSE(first); // it waits for the payment (3 s)
  repeat(second);
  run_for(100ms);
  REQUIRE(second);
  REQUIRE_FALSE(*second);
  CHECK(is_error(second->error(), berry_errc::idempotency_key_in_use));
  run_for(3s);
  REQUIRE(first);
  REQUIRE(*first);
  CHECK((*first)->id == a1);
  CHECK((*first)->status == order_status::paid);
  CHECK(payments_of(a1, "charge", "captured") == 1);
}
