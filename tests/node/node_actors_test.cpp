// A node's actors stopped as `berry serve` stops them: every actor ends,
// and the journal commits what it still held before it does.

#include <catch2/catch.hpp>

#include "actors/node_fixture.hpp"
#include "node/node_actors.hpp"

using namespace berry;
using namespace berry::test;

namespace {

/// Every actor of `a`, as plain handles.
std::vector<caf::actor> all_of(const node_actors& a) {
  std::vector<caf::actor> out{caf::actor_cast<caf::actor>(a.journal),
                              caf::actor_cast<caf::actor>(a.catalog),
                              caf::actor_cast<caf::actor>(a.provider),
                              caf::actor_cast<caf::actor>(a.payments),
                              caf::actor_cast<caf::actor>(a.carts),
                              caf::actor_cast<caf::actor>(a.orders)};
  for (auto& [id, w] : a.warehouses)
    out.push_back(caf::actor_cast<caf::actor>(w));
  if (a.dispatcher)
    out.push_back(caf::actor_cast<caf::actor>(a.dispatcher));
  if (a.tracking)
    out.push_back(caf::actor_cast<caf::actor>(a.tracking));
  return out;
}

/// Counts in `ended` the actors of `watched` that have ended.
void watch(const std::vector<caf::actor>& watched, size_t& ended) {
  for (auto& a : watched)
    a->attach_functor([&ended] { ++ended; });
}

} // namespace

TEST_CASE("a node stopped cleanly commits what its journal held") {
  node_fixture node;
  REQUIRE(node.on_hand("p-kettle") == 3);
  // Queued before the stop, not yet committed: a crash would lose it.
  caf::anon_send(node.actors.journal, write_atom_v,
                 journal_batch{{stock_changed{{"w-near", "p-kettle", 39, 0}}}});
  stop_node_actors(node.actors);
  node.drain();
  CHECK(node.on_hand("p-kettle") == 42);
}

TEST_CASE("every actor of a node ends when it is stopped cleanly") {
  node_options o;
  o.logistics = true;
  node_fixture node{o};
  auto watched = all_of(node.actors);
  CHECK(watched.size() == 10);
  size_t ended = 0;
  watch(watched, ended);
  node.run_for(std::chrono::seconds(1));
  REQUIRE(ended == 0);
  stop_node_actors(node.actors);
  node.drain();
  CHECK(ended == watched.size());
}

namespace {

/// A node whose provider answers after `latency`, with one tok_ok charge
/// asked of its payment actor and run as far as nothing waits for time;
/// `paid` turns true when the answer comes.
struct charged_node {
  std::unique_ptr<node_fixture> node;
  bool paid = false;

  explicit charged_node(std::chrono::milliseconds latency) {
    node_options o;
    o.payment_latency = latency;
    node = std::make_unique<node_fixture>(o);
    auto payments = node->actors.payments;
    payment_request req{"o-1:charge", "o-1", 199000, "tok_ok"};
    node->sys.spawn([=](caf::event_based_actor* self) {
      self->request(payments, caf::infinite, charge_atom_v, req)
          .then([this](const payment_result&) { paid = true; });
    });
    node->sched.run();
  }

  void advance(std::chrono::milliseconds d) {
    node->sched.advance_time(d);
    node->sched.run();
  }
};

} // namespace

TEST_CASE("a node's payments take as long as --payment-latency-ms says") {
  charged_node c{std::chrono::milliseconds(300)};
  c.advance(std::chrono::milliseconds(299));
  CHECK_FALSE(c.paid);
  c.advance(std::chrono::milliseconds(1));
  CHECK(c.paid);
}

TEST_CASE("a node whose payment latency is 0 pays without waiting") {
  charged_node c{std::chrono::milliseconds(0)};
  CHECK(c.paid);
}
