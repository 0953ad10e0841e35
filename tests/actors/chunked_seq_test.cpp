// The chunked sequence under the catalog's snapshots and the edge's rendered
// view: ordered by key, found by key, and copies share what did not change.

#include <catch2/catch.hpp>

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
using editor = chunked_seq_editor<item, key_of, 4>;

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
