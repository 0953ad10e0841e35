#include "node/shard_host.hpp"

#include <catch2/catch.hpp>

// What a node's shard host does when the shards it owns change (issue 14):
// the pure plan; the fencing itself is tested against PostgreSQL in
// tests/storage/postgres_journal_test.cpp and end to end in
// tests/integration/cluster_fence_test.cpp.

using namespace berry;

using epochs = std::map<std::string, int64_t>;
using starts = std::vector<std::pair<std::string, int64_t>>;

TEST_CASE("a shard claimed here starts, and a shard lost stops") {
  auto m = plan_moves({{"w-1", 10}, {"orders/3", 12}},
                      {{"w-1", 10}, {"orders/4", 20}});
  CHECK(m.stop == std::vector<std::string>{"orders/3"});
  CHECK(m.start == starts{{"orders/4", 20}});
}

TEST_CASE("a shard owned again at a new epoch stops and starts again") {
  // Lost and claimed back (say after this node fenced itself): what it
  // held in memory under the old epoch is not to be trusted.
  auto m = plan_moves({{"w-1", 10}}, {{"w-1", 31}});
  CHECK(m.stop == std::vector<std::string>{"w-1"});
  CHECK(m.start == starts{{"w-1", 31}});
}

TEST_CASE("a claim the fence refused is not tried again at that epoch") {
  epochs refused{{"w-1", 10}};
  CHECK(plan_moves({}, {{"w-1", 10}}, refused).start.empty());
  CHECK(plan_moves({}, {{"w-1", 44}}, refused).start == starts{{"w-1", 44}});
}

TEST_CASE("nothing owned (the lease is gone): everything stops") {
  auto m = plan_moves({{"w-1", 10}, {"w-2", 11}}, {});
  CHECK(m.stop.size() == 2);
  CHECK(m.start.empty());
}
