// The restart decision without actors: the pause doubles, the limit holds,
// and only restarts within the window count.

#include <catch2/catch.hpp>

#include "actors/restart_policy.hpp"

using namespace berry;
using namespace std::chrono_literals;

namespace {

const restart_history::time_point t0{};

} // namespace

TEST_CASE("the pause before a restart doubles with each restart") {
  restart_policy policy{5, 100ms, 0ms};
  restart_history history;
  CHECK(history.next(policy, t0) == 100ms);
  CHECK(history.next(policy, t0 + 1s) == 200ms);
  CHECK(history.next(policy, t0 + 2s) == 400ms);
  CHECK(history.count() == 3);
}

TEST_CASE("past its limit of restarts a crashed actor stays down") {
  restart_policy policy{2, 1s, 0ms};
  restart_history history;
  CHECK(history.next(policy, t0) == 1s);
  CHECK(history.next(policy, t0 + 1h) == 2s);
  CHECK_FALSE(history.next(policy, t0 + 2h).has_value());
  CHECK_FALSE(history.next(policy, t0 + 48h).has_value());
  CHECK(history.count() == 2);
}

TEST_CASE("a limit of no restarts gives up at the first crash") {
  restart_policy policy{0, 100ms, 0ms};
  restart_history history;
  CHECK_FALSE(history.next(policy, t0).has_value());
}

TEST_CASE("restarts older than the window no longer count") {
  restart_policy policy{2, 100ms, 1min};
  restart_history history;
  CHECK(history.next(policy, t0) == 100ms);
  CHECK(history.next(policy, t0 + 30s) == 200ms);
  // Both restarts are within the minute: the limit is reached.
  CHECK_FALSE(history.next(policy, t0 + 60s).has_value());
  // The first one is now older than a minute, so one more is allowed,
  // and the pause is that of a second restart again.
  CHECK(history.next(policy, t0 + 61s) == 200ms);
  // Much later nothing counts any more: the pause starts over.
  restart_history later = history;
  CHECK(later.next(policy, t0 + 1h) == 100ms);
  CHECK(later.count() == 1);
}
