// The chunked sequence under the catalog's snapshots and the edge's rendered
// view: ordered by key, found by key, and copies share what did not change.

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "actors/chunked_seq.hpp"

using namespace berry;

namespace {

struct item {
  std::string key;
  int value = 0;
};

struct key_of {
  const std::string& operator()(const item& x) const { return x.key; }
};

using seq = chunked_seq<item, key_of>;
// Small nodes, so a few hundred elements make a tree several levels deep.
using editor = chunked_seq_editor<item, key_of, 4, 4>;

std::shared_ptr<const item> make(std::string key, int value = 0) {
  return std::make_shared<const item>(item{std::move(key), value});
}

std::string keys(const seq& s) {
  std::string out;
  for (auto& x : s)
    out += x->key + " ";
  return out;
}

} // namespace

TEST_CASE("a chunked sequence keeps its elements in key order and finds "
          "each by key") {
  editor e;
  for (auto k : {"d", "a", "f", "b", "e", "c", "h", "g", "i"})
    e.put(make(k));
  auto s = e.publish();
  CHECK(keys(s) == "a b c d e f g h i ");
  CHECK(s.size() == 9);
  CHECK(s.chunks().size() > 1); // more than 4 split
  for (auto& x : s)
    CHECK(s.find(x->key) == x);
  CHECK_FALSE(s.find("zz"));
  CHECK_FALSE(s.find("0"));
  CHECK_FALSE(seq{}.find("a"));
  CHECK(seq{}.begin() == seq{}.end());
}

TEST_CASE("a change after publish copies only the chunk that holds it") {
  std::vector<std::shared_ptr<const item>> all;
  for (int i = 0; i < 40; ++i)
    all.push_back(make("k" + std::to_string(100 + i), i));
  auto first = seq::from_sorted(all, 4);
  REQUIRE(first.chunks().size() == 10);
  editor e{first};
  e.put(make("k117", -1));
  auto second = e.publish();
  e.put(make("k117", -2)); // after publish: `second` keeps -1
  auto third = e.publish();
  CHECK(first.find("k117")->value == 17);
  CHECK(second.find("k117")->value == -1);
  CHECK(third.find("k117")->value == -2);
  int shared = 0;
  for (size_t c = 0; c < 10; ++c)
    shared += first.chunks()[c] == third.chunks()[c];
  CHECK(shared == 9);
  // The unchanged elements are the very same objects.
  CHECK(third.find("k100") == first.find("k100"));
}

TEST_CASE("appending keys fills chunks instead of halving them") {
  editor e;
  for (int i = 0; i < 12; ++i)
    e.put(make("k" + std::to_string(100 + i)));
  auto s = e.publish();
  CHECK(s.chunks().size() == 3);
  CHECK(keys(s).rfind("k100 k101", 0) == 0);
}

TEST_CASE("erasing the last element of a chunk drops the chunk") {
  editor e{seq::from_sorted({make("a"), make("b"), make("c")}, 1)};
  e.erase("b");
  e.erase("zz");
  auto s = e.publish();
  CHECK(keys(s) == "a c ");
  CHECK(s.chunks().size() == 2);
}

TEST_CASE("diff names what changed, was added and was removed, in key "
          "order, skipping shared chunks") {
  std::vector<std::shared_ptr<const item>> all;
  for (int i = 0; i < 20; ++i)
    all.push_back(make("k" + std::to_string(100 + i), i));
  auto before = seq::from_sorted(all, 4);
  editor e{before};
  e.put(make("k105", -5));
  e.put(make("k1055")); // new, between k105 and k106
  e.erase("k112");
  e.put(make("k2"));
  auto after = e.publish();
  std::string changed, removed;
  seq::diff(
      before, after, [&](const auto& x) { changed += x->key + " "; },
      [&](const auto& x) { removed += x->key + " "; });
  CHECK(changed == "k105 k1055 k2 ");
  CHECK(removed == "k112 ");
}

TEST_CASE("many versions alive at once each keep what they were given, "
          "through splits, removals and a deeper and shallower tree") {
  std::mt19937 rng(5);
  editor e;
  std::map<std::string, int> model;
  std::vector<std::pair<seq, std::map<std::string, int>>> versions;
  for (int round = 0; round < 300; ++round) {
    for (int k = 0; k < 7; ++k) {
      auto key = "k" + std::to_string(rng() % 900);
      // Mostly puts early on, mostly erases at the end: the tree grows,
      // then shrinks.
      if (round > 150 && rng() % 300 < static_cast<unsigned>(round)) {
        e.erase(key);
        model.erase(key);
      } else {
        int v = round * 10 + k;
        e.put(make(key, v));
        model[key] = v;
      }
    }
    versions.emplace_back(e.publish(), model);
  }
  for (size_t v = 0; v < versions.size(); ++v) {
    auto& [s, m] = versions[v];
    REQUIRE(s.size() == m.size());
    auto i = m.begin();
    for (auto& x : s) {
      REQUIRE(i != m.end());
      CHECK(x->key == i->first);
      CHECK(x->value == i->second);
      CHECK(s.find(x->key) == x);
      ++i;
    }
    CHECK(i == m.end());
    CHECK_FALSE(s.find("k1000"));
    if (v == 0)
      continue;
    // diff names exactly what the model says changed or went.
    auto& [before, bm] = versions[v - 1];
    std::string changed, removed, want_changed, want_removed;
    seq::diff(
        before, s, [&](const auto& x) { changed += x->key + " "; },
        [&](const auto& x) { removed += x->key + " "; });
    for (auto& [key, value] : m)
      if (!bm.count(key) || bm.at(key) != value)
        want_changed += key + " ";
    for (auto& [key, value] : bm)
      if (!m.count(key))
        want_removed += key + " ";
    CHECK(changed == want_changed);
    CHECK(removed == want_removed);
  }
}

TEST_CASE("a change deep in a large sequence copies one leaf and leaves "
          "every other leaf shared") {
  std::vector<std::shared_ptr<const item>> all;
  for (int i = 0; i < 5000; ++i)
    all.push_back(make("k" + std::to_string(10000 + i), i));
  auto before = seq::from_sorted(all, 4, 4); // 1,250 leaves, 6 levels
  editor e{before};
  e.put(make("k12345", -1));
  e.put(make("k12345x")); // new, in the same leaf's range
  auto after = e.publish();
  auto a = before.chunks(), b = after.chunks();
  REQUIRE(a.size() == 1250);
  REQUIRE(b.size() == 1251); // the full leaf split
  std::set<const void*> old;
  for (auto& l : a)
    old.insert(l.get());
  size_t shared = 0;
  for (auto& l : b)
    shared += old.count(l.get());
  CHECK(shared == 1249); // all but the one that split in two
  CHECK(before.find("k12345")->value == 2345);
  CHECK_FALSE(before.find("k12345x"));
  CHECK(after.find("k12345")->value == -1);
  CHECK(after.size() == 5001);
}
