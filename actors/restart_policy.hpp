#pragma once

// When a crashed actor is started again: after a pause that doubles with
// each restart, and not at all past a limit of restarts (within a window,
// where there is one). The supervisor, the order manager and the dispatcher
// all decide their restarts with it; it is pure, so the decision is tested
// without actors.

#include <chrono>
#include <deque>
#include <optional>

namespace berry {

/// How soon and how often a crashed actor is started again.
struct restart_policy {
  /// Restarts (within `window`) after which the next crash is final.
  int max_restarts = 5;
  /// The pause before the first restart; it doubles with each restart.
  std::chrono::milliseconds backoff{100};
  /// Restarts longer ago than this no longer count; zero: all count.
  std::chrono::milliseconds window{0};
};

/// The restarts of one actor that still count, and the next decision.
struct restart_history {
  /// A time on the actor clock (CAF 0.17 uses the steady clock).
  using time_point = std::chrono::steady_clock::time_point;

  /// When the restarts that still count happened, oldest first.
  std::deque<time_point> times;

  /// The actor crashed at `now`: the pause before starting it again (and
  /// the restart is recorded), or nothing if `policy` says to give up.
  std::optional<std::chrono::milliseconds> next(const restart_policy& policy,
                                                time_point now);

  /// How many restarts count now (the last one included).
  int count() const { return static_cast<int>(times.size()); }
};

} // namespace berry
