// Token buckets and their bounded tables, on a clock moved by hand.

#include "http/rate_limit.hpp"

#include <catch2/catch.hpp>

using namespace berry::http;
using berry::rate_spec;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const rate_clock::time_point t0{};

} // namespace

TEST_CASE("a bucket lets a burst through, then one per refill interval") {
  token_bucket b{rate_spec{2, 3}, t0}; // 2 per second, burst 3
  for (int i = 0; i < 3; ++i)
    CHECK(b.take(t0) == rate_clock::duration::zero());
  auto wait = b.take(t0);
  CHECK(wait == milliseconds(500));
  CHECK(b.take(t0 + milliseconds(499)) > rate_clock::duration::zero());
  CHECK(b.take(t0 + milliseconds(500)) == rate_clock::duration::zero());
  CHECK(b.take(t0 + milliseconds(500)) > rate_clock::duration::zero());
}

TEST_CASE("a quiet bucket refills to its burst and no further") {
  token_bucket b{rate_spec{1, 5}, t0};
  for (int i = 0; i < 5; ++i)
    b.take(t0);
  CHECK(b.tokens(t0) == Approx(0));
  CHECK(b.tokens(t0 + seconds(2)) == Approx(2));
  CHECK(b.tokens(t0 + seconds(3600)) == Approx(5));
}

TEST_CASE("a refused take costs nothing: the wait does not grow") {
  token_bucket b{rate_spec{1, 1}, t0};
  b.take(t0);
  for (int i = 0; i < 100; ++i)
    CHECK(b.take(t0) == seconds(1));
  CHECK(b.take(t0 + seconds(1)) == rate_clock::duration::zero());
}

TEST_CASE("each key of a table has its own bucket") {
  rate_table t{rate_spec{1, 2}, 100};
  CHECK(t.take("a", t0).count() == 0);
  CHECK(t.take("a", t0).count() == 0);
  CHECK(t.take("a", t0).count() > 0);
  CHECK(t.take("b", t0).count() == 0);
}

TEST_CASE("a table never holds more keys than its capacity") {
  rate_table t{rate_spec{1, 1}, 64};
  for (int i = 0; i < 100000; ++i)
    t.take("client-" + std::to_string(i), t0);
  CHECK(t.size() == 64);
}

TEST_CASE("a full table evicts the least recently used key, not a busy one") {
  rate_table t{rate_spec{1, 1}, 3};
  t.take("busy", t0); // its one token is gone
  for (int i = 0; i < 10; ++i) {
    t.take("other-" + std::to_string(i), t0);
    CHECK(t.take("busy", t0).count() > 0); // still known, still limited
  }
}

TEST_CASE("an open counter refuses past its maximum and forgets empty keys") {
  open_counter c;
  CHECK(c.acquire("u1", 2));
  CHECK(c.acquire("u1", 2));
  CHECK_FALSE(c.acquire("u1", 2));
  CHECK(c.acquire("u2", 2));
  c.release("u1");
  CHECK(c.acquire("u1", 2));
  c.release("u1");
  c.release("u1");
  c.release("u2");
  CHECK(c.size() == 0);
  CHECK(c.count("u1") == 0);
}
