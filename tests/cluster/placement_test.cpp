#include "cluster/placement.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace berry::cluster;

namespace {

std::vector<std::string> some_shards(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back("orders/" + std::to_string(i));
  return out;
}

std::map<std::string, std::string>
placement(const std::vector<std::string>& live,
          const std::vector<std::string>& shards) {
  std::map<std::string, std::string> owners;
  for (auto& s : shards)
    owners[s] = preferred_owner(live, s);
  return owners;
}

} // namespace

TEST_CASE("a shard's weight is the same in every process and build") {
  // Golden values: a change here would move shards between nodes of one
  // cluster running two builds.
  CHECK(rendezvous_weight("n1", "warehouse/w1") ==
        rendezvous_weight("n1", "warehouse/w1"));
  CHECK(rendezvous_weight("n1", "warehouse/w1") == 0xe89bcb85d183bc78ull);
  CHECK(rendezvous_weight("n1", "warehouse/w1") !=
        rendezvous_weight("n1w", "arehouse/w1"));
}

TEST_CASE("every shard has one preferred owner whatever the nodes' order") {
  auto shards = some_shards(64);
  auto a = placement({"a", "b", "c"}, shards);
  auto b = placement({"c", "a", "b"}, shards);
  CHECK(a == b);
  for (auto& [shard, owner] : a)
    CHECK((owner == "a" || owner == "b" || owner == "c"));
  CHECK(preferred_owner({}, "orders/1").empty());
}

TEST_CASE("shards spread over the nodes about evenly") {
  std::map<std::string, int> count;
  for (auto& [shard, owner] : placement({"n1", "n2", "n3"}, some_shards(300)))
    ++count[owner];
  REQUIRE(count.size() == 3);
  for (auto& [node, n] : count)
    CHECK((n > 70 && n < 130));
}

TEST_CASE("when a node leaves only its own shards move") {
  auto shards = some_shards(200);
  auto before = placement({"a", "b", "c"}, shards);
  auto after = placement({"a", "c"}, shards);
  int moved = 0;
  for (auto& s : shards) {
    if (before[s] != "b")
      CHECK(after[s] == before[s]);
    else
      ++moved;
  }
  CHECK(moved > 0);
  // The survivors claim exactly b's shards between them, each one once.
  std::map<std::string, std::string> owners;
  for (auto& [s, o] : before)
    owners[s] = o; // b's entries stay until its lease is gone: not live
  auto by_a = shards_to_claim("a", {"a", "c"}, shards, owners);
  auto by_c = shards_to_claim("c", {"a", "c"}, shards, owners);
  std::set<std::string> claimed(by_a.begin(), by_a.end());
  claimed.insert(by_c.begin(), by_c.end());
  CHECK(claimed.size() == by_a.size() + by_c.size());
  CHECK(int(claimed.size()) == moved);
  for (auto& s : claimed)
    CHECK(before[s] == "b");
}

TEST_CASE("a node that joins takes only shards nobody owns") {
  auto shards = some_shards(100);
  auto owners = placement({"a", "b"}, shards);
  CHECK(shards_to_claim("c", {"a", "b", "c"}, shards, owners).empty());
  // Ten shards lose their owner's claim (given up): c takes those it is
  // preferred for, a and b the rest, and nobody any other shard.
  std::set<std::string> orphans;
  for (int i = 0; i < 10; ++i) {
    owners.erase(shards[i]);
    orphans.insert(shards[i]);
  }
  std::set<std::string> claimed;
  for (auto n : {"a", "b", "c"})
    for (auto& s : shards_to_claim(n, {"a", "b", "c"}, shards, owners)) {
      CHECK(orphans.count(s) == 1);
      CHECK(claimed.insert(s).second);
    }
  CHECK(claimed == orphans);
}

TEST_CASE("a shard's fence key is stable, positive and distinct in a cluster") {
  // Golden value: PostgreSQL's shard_owner rows are keyed by it.
  CHECK(fence_key("orders/0") == 0x2708aeaaa8ad99eall);
  std::vector<std::string> shards = some_shards(16);
  for (auto w : {"w-koledino", "w-podolsk", "w-khimki"})
    shards.push_back(w);
  CHECK(distinct_fence_keys(shards));
  for (auto& s : shards)
    CHECK(fence_key(s) > 0);
  CHECK_FALSE(distinct_fence_keys({"orders/1", "orders/1"}));
}
