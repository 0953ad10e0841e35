#include "actors/deadline_set.hpp"

#include <vector>

namespace berry {

deadline_set::id_type deadline_set::add(int64_t at_ms,
                                        std::function<void()> on_expiry) {
  auto id = ++next_;
  live_.emplace(id, entry{at_ms, std::move(on_expiry)});
  by_time_.emplace(at_ms, id);
  return id;
}

bool deadline_set::settle(id_type id) {
  auto i = live_.find(id);
  if (i == live_.end())
    return false;
  by_time_.erase({i->second.at, id});
  live_.erase(i);
  return true;
}

void deadline_set::expire(int64_t now_ms) {
  // Timers armed for later than now are still pending.
  armed_.erase(armed_.begin(), armed_.upper_bound(now_ms));
  std::vector<std::function<void()>> due;
  while (!by_time_.empty() && by_time_.begin()->first <= now_ms) {
    auto id = by_time_.begin()->second;
    by_time_.erase(by_time_.begin());
    auto i = live_.find(id);
    due.push_back(std::move(i->second.on_expiry));
    live_.erase(i);
  }
  for (auto& f : due)
    f();
}

std::optional<int64_t> deadline_set::to_arm() {
  if (by_time_.empty())
    return std::nullopt;
  auto earliest = by_time_.begin()->first;
  if (!armed_.empty() && *armed_.begin() <= earliest)
    return std::nullopt;
  armed_.insert(earliest);
  return earliest;
}

} // namespace berry
