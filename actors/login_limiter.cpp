#include "actors/login_limiter.hpp"

#include <algorithm>

namespace berry {

namespace {

// Past this many tracked accounts, a failure sweeps out the ones whose
// failures have all aged out, so guessing at random emails cannot grow the
// table without bound.
constexpr size_t sweep_threshold = 10000;

} // namespace

login_limiter::login_limiter(int max_failures, std::chrono::seconds window)
    : max_failures_(std::max(1, max_failures)), window_(window) {}

int64_t login_limiter::retry_after(const std::string& account,
                                   int64_t now) const {
  std::vector<int64_t> recent;
  if (auto i = failures_.find(account); i != failures_.end())
    for (auto t : i->second)
      if (t > now - window_.count())
        recent.push_back(t);
  auto busy = in_flight_.find(account);
  size_t checking = busy == in_flight_.end() ? 0 : busy->second;
  auto limit = static_cast<size_t>(max_failures_);
  if (recent.size() + checking < limit)
    return 0;
  // Held back only by logins still being checked: one of them ends soon.
  if (recent.size() < limit)
    return 1;
  // Allowed again once all but max_failures - 1 of them have aged out.
  std::sort(recent.begin(), recent.end());
  auto frees_at = recent[recent.size() - limit] + window_.count();
  return std::max<int64_t>(1, frees_at - now);
}

void login_limiter::record_attempt(const std::string& account) {
  ++in_flight_[account];
}

void login_limiter::record_failure(const std::string& account, int64_t now) {
  end_attempt(account);
  auto old = [&](int64_t t) { return t <= now - window_.count(); };
  if (failures_.size() > sweep_threshold) {
    for (auto i = failures_.begin(); i != failures_.end();) {
      if (std::all_of(i->second.begin(), i->second.end(), old))
        i = failures_.erase(i);
      else
        ++i;
    }
  }
  auto& times = failures_[account];
  times.erase(std::remove_if(times.begin(), times.end(), old), times.end());
  times.push_back(now);
  // Only the newest max_failures count towards the limit.
  if (times.size() > static_cast<size_t>(max_failures_))
    times.erase(times.begin(), times.end() - max_failures_);
}

void login_limiter::record_success(const std::string& account) {
  end_attempt(account);
  failures_.erase(account);
}

void login_limiter::record_abandoned(const std::string& account) {
  end_attempt(account);
}

void login_limiter::end_attempt(const std::string& account) {
  auto i = in_flight_.find(account);
  if (i != in_flight_.end() && --i->second == 0)
    in_flight_.erase(i);
}

} // namespace berry
