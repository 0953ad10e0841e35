#include "actors/login_limiter.hpp"

#include <algorithm>

namespace berry {

login_limiter::login_limiter(login_policy policy) : policy_(policy) {
  policy_.free_failures = std::max(1, policy_.free_failures);
  policy_.capacity = std::max<size_t>(1, policy_.capacity);
}

std::string login_limiter::key(const std::string& client,
                               const std::string& account) {
  return client + '\n' + account;
}

int64_t login_limiter::retry_after(const std::string& key, int64_t now) const {
  auto i = entries_.find(key);
  if (i == entries_.end())
    return 0;
  auto& e = i->second;
  bool fresh = now - e.last_failure < policy_.forget_after.count();
  int failures = fresh ? e.failures : 0;
  auto free = static_cast<size_t>(policy_.free_failures);
  if (static_cast<size_t>(failures) + e.in_flight < free)
    return 0;
  // Held back only by logins still being checked: one of them ends soon.
  if (static_cast<size_t>(failures) < free)
    return 1;
  auto doublings = std::min(failures - policy_.free_failures, 30);
  auto delay = std::min<int64_t>(policy_.first_delay.count() << doublings,
                                 policy_.max_delay.count());
  auto wait = e.last_failure + delay - now;
  if (e.in_flight > 0)
    return std::max<int64_t>(1, wait);
  return std::max<int64_t>(0, wait);
}

login_limiter::entry& login_limiter::touch(const std::string& key) {
  auto i = entries_.find(key);
  if (i != entries_.end()) {
    lru_.splice(lru_.begin(), lru_, i->second.used);
    return i->second;
  }
  if (entries_.size() >= policy_.capacity) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  auto& e = entries_[key];
  e.used = lru_.begin();
  return e;
}

void login_limiter::record_attempt(const std::string& key) {
  ++touch(key).in_flight;
}

void login_limiter::record_failure(const std::string& key, int64_t now) {
  end_attempt(key);
  auto& e = touch(key);
  if (now - e.last_failure >= policy_.forget_after.count())
    e.failures = 0;
  // Bounded: past the free failures plus 30 doublings nothing changes.
  e.failures = std::min(e.failures + 1, policy_.free_failures + 31);
  e.last_failure = now;
}

void login_limiter::record_success(const std::string& key) {
  auto i = entries_.find(key);
  if (i == entries_.end())
    return;
  if (i->second.in_flight > 1) {
    --i->second.in_flight;
    i->second.failures = 0;
    return;
  }
  lru_.erase(i->second.used);
  entries_.erase(i);
}

void login_limiter::record_abandoned(const std::string& key) {
  end_attempt(key);
}

void login_limiter::end_attempt(const std::string& key) {
  auto i = entries_.find(key);
  if (i == entries_.end() || i->second.in_flight == 0)
    return;
  if (--i->second.in_flight == 0 && i->second.failures == 0) {
    lru_.erase(i->second.used);
    entries_.erase(i);
  }
}

} // namespace berry
