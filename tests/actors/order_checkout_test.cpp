// One checkout, one answer: the order manager waits for the order's checkout
// until its deadline and answers with the order or the error that ended it.

#include <catch2/catch.hpp>

#include "node_fixture.hpp"

using namespace berry;
using namespace berry::test;
using namespace std::chrono_literals;

namespace {

node_options with_deadline(std::chrono::milliseconds d) {
  node_options o;
  o.checkout_deadline = d;
  return o;
}

/// Checks out and runs the node for `d`; the one answer.
caf::expected<order_record> check_out(node_fixture& node,
                                      const checkout_request& r,
                                      std::chrono::milliseconds d = 1s) {
  std::optional<caf::expected<order_record>> answer;
  node.ask_orders(answer, checkout_atom_v, r);
  node.run_for(d);
  if (!answer)
    return caf::make_error(berry_errc::internal, "no answer");
  return std::move(*answer);
}

std::string detail(const caf::error& err) {
  auto& ctx = err.context();
  return ctx.match_element<std::string>(0) ? ctx.get_as<std::string>(0) : "";
}

} // namespace

TEST_CASE("a checkout answers once, with the paid order") {
  node_fixture node{with_deadline(5s)};
  auto x = check_out(node, node.checkout("k1", "p-kettle", 1, "tok_ok"));
  REQUIRE(x);
  CHECK(x->status == order_status::paid);
  CHECK(node.stored(x->id).status == order_status::paid);
}

TEST_CASE("a checkout that ends cancelled answers the error that ended it") {
  node_fixture node{with_deadline(5s)};
  auto declined =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_decline"));
  REQUIRE_FALSE(declined);
  CHECK(is_error(declined.error(), berry_errc::payment_declined));
  CHECK(detail(declined.error()) ==
        "the payment was declined; the reservation is released");
  auto sold_out = check_out(node, node.checkout("k2", "p-kettle", 9, "tok_ok"));
  REQUIRE_FALSE(sold_out);
  CHECK(is_error(sold_out.error(), berry_errc::out_of_stock));
  CHECK(detail(sold_out.error()) ==
        "some line cannot be reserved; nothing was charged");
  // The same key again answers the same outcome.
  auto again =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_decline"));
  REQUIRE_FALSE(again);
  CHECK(is_error(again.error(), berry_errc::payment_declined));
}

TEST_CASE("a checkout still running at its deadline answers the order as it "
          "is, and the order goes on") {
  node_fixture node{with_deadline(500ms)};
  std::optional<caf::expected<order_record>> answer;
  node.ask_orders(answer, checkout_atom_v,
                  node.checkout("k1", "p-kettle", 1, "tok_slow"));
  node.run_for(400ms);
  CHECK_FALSE(answer); // not before the deadline
  node.run_for(200ms);
  REQUIRE(answer);
  REQUIRE(*answer);
  auto id = (**answer).id;
  CHECK((**answer).status == order_status::reserved);
  // A retry meanwhile is refused; once paid it answers the order.
  auto running =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_slow"), 100ms);
  REQUIRE_FALSE(running);
  CHECK(is_error(running.error(), berry_errc::idempotency_key_in_use));
  node.run_for(5s);
  CHECK(node.stored(id).status == order_status::paid);
  auto replay =
      check_out(node, node.checkout("k1", "p-kettle", 1, "tok_slow"), 100ms);
  REQUIRE(replay);
  CHECK(replay->status == order_status::paid);
}

TEST_CASE("a retry of a checkout whose insert landed unanswered starts its "
          "order, which is then paid") {
  node_fixture node{with_deadline(5s)};
  auto req = node.checkout("k-lost", "p-kettle", 1, "tok_ok");
  // The insert's commit broke off (a database failover) and the checkout
  // answered 503 and gave the order up, yet the row is there: stored,
  // pending, run by no actor.
  order_record lost;
  lost.id = "o-00000000000000000000000000a";
  lost.user_id = req.user_id;
  lost.status = order_status::pending;
  lost.lines = {{"p-kettle", 1, 199000, ""}};
  lost.total = 199000;
  lost.address = req.address;
  lost.payment_token = req.payment_token;
  lost.idempotency_key = req.idempotency_key;
  lost.request_hash = req.request_hash;
  lost.created_at_ms = 1000;
  lost.history = {{order_status::pending, 1000}};
  {
    auto db = storage::database::open(node.db_path);
    for (auto& s : storage::insert_order(lost))
      storage::execute(db, s);
  }
  auto on_hand = node.on_hand("p-kettle");
  auto retry = check_out(node, req);
  REQUIRE(retry);
  CHECK(retry->id == lost.id);
  CHECK(retry->status == order_status::paid);
  CHECK(node.stored(lost.id).status == order_status::paid);
  CHECK(node.on_hand("p-kettle") == on_hand - 1);
}

