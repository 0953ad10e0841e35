#pragma once

// The failed-login limit of the accounts actor: a plain struct, owned by one
// actor, tested without actors.

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace berry {

/// Failed logins per account in a sliding window; over the limit, logins of
/// that account are refused (429) until the window has passed. Logins still
/// being checked count as failures until they end, so that a burst of
/// guesses at one account cannot get past the limit while they wait.
class login_limiter {
public:
  explicit login_limiter(int max_failures = 5,
                         std::chrono::seconds window = std::chrono::minutes(5));
  /// Seconds to wait before `account` may try again; 0 when it may now.
  int64_t retry_after(const std::string& account, int64_t now) const;
  /// A login of `account` is being checked; it ends with one of the three
  /// calls below.
  void record_attempt(const std::string& account);
  /// Counts one failed login of `account` at `now`.
  void record_failure(const std::string& account, int64_t now);
  /// Forgets the failures of `account`.
  void record_success(const std::string& account);
  /// A login of `account` that could not be checked (storage failed): it
  /// counts neither way.
  void record_abandoned(const std::string& account);

private:
  void end_attempt(const std::string& account);

  int max_failures_;
  std::chrono::seconds window_;
  std::unordered_map<std::string, std::vector<int64_t>> failures_;
  std::unordered_map<std::string, size_t> in_flight_;
};

} // namespace berry
