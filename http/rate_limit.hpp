#pragma once

// Token buckets and the bounded tables that keep them, one bucket per key
// (a client address, a user). Pure and clock-injected: every call takes
// `now`, so tests move time by hand. A table never holds more than its
// capacity: a new key evicts the least recently used one, which loses at
// most the memory of a client that has been quiet the longest.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "config/limits.hpp"

namespace berry::http {

using rate_clock = std::chrono::steady_clock;

/// One bucket: `spec.burst` tokens at most, refilled continuously.
class token_bucket {
public:
  /// A full bucket at `now`.
  token_bucket(rate_spec spec, rate_clock::time_point now);

  /// Takes one token if there is one. Otherwise returns how long until
  /// there is (positive); zero means taken.
  rate_clock::duration take(rate_clock::time_point now);

  /// Tokens left at `now` (for tests).
  double tokens(rate_clock::time_point now) const;

private:
  rate_spec spec_;
  double tokens_;
  rate_clock::time_point at_;
};

/// Buckets by key, at most `capacity` of them. Thread-safe.
class rate_table {
public:
  rate_table(rate_spec spec, size_t capacity);

  /// take() on `key`'s bucket (a full one for a new key).
  rate_clock::duration take(const std::string& key, rate_clock::time_point now);

  /// Keys held now.
  size_t size() const;

private:
  using lru = std::list<std::string>;
  struct entry {
    token_bucket bucket;
    lru::iterator pos;
  };
  rate_spec spec_;
  size_t capacity_;
  mutable std::mutex mtx_;
  lru order_; ///< most recent first
  std::unordered_map<std::string, entry> buckets_;
};

/// Counts what is open per key (tracking sockets). Keys with nothing open
/// are forgotten, so it holds no more keys than there are open things.
/// Thread-safe.
class open_counter {
public:
  /// Counts one more for `key` unless it has `max` open; true if counted.
  bool acquire(const std::string& key, size_t max);
  /// One fewer for `key`.
  void release(const std::string& key);
  /// What `key` has open.
  size_t count(const std::string& key) const;
  /// Keys held now.
  size_t size() const;

private:
  mutable std::mutex mtx_;
  std::unordered_map<std::string, size_t> open_;
};

} // namespace berry::http
