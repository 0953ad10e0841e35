#include "actors/restart_policy.hpp"

namespace berry {

std::optional<std::chrono::milliseconds>
restart_history::next(const restart_policy& policy, time_point now) {
  if (policy.window.count() > 0)
    while (!times.empty() && now - times.front() > policy.window)
      times.pop_front();
  if (count() >= policy.max_restarts)
    return std::nullopt;
  times.push_back(now);
  return policy.backoff * (1 << (count() - 1));
}

} // namespace berry
