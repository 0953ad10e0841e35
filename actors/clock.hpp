#pragma once

// Wall-clock time as actors should read it: Unix milliseconds that move with
// the actor clock, so that on CAF's testing scheduler they advance only with
// advance_time, while in production they follow the system clock.

#include <chrono>
#include <cstdint>

namespace berry {

/// Unix milliseconds now, by the system clock.
inline int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

/// Unix milliseconds by an actor's clock: `base_ms` was the wall time when
/// the actor clock read `base`. Use as `wall_ms(self->clock().now())`.
class wall_clock {
public:
  template <class TimePoint>
  explicit wall_clock(TimePoint base)
      : base_(std::chrono::duration_cast<std::chrono::milliseconds>(
                  base.time_since_epoch())
                  .count()),
        base_ms_(system_now_ms()) {}

  template <class TimePoint>
  int64_t operator()(TimePoint now) const {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  now.time_since_epoch())
                  .count();
    return base_ms_ + (ms - base_);
  }

private:
  int64_t base_;
  int64_t base_ms_;
};

} // namespace berry
