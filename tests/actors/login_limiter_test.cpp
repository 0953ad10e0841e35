#include "actors/login_limiter.hpp"

#include <catch2/catch.hpp>

using namespace berry;

namespace {

constexpr int64_t t0 = 1700000000;

} // namespace

TEST_CASE("five failed logins lock an account until the window has passed") {
  login_limiter limiter{5, std::chrono::minutes(5)};
  for (int i = 0; i < 4; ++i)
    limiter.record_failure("anna@example.ru", t0 + i);
  CHECK(limiter.retry_after("anna@example.ru", t0 + 10) == 0);
  limiter.record_failure("anna@example.ru", t0 + 10);
  auto wait = limiter.retry_after("anna@example.ru", t0 + 10);
  CHECK(wait == 290); // the first failure ages out at t0 + 300
  CHECK(limiter.retry_after("boris@example.ru", t0 + 10) == 0);
  CHECK(limiter.retry_after("anna@example.ru", t0 + 300) == 0);
}

TEST_CASE("a successful login clears an account's failures") {
  login_limiter limiter{5, std::chrono::minutes(5)};
  for (int i = 0; i < 5; ++i)
    limiter.record_failure("anna@example.ru", t0);
  REQUIRE(limiter.retry_after("anna@example.ru", t0) > 0);
  limiter.record_success("anna@example.ru");
  CHECK(limiter.retry_after("anna@example.ru", t0) == 0);
}

TEST_CASE("logins still being checked count against the limit until they end") {
  login_limiter limiter{5, std::chrono::minutes(5)};
  for (int i = 0; i < 3; ++i)
    limiter.record_failure("anna@example.ru", t0);
  limiter.record_attempt("anna@example.ru");
  limiter.record_attempt("anna@example.ru");
  // Three failures and two guesses under way: a sixth guess waits.
  CHECK(limiter.retry_after("anna@example.ru", t0) == 1);
  limiter.record_abandoned("anna@example.ru");
  CHECK(limiter.retry_after("anna@example.ru", t0) == 0);
  limiter.record_failure("anna@example.ru", t0 + 1);
  CHECK(limiter.retry_after("anna@example.ru", t0 + 1) == 0);
  limiter.record_attempt("anna@example.ru");
  limiter.record_failure("anna@example.ru", t0 + 2);
  CHECK(limiter.retry_after("anna@example.ru", t0 + 2) == 298);
}
