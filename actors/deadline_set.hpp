#pragma once

// One timer for many requests in flight. A CAF request with a timeout arms a
// timer on the clock thread and cancels it when the answer comes: two
// wake-ups of that thread per request, a tenth of a checkout's CPU when
// every step had its own. An actor that sends many requests keeps their
// deadlines here instead, sends the requests without a timeout, and arms
// one timer (an expire_atom to itself) for the earliest deadline; when it
// fires, the requests whose deadline passed fail with request_timeout and
// their late answers are dropped, as CAF's own timeouts do.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include <caf/error.hpp>
#include <caf/sec.hpp>
#include <caf/timespan.hpp>

#include "protocols/type_ids.hpp"

namespace berry {

/// The deadlines of the requests an actor has in flight, earliest first,
/// and the one timer armed for them. Pure: no actors (see request_until).
class deadline_set {
public:
  using id_type = uint64_t;

  /// Adds a deadline at `at_ms`; `on_expiry` runs when it passes before
  /// the answer settles it.
  id_type add(int64_t at_ms, std::function<void()> on_expiry);

  /// The answer came: forgets the deadline. False when the deadline had
  /// passed already (the answer is late: its request failed meanwhile).
  bool settle(id_type id);

  /// The timer fired at `now_ms`: forgets and then runs the expiries due,
  /// earliest first (they may add deadlines of their own).
  void expire(int64_t now_ms);

  /// When the timer must be armed: the earliest deadline, unless a timer
  /// is armed for it or earlier already. Counts it as armed.
  std::optional<int64_t> to_arm();

  /// Deadlines pending.
  std::size_t size() const noexcept { return by_time_.size(); }

private:
  struct entry {
    int64_t at;
    std::function<void()> on_expiry;
  };
  std::unordered_map<id_type, entry> live_;
  std::set<std::pair<int64_t, id_type>> by_time_;
  /// When the timers pending fire (rarely more than one).
  std::multiset<int64_t> armed_;
  id_type next_ = 0;
};

/// Milliseconds of an actor clock's time point (steady, or the test clock).
template <class TimePoint>
int64_t clock_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             t.time_since_epoch())
      .count();
}

/// Arms `self`'s expire_atom timer when `set` needs it.
template <class Self>
void arm_deadlines(Self self, deadline_set& set) {
  if (auto at = set.to_arm()) {
    auto now = clock_ms(self->clock().now());
    self->delayed_send(
        self, std::chrono::milliseconds(std::max<int64_t>(0, *at - now)),
        expire_atom_v);
  }
}

/// What `self` does with its expire_atom: fails the requests due, re-arms.
template <class Self>
void on_deadline_timer(Self self, deadline_set& set) {
  set.expire(clock_ms(self->clock().now()));
  arm_deadlines(self, set);
}

/// Sends `xs...` to `dest` as a request with no timer of its own, its
/// deadline `timeout` from now kept in `set` (a member of `self`'s state);
/// `on_value(Result&)` gets the answer, `on_error(caf::error&)` the error,
/// or request_timeout when the deadline passes first. Include
/// caf/all.hpp before instantiating it.
template <class Result, class Self, class Dest, class OnValue, class OnError,
          class... Ts>
void request_until(Self self, deadline_set& set,
                   std::chrono::milliseconds timeout, const Dest& dest,
                   OnValue on_value, OnError on_error, Ts&&... xs) {
  auto now = clock_ms(self->clock().now());
  auto id = set.add(now + timeout.count(), [on_error]() mutable {
    caf::error err = caf::sec::request_timeout;
    on_error(err);
  });
  arm_deadlines(self, set);
  auto* s = &set;
  self->request(dest, caf::infinite, std::forward<Ts>(xs)...)
      .then(
          [=](Result& x) mutable {
            if (s->settle(id))
              on_value(x);
          },
          [=](caf::error& err) mutable {
            if (s->settle(id))
              on_error(err);
          });
}

} // namespace berry
