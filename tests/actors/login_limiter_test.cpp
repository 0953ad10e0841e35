#include "actors/login_limiter.hpp"

#include <catch2/catch.hpp>

using namespace berry;

namespace {

constexpr int64_t t0 = 1700000000;

const std::string anna = login_limiter::key("10.0.0.1", "anna@example.ru");

} // namespace

TEST_CASE("five failed logins make the sixth wait, and the waits grow") {
  login_limiter limiter;
  for (int i = 0; i < 4; ++i)
    limiter.record_failure(anna, t0 + i);
  CHECK(limiter.retry_after(anna, t0 + 10) == 0);
  limiter.record_failure(anna, t0 + 10);
  CHECK(limiter.retry_after(anna, t0 + 10) == 30);
  CHECK(limiter.retry_after(anna, t0 + 40) == 0);
  limiter.record_failure(anna, t0 + 40);
  CHECK(limiter.retry_after(anna, t0 + 40) == 60);
  limiter.record_failure(anna, t0 + 100);
  CHECK(limiter.retry_after(anna, t0 + 100) == 120);
  for (int i = 0; i < 40; ++i)
    limiter.record_failure(anna, t0 + 200);
  CHECK(limiter.retry_after(anna, t0 + 200) == 15 * 60);
  // An hour without failures, and the pair starts afresh.
  CHECK(limiter.retry_after(anna, t0 + 200 + 3600) == 0);
}

TEST_CASE("failures from one address never delay the account elsewhere") {
  login_limiter limiter;
  for (int i = 0; i < 10; ++i)
    limiter.record_failure(anna, t0);
  REQUIRE(limiter.retry_after(anna, t0) > 0);
  auto owner = login_limiter::key("10.0.0.2", "anna@example.ru");
  CHECK(limiter.retry_after(owner, t0) == 0);
  auto other = login_limiter::key("10.0.0.1", "boris@example.ru");
  CHECK(limiter.retry_after(other, t0) == 0);
}

TEST_CASE("a successful login clears the pair's failures") {
  login_limiter limiter;
  for (int i = 0; i < 5; ++i)
    limiter.record_failure(anna, t0);
  REQUIRE(limiter.retry_after(anna, t0) > 0);
  limiter.record_success(anna);
  CHECK(limiter.retry_after(anna, t0) == 0);
  CHECK(limiter.size() == 0);
}

TEST_CASE("logins still being checked count against the limit until they end") {
  login_limiter limiter;
  for (int i = 0; i < 3; ++i)
    limiter.record_failure(anna, t0);
  limiter.record_attempt(anna);
  limiter.record_attempt(anna);
  // Three failures and two guesses under way: a sixth guess waits.
  CHECK(limiter.retry_after(anna, t0) == 1);
  limiter.record_abandoned(anna);
  CHECK(limiter.retry_after(anna, t0) == 0);
  limiter.record_failure(anna, t0 + 1);
  CHECK(limiter.retry_after(anna, t0 + 1) == 0);
  limiter.record_attempt(anna);
  limiter.record_failure(anna, t0 + 2);
  CHECK(limiter.retry_after(anna, t0 + 2) == 30);
}

TEST_CASE("the limiter holds at most its capacity, whatever keys are tried") {
  login_policy policy;
  policy.capacity = 1000;
  login_limiter limiter{policy};
  for (int i = 0; i < 5; ++i)
    limiter.record_failure(anna, t0);
  for (int i = 0; i < 100000; ++i) {
    auto key = login_limiter::key("10.0.0.9", std::to_string(i) + "@x.ru");
    limiter.record_attempt(key);
    limiter.record_failure(key, t0 + 1);
  }
  CHECK(limiter.size() == 1000);
  // The least recently used went first; the newest stay.
  CHECK(limiter.retry_after(anna, t0 + 1) == 0);
  auto newest = login_limiter::key("10.0.0.9", "99999@x.ru");
  limiter.record_failure(newest, t0 + 1);
  CHECK(limiter.retry_after(newest, t0 + 1) == 0);
  for (int i = 0; i < 3; ++i)
    limiter.record_failure(newest, t0 + 1);
  CHECK(limiter.retry_after(newest, t0 + 1) == 30);
}
