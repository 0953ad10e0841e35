#pragma once

// Authentication at the edge: signed expiring bearer tokens (HMAC-SHA256
// with a key kept in the data dir) and the checks every (auth) handler
// starts with. Passwords and the failed-login limit belong to the accounts
// actor (actors/accounts.hpp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "http/message.hpp"
#include "http/problem.hpp"

namespace berry::http {

struct route_env;

/// Who is calling, and with which token.
struct principal {
  std::string user_id;
  std::string role; ///< customer | courier | admin
  /// The account's token version when the token was issued.
  int64_t token_version = 0;
  /// The token's own id (what a logout revokes) and expiry (Unix seconds);
  /// set by check, made by issue.
  std::string token_id;
  int64_t expires_at = 0;
};

/// Reads the token key from `data_dir`/token.key, creating it (32 random
/// bytes, mode 0600) on the first start.
std::string load_or_create_token_key(const std::string& data_dir);

/// Now in Unix seconds: the time tokens are issued and checked at.
inline int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

/// What checking a token found.
enum class token_fault {
  none,    ///< valid
  invalid, ///< malformed or forged
  expired, ///< genuine, but past its expiry
};

/// Issues and checks bearer tokens: base64url(payload).base64url(mac), where
/// the payload names the user, the role, the expiry, the account's token
/// version and a random token id. Whether the account still takes it is
/// the token registry's to say (actors/accounts_tokens.hpp).
class token_service {
public:
  explicit token_service(std::string key,
                         std::chrono::seconds ttl = std::chrono::hours(24));
  /// A token for `who` at its token version, with a fresh id, valid for
  /// the ttl from `now` (Unix seconds).
  std::string issue(const principal& who, int64_t now) const;
  /// The principal of a valid, unexpired token; nothing otherwise.
  std::optional<principal> verify(std::string_view token, int64_t now) const;
  /// Like verify, and says why a token is refused. Only a token with a
  /// valid signature is ever called expired.
  std::optional<principal> check(std::string_view token, int64_t now,
                                 token_fault& why) const;

private:
  struct verified;
  std::optional<principal> check_signed(std::string_view token, int64_t now,
                                        token_fault& why) const;

  std::string key_;
  std::chrono::seconds ttl_;
  /// Tokens whose signature and fields were checked already, and what they
  /// said: a request's token is checked two or three times on its way (the
  /// edge's gates, then the handler), each an HMAC and two base64 decodes.
  /// Only well-signed tokens enter, so a forger cannot fill it.
  std::shared_ptr<verified> verified_;
};

/// The caller, from `Authorization: Bearer TOKEN` or `?access_token=TOKEN`:
/// a 401 problem when missing, malformed, forged, expired, signed out,
/// older than its account's last password change, or of no account.
outcome<principal> authenticate(const route_env& env, const request& req);

/// The account and token version named by the request's well-signed
/// bearer token (or `?access_token=`), when this node's token registry does
/// not know that account at that version yet; nothing otherwise (no token,
/// a bad one, or a known account: the usual checks then answer).
std::optional<std::pair<std::string, int64_t>>
unknown_account(const route_env& env, const request& req);

/// Runs `next` once the account of the request's token is known
/// (unknown_account, edge_context::learn_account); at once when it is.
/// `unavailable` gets the 503 to answer when it cannot be learned now.
void after_account_known(const route_env& env, const request& req,
                         std::function<void()> next,
                         std::function<void(response)> unavailable);

/// after_account_known for the `account` unknown_account found: runs
/// `next` once it is learned, or gives `unavailable` the 503 (with
/// `request_id`).
void after_account_learned(const route_env& env,
                           std::pair<std::string, int64_t> account,
                           std::string request_id, std::function<void()> next,
                           std::function<void(response)> unavailable);

/// authenticate, and a 403 problem unless the caller has `role`.
outcome<principal> authorize(const route_env& env, const request& req,
                             std::string_view role);

} // namespace berry::http
