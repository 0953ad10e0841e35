#pragma once

// Authentication at the edge: argon2id password hashes (libsodium), signed
// expiring bearer tokens (HMAC-SHA256 with a key kept in the data dir), a
// per-account limit on failed logins, and the checks every (auth) handler
// starts with.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.hpp"
#include "http/problem.hpp"

namespace berry::http {

struct route_env;

/// Who is calling.
struct principal {
  std::string user_id;
  std::string role; ///< customer | courier | admin
};

/// An argon2id hash of `password` in libsodium's string format. Slow on
/// purpose: never call it on an Asio thread.
std::string hash_password(std::string_view password);

/// True when `password` matches `hash`. Slow on purpose, like hash_password.
bool verify_password(std::string_view password, const std::string& hash);

/// Reads the token key from `data_dir`/token.key, creating it (32 random
/// bytes, mode 0600) on the first start.
std::string load_or_create_token_key(const std::string& data_dir);

/// `raw` trimmed and lower-cased when it is an email Berry accepts (one '@',
/// a dot in the domain, no spaces, at most 254 characters); nothing else.
std::optional<std::string> normalize_email(std::string_view raw);

/// A fresh user id: "u-" and 16 random hex digits.
std::string new_user_id();

/// What checking a token found.
enum class token_fault {
  none,    ///< valid
  invalid, ///< malformed or forged
  expired, ///< genuine, but past its expiry
};

/// Issues and checks bearer tokens: base64url(payload).base64url(mac), where
/// the payload names the user, the role and the expiry.
class token_service {
public:
  explicit token_service(std::string key,
                         std::chrono::seconds ttl = std::chrono::hours(24));
  /// A token for `who`, valid for the ttl from `now` (Unix seconds).
  std::string issue(const principal& who, int64_t now) const;
  /// The principal of a valid, unexpired token; nothing otherwise.
  std::optional<principal> verify(std::string_view token, int64_t now) const;
  /// Like verify, and says why a token is refused. Only a token with a
  /// valid signature is ever called expired.
  std::optional<principal> check(std::string_view token, int64_t now,
                                 token_fault& why) const;

private:
  std::string key_;
  std::chrono::seconds ttl_;
};

/// Failed logins per account in a sliding window; over the limit, logins of
/// that account are refused (429) until the window has passed.
class login_limiter {
public:
  explicit login_limiter(int max_failures = 5,
                         std::chrono::seconds window = std::chrono::minutes(5));
  /// Seconds to wait before `account` may try again; 0 when it may now.
  int64_t retry_after(const std::string& account, int64_t now) const;
  /// Counts one failed login of `account` at `now`.
  void record_failure(const std::string& account, int64_t now);
  /// Forgets the failures of `account`.
  void record_success(const std::string& account);

private:
  int max_failures_;
  std::chrono::seconds window_;
  mutable std::mutex mtx_;
  std::unordered_map<std::string, std::vector<int64_t>> failures_;
};

/// The caller, from `Authorization: Bearer TOKEN` or `?access_token=TOKEN`:
/// a 401 problem when missing, malformed, forged or expired.
outcome<principal> authenticate(const route_env& env, const request& req);

/// authenticate, and a 403 problem unless the caller has `role`.
outcome<principal> authorize(const route_env& env, const request& req,
                             std::string_view role);

} // namespace berry::http
