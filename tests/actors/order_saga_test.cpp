// The checkout saga, branch by branch, on the deterministic scheduler with a
// real SQLite file underneath.

#include <catch2/catch.hpp>

#include "node_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

std::vector<order_status> statuses(const order_record& x) {
  std::vector<order_status> out;
  for (auto& h : x.history)
    out.push_back(h.status);
  return out;
}

using history = std::vector<order_status>;

} // namespace

TEST_CASE("an approved card makes a paid order and sells the units") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-kettle", 2, "tok_ok"));
  CHECK(x.status == order_status::paid);
  CHECK(statuses(x) == history{order_status::pending, order_status::reserved,
                               order_status::paid});
  CHECK(x.total == 2 * 199000);
  REQUIRE(x.lines.size() == 1);
  CHECK(x.lines[0].warehouse_id == "w-near");
  CHECK(node.on_hand("p-kettle") == 1);
  CHECK(node.reserved("p-kettle") == 0);
  CHECK(node.payments_of(x.id, "charge", "captured") == 1);
}

TEST_CASE("an order for more than there is ends out of stock, nothing held") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-kettle", 5, "tok_ok"));
  CHECK(x.status == order_status::cancelled);
  CHECK(x.cancel_reason == compensation_reason::out_of_stock);
  CHECK(node.on_hand("p-kettle") == 3);
  CHECK(node.reserved("p-kettle") == 0);
  CHECK(node.query("SELECT COUNT(*) FROM provider_payments") == 0);
}

TEST_CASE("a declined card releases the reservation") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-kettle", 2, "tok_decline"));
  CHECK(x.status == order_status::cancelled);
  CHECK(x.cancel_reason == compensation_reason::payment_declined);
  CHECK(statuses(x) == history{order_status::pending, order_status::reserved,
                               order_status::cancelled});
  CHECK(node.on_hand("p-kettle") == 3);
  CHECK(node.reserved("p-kettle") == 0);
  CHECK(node.payments_of(x.id, "charge", "captured") == 0);
}

TEST_CASE("a flaky provider is retried with the same key and charges once") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-pan", 1, "tok_flaky"));
  CHECK(x.status == order_status::paid);
  CHECK(node.payments_of(x.id, "charge", "captured") == 1);
  CHECK(node.query("SELECT attempts FROM provider_payments WHERE order_id = '" +
                   x.id + "'") == 3);
  CHECK(node.on_hand("p-pan") == 9);
}

TEST_CASE("a provider slower than the step timeout is asked, not guessed") {
  node_options o;
  o.payment_step_timeout = 1s; // tok_slow answers after 2 s
  node_fixture node{o};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_slow"), 6s);
  CHECK(x.status == order_status::paid);
  CHECK(node.payments_of(x.id, "charge", "captured") == 1);
  CHECK(node.on_hand("p-kettle") == 2);
}

TEST_CASE("a lost provider answer is resolved by asking for the status") {
  node_options o;
  int drops = 0;
  o.drop_reply = [&drops](const payment_request&) { return drops++ == 0; };
  node_fixture node{o};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"), 12s);
  CHECK(drops >= 1);
  CHECK(x.status == order_status::paid);
  CHECK(node.payments_of(x.id, "charge", "captured") == 1);
}

TEST_CASE("a reservation that expires under a slow payment is undone whole") {
  node_options o;
  o.reservation_ttl = 1s; // expires before tok_slow's 2 s answer
  node_fixture node{o};
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_slow"), 8s);
  CHECK(x.status == order_status::cancelled);
  CHECK(x.cancel_reason == compensation_reason::reservation_expired);
  // The capture was refunded and the units are all there.
  CHECK(node.payments_of(x.id, "charge", "captured") == 1);
  CHECK(node.payments_of(x.id, "refund", "refunded") == 1);
  CHECK(node.on_hand("p-kettle") == 3);
  CHECK(node.reserved("p-kettle") == 0);
}

TEST_CASE("a cancel during payment refunds and releases once payment ends") {
  node_fixture node;
  std::optional<caf::expected<order_record>> created, cancelled;
  node.ask_orders(created, checkout_atom_v,
                  node.checkout("k1", "p-kettle", 2, "tok_slow"));
  node.run_for(500ms);
  REQUIRE(created);
  REQUIRE(*created);
  auto id = (**created).id;
  CHECK(node.stored(id).status == order_status::reserved);
  node.ask_orders(cancelled, cancel_atom_v, std::string{"u-1"}, id);
  node.run_for(5s);
  REQUIRE(cancelled);
  REQUIRE(*cancelled);
  CHECK((**cancelled).status == order_status::cancelled);
  auto x = node.stored(id);
  CHECK(x.status == order_status::cancelled);
  CHECK(x.cancel_reason == compensation_reason::customer);
  CHECK(node.payments_of(id, "refund", "refunded") ==
        node.payments_of(id, "charge", "captured"));
  CHECK(node.on_hand("p-kettle") == 3);
  CHECK(node.reserved("p-kettle") == 0);
}

TEST_CASE("a paid order cancelled by its customer is refunded and restocked") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-kettle", 2, "tok_ok"));
  REQUIRE(x.status == order_status::paid);
  REQUIRE(node.on_hand("p-kettle") == 1);
  auto cancelled = node.ask_for(cancel_atom_v, x.id, 2s);
  REQUIRE(cancelled);
  CHECK(cancelled->status == order_status::cancelled);
  CHECK(node.payments_of(x.id, "refund", "refunded") == 1);
  CHECK(node.on_hand("p-kettle") == 3);
}

