// The requests a shard gate or the order router holds while a shard is
// between owners, without actors: one sweep timer at a time, what expires
// when, and the order and deadlines of what is taken back and held again.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "actors/waiting_room.hpp"

using namespace berry;
using namespace std::chrono_literals;

namespace {

struct request {
  std::string name;
  caf::actor_clock::time_point until;
};

using room = waiting_room<request>;

const room::time_point t0{};

std::vector<std::string> names(const std::deque<request>& xs) {
  std::vector<std::string> out;
  for (auto& x : xs)
    out.push_back(x.name);
  return out;
}

} // namespace

TEST_CASE("the first request held arms the sweep, the next ones do not") {
  room r;
  auto first = r.hold({"a", t0 + 2s}, t0);
  REQUIRE(first);
  CHECK(*first == 2s);
  CHECK_FALSE(r.hold({"b", t0 + 2500ms}, t0 + 500ms));
  CHECK(r.size() == 2);
}

TEST_CASE("a sweep answers only what waited its time out, oldest first, and "
          "says when to sweep next") {
  room r;
  r.hold({"a", t0 + 2s}, t0);
  r.hold({"b", t0 + 2s}, t0);
  r.hold({"c", t0 + 3s}, t0 + 1s);
  std::vector<std::string> expired;
  auto next = r.sweep(t0 + 2s, [&](request& x) { expired.push_back(x.name); });
  CHECK(expired == std::vector<std::string>{"a", "b"});
  REQUIRE(next);
  CHECK(*next == 1s);
  next = r.sweep(t0 + 3s, [&](request& x) { expired.push_back(x.name); });
  CHECK(expired == std::vector<std::string>{"a", "b", "c"});
  CHECK_FALSE(next);
  CHECK(r.empty());
  // Empty and unarmed: the next request arms the sweep again.
  CHECK(r.hold({"d", t0 + 6s}, t0 + 4s));
}

TEST_CASE("requests taken back and held again keep their order and their "
          "first deadline") {
  room r;
  r.hold({"a", t0 + 2s}, t0);
  r.hold({"b", t0 + 2s + 100ms}, t0 + 100ms);
  auto back = r.take_all();
  CHECK(names(back) == std::vector<std::string>{"a", "b"});
  CHECK(r.empty());
  // Still between owners at 1.5 s: held again, the sweep still armed.
  for (auto& x : back)
    CHECK_FALSE(r.hold(std::move(x), t0 + 1500ms));
  std::vector<std::string> expired;
  r.sweep(t0 + 2s, [&](request& x) { expired.push_back(x.name); });
  CHECK(expired == std::vector<std::string>{"a"});
}

TEST_CASE("a room holds at most its capacity") {
  room r(2);
  r.hold({"a", t0 + 2s}, t0);
  CHECK_FALSE(r.full());
  r.hold({"b", t0 + 2s}, t0);
  CHECK(r.full());
  r.set_capacity(3);
  CHECK_FALSE(r.full());
}
