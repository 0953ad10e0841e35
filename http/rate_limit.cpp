#include "http/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace berry::http {

token_bucket::token_bucket(rate_spec spec, rate_clock::time_point now)
    : spec_(spec), tokens_(spec.burst), at_(now) {}

double token_bucket::tokens(rate_clock::time_point now) const {
  // A clock that went back (it cannot, but a test may) refills nothing.
  auto elapsed =
      std::max(0.0, std::chrono::duration<double>(now - at_).count());
  return std::min(spec_.burst, tokens_ + elapsed * spec_.per_second);
}

rate_clock::duration token_bucket::take(rate_clock::time_point now) {
  tokens_ = tokens(now);
  at_ = std::max(at_, now);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return rate_clock::duration::zero();
  }
  auto wait = (1 - tokens_) / spec_.per_second;
  return std::max<rate_clock::duration>(
      std::chrono::duration_cast<rate_clock::duration>(
          std::chrono::duration<double>(wait)),
      rate_clock::duration(1));
}

rate_table::rate_table(rate_spec spec, size_t capacity)
    : spec_(spec), capacity_(std::max<size_t>(1, capacity)) {}

rate_clock::duration rate_table::take(const std::string& key,
                                      rate_clock::time_point now) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = buckets_.find(key);
  if (it != buckets_.end()) {
    order_.splice(order_.begin(), order_, it->second.pos);
    return it->second.bucket.take(now);
  }
  if (buckets_.size() >= capacity_) {
    buckets_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(key);
  it = buckets_.emplace(key, entry{token_bucket{spec_, now}, order_.begin()})
           .first;
  return it->second.bucket.take(now);
}

size_t rate_table::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return buckets_.size();
}

bool open_counter::acquire(const std::string& key, size_t max) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& n = open_[key];
  if (n >= max) {
    if (n == 0)
      open_.erase(key);
    return false;
  }
  ++n;
  return true;
}

void open_counter::release(const std::string& key) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = open_.find(key);
  if (it == open_.end())
    return;
  if (--it->second == 0)
    open_.erase(it);
}

size_t open_counter::count(const std::string& key) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = open_.find(key);
  return it == open_.end() ? 0 : it->second;
}

size_t open_counter::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return open_.size();
}

} // namespace berry::http