namespace {

/// A journal in front of `real` whose commit of a new order breaks off:
/// the order is stored, and the answer says the outcome is unknown, as
/// when the connection to PostgreSQL drops during the COMMIT.
journal_actor journal_losing_inserts(caf::actor_system& sys,
                                     journal_actor real) {
  return sys.spawn(
      [real](journal_actor::pointer self) -> journal_actor::behavior_type {
        return {
            [=](write_atom, journal_batch& batch) -> caf::result<uint64_t> {
              bool insert = false;
              for (auto& c : batch.commands)
                insert = insert || caf::holds_alternative<order_created>(c);
              auto rp = self->make_response_promise<uint64_t>();
              self->request(real, caf::infinite, write_atom_v, std::move(batch))
                  .then(
                      [=](uint64_t n) mutable {
                        if (insert)
                          rp.deliver(caf::make_error(
                              berry_errc::unavailable,
                              "the outcome of a write is unknown: connection "
                              "lost"));
                        else
                          rp.deliver(n);
                      },
                      [=](caf::error& e) mutable { rp.deliver(std::move(e)); });
              return rp;
            },
            [=](stats_atom) { return self->delegate(real, stats_atom_v); },
            [=](flush_atom) { self->send(real, flush_atom_v); },
            [=](caf::close_atom) { self->quit(); },
        };
      });
}

} // namespace

TEST_CASE("an order stored by a checkout that was answered 503 (the "
          "outcome unknown) goes on without a retry, and is paid") {
  node_fixture node{with_deadline(5s)};
  order_manager_init init;
  init.deps.journal = journal_losing_inserts(node.sys, node.actors.journal);
  init.deps.payments = node.actors.payments;
  init.deps.carts = node.actors.carts;
  init.deps.warehouse_infos = node.actors.warehouse_infos;
  init.deps.warehouses = node.actors.warehouses;
  init.catalog = [view = node.actors.catalog_snapshot] { return view->load(); };
  init.db_path = node.db_path;
  init.detached = false;
  init.checkout_deadline = 5s;
  auto orders = spawn_order_manager(node.sys, std::move(init));
  auto on_hand = node.on_hand("p-kettle");
  std::optional<caf::expected<order_record>> answer;
  auto req = node.checkout("k-lost", "p-kettle", 1, "tok_ok");
  node.sys.spawn([=, &answer](caf::event_based_actor* self) {
    self->request(orders, caf::infinite, checkout_atom_v, req)
        .then([&answer](order_record& r) { answer = std::move(r); },
              [&answer](caf::error& e) {
                answer = caf::expected<order_record>{e};
              });
  });
  node.run_for(100ms);
  REQUIRE(answer);
  REQUIRE_FALSE(*answer);
  CHECK(is_error(answer->error(), berry_errc::unavailable));
  // Nobody repeats the checkout. The manager looks for the key again, finds
  // the order stored, and runs it.
  node.run_for(3s);
  caf::anon_send_exit(orders, caf::exit_reason::kill);
  auto db = storage::database::open(node.db_path);
  auto mine = storage::load_user_orders(db, "u-1");
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].status == order_status::paid);
  CHECK(node.on_hand("p-kettle") == on_hand - 1);
}

namespace {

/// The catalog told `report` (true or not), then a checkout of `qty` pans.
order_record pans_after_report(node_fixture& node, availability_report report,
                               const std::string& key, int32_t qty) {
  node.run_for(100ms);
  caf::anon_send(node.actors.catalog, avail_atom_v, std::move(report));
  auto rec = node.place(node.checkout(key, "p-pan", qty, "tok_ok"));
  CHECK(rec.status == order_status::paid);
  REQUIRE(rec.lines.size() == 1);
  CHECK(rec.lines[0].warehouse_id == "w-far");
  return rec;
}

} // namespace

TEST_CASE("a first plan made from a stale report ends paid all the same, "
          "from the warehouse that has the units") {
  // The catalog is told the near warehouse has pans (it has none): the
  // first plan, read from the reports, reserves there and is refused; the
  // next plan asks the warehouses themselves.
  node_fixture node;
  auto rec = pans_after_report(node, {"w-near", {{"p-pan", 50}}}, "k-stale", 2);
  CHECK(rec.attempt == 2);
  CHECK(node.on_hand("p-pan") == 8);
  CHECK(node.reserved("p-pan") == 0);
}

TEST_CASE("reports that show nothing left do not refuse a checkout the "
          "warehouses can serve") {
  node_fixture node;
  auto rec = pans_after_report(node, {"w-far", {{"p-pan", 0}}}, "k-zero", 1);
  // The reports could not plan it: the one plan was the warehouses'.
  CHECK(rec.attempt == 1);
  CHECK(node.on_hand("p-pan") == 9);
}

TEST_CASE("a first plan read from the reports takes the nearest warehouse "
          "that has the units") {
  node_fixture node;
  node.run_for(100ms);
  auto rec = node.place(node.checkout("k-near", "p-kettle", 2, "tok_ok"));
  CHECK(rec.status == order_status::paid);
  REQUIRE(rec.lines.size() == 1);
  CHECK(rec.lines[0].warehouse_id == "w-near");
  CHECK(rec.attempt == 1);
  CHECK(node.on_hand("p-kettle") == 1);
}
