// The deadlines of requests in flight under one timer, without actors: what
// expires when, late answers, and when the one timer needs arming.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "actors/deadline_set.hpp"

using namespace berry;

TEST_CASE("a deadline that passes before its answer expires, once") {
  deadline_set set;
  std::vector<std::string> expired;
  auto a = set.add(100, [&] { expired.push_back("a"); });
  auto b = set.add(50, [&] { expired.push_back("b"); });
  set.expire(49);
  CHECK(expired.empty());
  set.expire(100);
  CHECK(expired == std::vector<std::string>{"b", "a"});
  // Their answers come too late: dropped.
  CHECK_FALSE(set.settle(a));
  CHECK_FALSE(set.settle(b));
  set.expire(1000);
  CHECK(expired.size() == 2);
}

TEST_CASE("an answer in time settles its deadline, which never expires") {
  deadline_set set;
  int expired = 0;
  auto a = set.add(100, [&] { ++expired; });
  set.add(200, [&] { ++expired; });
  CHECK(set.settle(a));
  CHECK_FALSE(set.settle(a));
  CHECK(set.size() == 1);
  set.expire(150);
  CHECK(expired == 0);
  set.expire(200);
  CHECK(expired == 1);
  CHECK(set.size() == 0);
}

TEST_CASE("one timer serves deadlines that come later than it") {
  deadline_set set;
  set.add(100, [] {});
  CHECK(set.to_arm() == 100);
  // Later deadlines wait for the armed timer.
  set.add(150, [] {});
  CHECK_FALSE(set.to_arm());
  // An earlier one needs a timer of its own.
  set.add(60, [] {});
  CHECK(set.to_arm() == 60);
  set.expire(60);
  // The timer at 100 is still pending: nothing to arm.
  CHECK_FALSE(set.to_arm());
  set.expire(100);
  CHECK(set.to_arm() == 150);
  set.expire(150);
  CHECK_FALSE(set.to_arm());
}

TEST_CASE("an expiry may add a deadline of its own") {
  deadline_set set;
  int retries = 0;
  set.add(10, [&] {
    ++retries;
    set.add(30, [&] { ++retries; });
  });
  set.to_arm();
  set.expire(10);
  CHECK(retries == 1);
  CHECK(set.to_arm() == 30);
  set.expire(30);
  CHECK(retries == 2);
}
