#include "cluster/membership_state.hpp"

#include <catch2/catch.hpp>

#include "cluster/placement.hpp"

using namespace berry::cluster;

namespace {

membership_state node(const std::string& name) {
  membership_state m;
  m.cfg.node_name = name;
  m.cfg.prefix = "/berry/t/";
  m.cfg.http = "127.0.0.1:8080";
  m.cfg.shards = {"warehouse/w1", "warehouse/w2", "orders/0", "orders/1"};
  m.lease = 7;
  return m;
}

void live(membership_state& m, const std::string& name) {
  m.apply("/berry/t/nodes/" + name, R"({"http":"h:1","ready":true})", 1, 1,
          false);
}

} // namespace

TEST_CASE("a node key makes a live node and its deletion ends it") {
  auto m = node("a");
  live(m, "b");
  REQUIRE(m.view().nodes.size() == 1);
  CHECK(m.view().nodes[0].name == "b");
  CHECK(m.view().nodes[0].http == "h:1");
  CHECK(m.view().nodes[0].ready);
  m.apply("/berry/t/nodes/b", "", 0, 0, true);
  CHECK(m.view().nodes.empty());
  m.apply("/berry/other/nodes/c", R"({"http":"x"})", 1, 1, false);
  m.apply("/berry/t/nodes/d", "not json", 1, 1, false);
  CHECK(m.view().nodes.empty());
}

TEST_CASE("a shard key names its owner, and its create revision is the epoch") {
  auto m = node("a");
  m.apply(m.shard_key("orders/1"), R"({"node":"b"})", 42, 9, false);
  REQUIRE(m.view().shards.size() == 1);
  CHECK(m.view().shards[0].id == "orders/1");
  CHECK(m.view().shards[0].owner == "b");
  CHECK(m.view().shards[0].epoch == 42);
}

TEST_CASE("a node claims what placement gives it, and only once it is live") {
  auto m = node("a");
  live(m, "b");
  CHECK(m.to_claim().empty()); // a has not registered yet
  live(m, "a");
  auto mine = m.to_claim();
  for (auto& s : mine)
    CHECK(preferred_owner({"a", "b"}, s) == "a");
  m.claiming.insert(mine.begin(), mine.end());
  CHECK(m.to_claim().empty());
}

TEST_CASE("a node does not take a shard a live node holds") {
  auto m = node("a");
  live(m, "a");
  live(m, "b");
  for (auto& s : m.cfg.shards)
    m.apply(m.shard_key(s), R"({"node":"b"})", 5, 9, false);
  CHECK(m.to_claim().empty());
  // b's lease expires: its node key and claims go in one revision.
  m.apply("/berry/t/nodes/b", "", 0, 0, true);
  CHECK(m.to_claim() == m.cfg.shards);
}

TEST_CASE("a claim under an older lease of this node is no longer its own") {
  auto m = node("a");
  live(m, "a");
  m.apply(m.shard_key("orders/0"), m.shard_value(), 5, 7, false);
  m.apply(m.shard_key("orders/1"), m.shard_value(), 6, 3, false);
  CHECK(m.owned() == std::vector<std::string>{"orders/0"});
  m.drop_owned();
  CHECK(m.view().shards.size() == 1);
}

TEST_CASE("the view names the shards this node owns under its lease now") {
  auto m = node("a");
  m.apply(m.shard_key("orders/0"), R"({"node":"a"})", 40, 7, false);
  m.apply(m.shard_key("orders/1"), R"({"node":"a"})", 30, 5, false); // old
  m.apply(m.shard_key("warehouse/w1"), R"({"node":"b"})", 41, 9, false);
  auto v = m.view();
  CHECK(v.self == "a");
  CHECK(v.mine() == std::map<std::string, int64_t>{{"orders/0", 40}});
  m.lease = 0; // fenced: nothing is ours
  CHECK(m.view().mine().empty());
}
