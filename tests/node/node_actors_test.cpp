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
