#pragma once

// A CAF actor system on the deterministic testing scheduler: every actor runs
// on the test's thread, one message at a time, and time moves only when the
// test says so.

#include <chrono>

#include <caf/all.hpp>

#include "actors/system_config.hpp"

namespace berry::test {

/// Base of every actor test.
struct actor_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;

  static caf::actor_system_config& init(caf::actor_system_config& c) {
    configure_test_actor_system(c);
    return c;
  }

  actor_fixture()
      : sys(init(cfg)), sched(dynamic_cast<caf::scheduler::test_coordinator&>(
                            sys.scheduler())) {}

  /// Runs messages and moves the clock in 10 ms steps for `d`, running
  /// what falls due at each step.
  void run_for(std::chrono::milliseconds d) {
    using namespace std::chrono_literals;
    sched.run();
    for (auto t = 0ms; t < d; t += 10ms) {
      sched.advance_time(10ms);
      sched.run();
    }
  }

  /// Real milliseconds run_until has moved the clock by.
  int64_t elapsed_ms = 0;

  /// Moves the clock in 10 ms steps until `pred` holds; false after `limit`.
  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds limit) {
    using namespace std::chrono_literals;
    sched.run();
    for (auto t = 0ms; t < limit; t += 10ms) {
      if (pred())
        return true;
      sched.advance_time(10ms);
      elapsed_ms += 10;
      sched.run();
    }
    return pred();
  }

  /// Runs every message and every due timer until nothing is left.
  void drain() {
    while (sched.run() > 0 || sched.trigger_timeouts() > 0) {
    }
  }

  ~actor_fixture() { drain(); }
};

} // namespace berry::test
