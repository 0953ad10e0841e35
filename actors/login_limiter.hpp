#pragma once

// The failed-login limit of the accounts actor: a plain struct, owned by one
// actor, tested without actors.

#include <chrono>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

namespace berry {

/// How failed logins are limited, per (client address, account).
struct login_policy {
  /// Failures a pair may make before it has to wait.
  int free_failures = 5;
  /// The wait after the first failure past those; it doubles with each
  /// further failure, up to max_delay.
  std::chrono::seconds first_delay{30};
  std::chrono::seconds max_delay{std::chrono::minutes(15)};
  /// A pair that has not failed for this long starts afresh.
  std::chrono::seconds forget_after{std::chrono::hours(1)};
  /// Pairs held at most, whatever the number of keys tried; past it, the
  /// one used least recently is forgotten.
  size_t capacity = 100000;
};

/// Failed logins per key (client address and account: a stranger's guesses
/// from elsewhere never delay the owner), with growing delays past the
/// free ones. Logins still being checked count as failures until they end,
/// so that a burst of guesses cannot get past the limit while they wait.
/// Every call is O(1); memory is bounded by the policy's capacity.
class login_limiter {
public:
  explicit login_limiter(login_policy policy = {});
  /// Seconds to wait before `key` may try again; 0 when it may now.
  int64_t retry_after(const std::string& key, int64_t now) const;
  /// A login of `key` is being checked; it ends with one of the three
  /// calls below.
  void record_attempt(const std::string& key);
  /// Counts one failed login of `key` at `now`.
  void record_failure(const std::string& key, int64_t now);
  /// Forgets the failures of `key`.
  void record_success(const std::string& key);
  /// A login of `key` that could not be checked (storage failed, or its
  /// client left first): it counts neither way.
  void record_abandoned(const std::string& key);
  /// Keys held now.
  size_t size() const { return entries_.size(); }

  /// The key of `account` tried from `client`.
  static std::string key(const std::string& client, const std::string& account);

private:
  struct entry {
    int failures = 0;
    int64_t last_failure = 0;
    size_t in_flight = 0;
    std::list<std::string>::iterator used;
  };

  /// The entry of `key`, made the most recently used (created if needed).
  entry& touch(const std::string& key);
  void end_attempt(const std::string& key);

  login_policy policy_;
  std::unordered_map<std::string, entry> entries_;
  /// Keys, the most recently used first.
  std::list<std::string> lru_;
};

} // namespace berry