TEST_CASE("another customer's order is not found") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"));
  std::optional<caf::expected<order_record>> theirs;
  node.ask_orders(theirs, caf::get_atom_v, std::string{"u-2"}, x.id);
  node.ask_orders(theirs, cancel_atom_v, std::string{"u-2"}, x.id);
  node.run_for(100ms);
  REQUIRE(theirs);
  REQUIRE_FALSE(*theirs);
  CHECK(theirs->error() == caf::make_error(berry_errc::not_found));
  CHECK(node.stored(x.id).status == order_status::paid);
}

TEST_CASE(
    "an order actor that crashes is restarted from storage and finishes") {
  node_fixture node;
  std::optional<caf::expected<order_record>> created;
  node.ask_orders(created, checkout_atom_v,
                  node.checkout("k1", "p-kettle", 1, "tok_slow"));
  node.run_for(300ms);
  REQUIRE(created);
  REQUIRE(*created);
  auto id = (**created).id;
  REQUIRE(node.order_actors.count(id) == 1);
  auto first = node.order_actors[id];
  caf::anon_send_exit(first, caf::exit_reason::kill);
  node.sched.run();
  // The manager starts a new actor for it, from storage.
  node.run_for(200ms);
  bool crashed = node.order_actors[id] != first;
  REQUIRE(crashed);
  node.run_for(6s);
  auto x = node.stored(id);
  CHECK(x.status == order_status::paid);
  CHECK(node.payments_of(id, "charge", "captured") == 1);
  CHECK(node.on_hand("p-kettle") == 2);
  CHECK(node.reserved("p-kettle") == 0);
}

TEST_CASE("a cancel that finds the order's actor gone says try again, and "
          "works once the actor is back") {
  node_fixture node;
  auto x = node.place(node.checkout("k1", "p-kettle", 1, "tok_ok"));
  REQUIRE(x.status == order_status::paid);
  auto first = node.order_actors[x.id];
  // The actor dies with the cancel on its way to it: the manager's request
  // bounces and is answered from storage.
  std::optional<caf::expected<order_record>> bounced, waiting;
  caf::anon_send_exit(first, caf::exit_reason::kill);
  node.ask_orders(bounced, cancel_atom_v, std::string{"u-1"}, x.id);
  node.sched.run();
  REQUIRE(bounced);
  REQUIRE_FALSE(*bounced);
  CHECK(is_error(bounced->error(), berry_errc::unavailable));
  // While the restart waits out its backoff the same holds.
  node.ask_orders(waiting, cancel_atom_v, std::string{"u-1"}, x.id);
  node.sched.run();
  REQUIRE(waiting);
  REQUIRE_FALSE(*waiting);
  CHECK(is_error(waiting->error(), berry_errc::unavailable));
  CHECK(node.stored(x.id).status == order_status::paid);
  // Back from storage, it cancels, refunds and restocks.
  node.run_for(500ms);
  REQUIRE(node.order_actors[x.id] != first);
  auto cancelled = node.ask_for(cancel_atom_v, x.id, 2s);
  REQUIRE(cancelled);
  CHECK(cancelled->status == order_status::cancelled);
  CHECK(node.payments_of(x.id, "refund", "refunded") == 1);
  CHECK(node.on_hand("p-kettle") == 3);
}

TEST_CASE("a node that stops mid-saga resumes the order when it starts again") {
  auto o = node_options{};
  node_fixture node{o};
  std::optional<caf::expected<order_record>> created;
  node.ask_orders(created, checkout_atom_v,
                  node.checkout("k1", "p-kettle", 1, "tok_slow"));
  node.run_for(300ms);
  REQUIRE(created);
  REQUIRE(*created);
  auto id = (**created).id;
  CHECK(node.stored(id).status == order_status::reserved);
  node.stop();
  node.start();
  node.run_for(6s);
  auto x = node.stored(id);
  CHECK(x.status == order_status::paid);
  CHECK(node.payments_of(id, "charge", "captured") == 1);
  CHECK(node.on_hand("p-kettle") == 2);
  CHECK(node.reserved("p-kettle") == 0);
}

TEST_CASE("twenty buyers of three kettles make exactly three paid orders") {
  node_fixture node;
  std::vector<std::optional<caf::expected<order_record>>> created(20);
  for (int i = 0; i < 20; ++i)
    node.ask_orders(created[i], checkout_atom_v,
                    node.checkout("k" + std::to_string(i), "p-kettle", 1,
                                  "tok_ok", i % 2 ? "u-1" : "u-2"));
  node.run_for(5s);
  int paid = 0, sold_out = 0;
  for (auto& c : created) {
    REQUIRE(c);
    REQUIRE(*c);
    auto x = node.stored((**c).id);
    paid += x.status == order_status::paid;
    sold_out += x.status == order_status::cancelled &&
                x.cancel_reason == compensation_reason::out_of_stock;
  }
  CHECK(paid == 3);
  CHECK(sold_out == 17);
  CHECK(node.on_hand("p-kettle") == 0);
  CHECK(node.reserved("p-kettle") == 0);
}

TEST_CASE("a repeated checkout key answers the same order or refuses") {
  node_fixture node;
  auto r = node.checkout("same", "p-kettle", 1, "tok_ok");
  auto x = node.place(r);
  std::optional<caf::expected<order_record>> again, other;
  node.ask_orders(again, checkout_atom_v, r);
  auto changed = r;
  changed.request_hash = "another body";
  node.ask_orders(other, checkout_atom_v, changed);
  node.run_for(100ms);
  REQUIRE(again);
  REQUIRE(*again);
  CHECK((**again).id == x.id);
  REQUIRE(other);
  REQUIRE_FALSE(*other);
  CHECK(other->error() == caf::make_error(berry_errc::idempotency_key_reuse));
  CHECK(node.query("SELECT COUNT(*) FROM orders") == 1);
}
