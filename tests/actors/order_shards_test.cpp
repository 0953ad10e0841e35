#include "actors/order_shards.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "actors/order_router.hpp"

// Which order shard an order falls in (issue 14): the same on every node
// and build, since the nodes of a cluster must agree on it without talking.

using namespace berry;

TEST_CASE("an order's shard is a fixed function of its id") {
  // Pinned: FNV-1a 64 then splitmix64's finaliser, mod 16, computed apart
  // from this code. Another value here moves every order of a cluster.
  CHECK(order_shard_of("o-0000000000000000") == 13);
  CHECK(order_shard_of("o-8f3a2c1d4e5b6a70") == 11);
  CHECK(order_shard_of("o-ffffffffffffffff") == 6);
  CHECK(order_shard_of("o-1") == 14);
  CHECK(order_shard_of("") == 15);
}

TEST_CASE("orders spread over every order shard about evenly") {
  std::map<int, int> count;
  for (int i = 0; i < 16000; ++i) {
    auto id = "o-" + std::to_string(1000000 + i * 7919);
    int s = order_shard_of(id);
    REQUIRE(s >= 0);
    REQUIRE(s < order_shard_count);
    ++count[s];
  }
  REQUIRE(count.size() == size_t{order_shard_count});
  for (auto& [shard, n] : count) {
    CHECK(n > 800);
    CHECK(n < 1200);
  }
}

TEST_CASE("an order shard's cluster id is orders/N, and only those parse") {
  CHECK(order_shard_id(0) == "orders/0");
  CHECK(order_shard_id(15) == "orders/15");
  for (int i = 0; i < order_shard_count; ++i)
    CHECK(order_shard_number(order_shard_id(i)) == i);
  CHECK_FALSE(order_shard_number("orders/16"));
  CHECK_FALSE(order_shard_number("orders/01"));
  CHECK_FALSE(order_shard_number("orders/"));
  CHECK_FALSE(order_shard_number("orders/x"));
  CHECK_FALSE(order_shard_number("w-koledino"));
  CHECK_FALSE(order_shard_number("orders0"));
}

TEST_CASE("a node that hosts no order shard sends a checkout to the user's "
          "own shard's node, or the next one it reaches") {
  CHECK_FALSE(checkout_shard("u-1", {}));
  int own = order_shard_of("u-1");
  CHECK(checkout_shard("u-1", {own, (own + 3) % 16}) == own);
  std::set<int> others;
  for (int s = 0; s < order_shard_count; ++s)
    if (s != own)
      others.insert(s);
  // The next one up, wrapping around past the last.
  CHECK(checkout_shard("u-1", others) == (own + 1) % order_shard_count);
  CHECK(checkout_shard("u-1", {(own + 15) % 16}) == (own + 15) % 16);
}
