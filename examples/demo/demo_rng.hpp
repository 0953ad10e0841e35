#pragma once

// The demo's random numbers: splitmix64, tiny and the same on every platform
// and standard library, so the same seed gives the same marketplace.

#include <cstdint>

namespace berry::demo {

/// A splitmix64 generator with the few draws the demo needs.
class demo_rng {
public:
  explicit demo_rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// 0 <= result < n; the slight modulo bias does not matter here.
  uint64_t below(uint64_t n) { return next() % n; }

  /// lo <= result <= hi.
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
  }

  /// Uniform in [0, 1), from the top 53 bits.
  double unit() {
    return static_cast<double>(next() >> 11) / 9007199254740992.0;
  }

  /// True `percent` times in a hundred.
  bool chance(unsigned percent) { return below(100) < percent; }

private:
  uint64_t state_;
};

} // namespace berry::demo
