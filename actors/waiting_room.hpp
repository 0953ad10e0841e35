#pragma once

// Requests held while their shard is between owners (nobody holds it yet, or
// its new owner is loading it), oldest first, each until its deadline (its
// `until`, set once when it came: held again, it keeps it). The
// shard gate and the order router keep one each: when the shard is hosted or
// routed they take everything back and dispatch it again in the order it
// came; a sweep timer (one armed at a time, a private atom of the holder)
// answers what waited its time out. Pure: the holder sends the timer and
// the answers.

#include <caf/actor_clock.hpp>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

namespace berry {

template <class Request>
class waiting_room {
public:
  using time_point = caf::actor_clock::time_point;
  using duration = caf::actor_clock::duration_type;

  explicit waiting_room(size_t capacity = 4096) : capacity_(capacity) {}

  void set_capacity(size_t capacity) { capacity_ = capacity; }

  bool full() const noexcept { return waiting_.size() >= capacity_; }
  bool empty() const noexcept { return waiting_.empty(); }
  size_t size() const noexcept { return waiting_.size(); }

  /// Holds `x` until `x.until` (not full: check first). Returns how long
  /// from `now` the holder must arm its sweep, when none is armed yet.
  std::optional<duration> hold(Request x, time_point now) {
    waiting_.push_back(std::move(x));
    return arm(now);
  }

  /// Everything held, oldest first; the room is empty after.
  std::deque<Request> take_all() { return std::exchange(waiting_, {}); }

  /// The sweep fired at `now`: `expire(request)` answers each whose time
  /// is out, oldest first. Returns when to sweep next, if anything waits.
  template <class Expire>
  std::optional<duration> sweep(time_point now, Expire&& expire) {
    armed_ = false;
    while (!waiting_.empty() && waiting_.front().until <= now) {
      auto x = std::move(waiting_.front());
      waiting_.pop_front();
      expire(x);
    }
    return arm(now);
  }

private:
  std::optional<duration> arm(time_point now) {
    if (armed_ || waiting_.empty())
      return std::nullopt;
    armed_ = true;
    auto until = waiting_.front().until;
    return until > now ? until - now : duration{0};
  }

  std::deque<Request> waiting_;
  size_t capacity_;
  bool armed_ = false;
};

} // namespace berry
