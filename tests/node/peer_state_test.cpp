#include "node/peer_state.hpp"

#include <catch2/catch.hpp>

#include "cluster/membership_state.hpp"

// What a node's links to the other nodes decide (issue 14), without actors:
// the links themselves are tested end to end in
// tests/integration/cluster_route_test.cpp.

using namespace berry;

namespace {

cluster::cluster_view view_of_b() {
  cluster::cluster_view v;
  v.self = "b";
  v.nodes = {{"a", "127.0.0.1:8001", "127.0.0.1:4001", true},
             {"b", "127.0.0.1:8002", "127.0.0.1:4002", true},
             {"c", "127.0.0.1:8003", "", false}};
  v.shards = {{"w-1", "a", 10, 7}, {"w-2", "b", 11, 8}};
  return v;
}

} // namespace

TEST_CASE("a node links to the other live nodes that published a port") {
  auto peers = live_peers(view_of_b());
  CHECK(peers == std::map<std::string, std::string>{{"a", "127.0.0.1:4001"}});
}

TEST_CASE("of two nodes, the lower name opens the link") {
  CHECK(opens_link("a", "b"));
  CHECK_FALSE(opens_link("b", "a"));
  CHECK_FALSE(opens_link("a", "a"));
}

TEST_CASE("every claimed shard has its owner") {
  auto owners = shard_owners(view_of_b());
  CHECK(owners ==
        std::map<std::string, std::string>{{"w-1", "a"}, {"w-2", "b"}});
}

TEST_CASE("a cluster address splits into host and port, or not at all") {
  auto ok = split_address("10.0.0.5:4101");
  REQUIRE(ok);
  CHECK(ok->first == "10.0.0.5");
  CHECK(ok->second == 4101);
  CHECK(split_address("[::1]:80")->first == "[::1]");
  for (auto bad :
       {"", "host", "host:", ":80", "h:0", "h:65536", "h:8x", "h:1234567"})
    CHECK_FALSE(split_address(bad));
}

TEST_CASE("the relay keeps the latest availability of each warehouse") {
  availability_relay relay;
  relay.apply({"w-1", {{"p-1", 5}, {"p-2", 0}}});
  relay.apply({"w-2", {{"p-1", 3}}});
  relay.apply({"w-1", {{"p-1", 4}}});
  auto all = relay.all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].warehouse_id == "w-1");
  REQUIRE(all[0].items.size() == 2);
  CHECK(all[0].items[0].product_id == "p-1");
  CHECK(all[0].items[0].available == 4);
  CHECK(all[0].items[1].available == 0);
  relay.drop("w-1");
  all = relay.all();
  REQUIRE(all.size() == 1);
  CHECK(all[0].warehouse_id == "w-2");
}

TEST_CASE("a shard without a route waits while it is between owners, not "
          "for a listed owner that has no link") {
  for (auto o : {owner_seen::nobody, owner_seen::self, owner_seen::leaving,
                 owner_seen::linked, owner_seen::unlisted})
    CHECK(worth_waiting(o));
  // The owner's node key went before its shards' keys (a SIGTERM's lease
  // revoke, as etcd's watch tells it): they are claimed in a moment.
  CHECK(worth_waiting(owner_seen::unlisted));
  CHECK_FALSE(worth_waiting(owner_seen::unlinked));
}
