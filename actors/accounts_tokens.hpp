#pragma once

// Which signed tokens are still good. A token's signature proves who issued
// it; this says whether its account still exists, whether a password change
// or an admin reset has revoked it (the account's token version moved on),
// and whether it was signed out. The accounts actor writes it once the
// journal has stored the change; the edge reads it on every authenticated
// request, from any thread. In a cluster the accounts sync actor
// (actors/account_sync.hpp) adds what other nodes changed.

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace berry {

/// Why a well-signed token is refused, if it is.
enum class token_verdict {
  good,         ///< its account exists, at its version, not signed out
  unknown_user, ///< no such account
  superseded,   ///< the account's token version has moved on
  signed_out,   ///< revoked by a logout
};

/// Account token versions and signed-out tokens; safe to share between
/// threads.
class token_registry {
public:
  /// Fills it at start: every account's (id, version) and the signed-out
  /// tokens' (id, expiry in Unix seconds).
  void load(const std::vector<std::pair<std::string, int64_t>>& versions,
            const std::vector<std::pair<std::string, int64_t>>& revoked);
  /// `user` exists with `version` (a new account, or an admin reset).
  void set_version(const std::string& user, int64_t version);
  /// `user` exists with `version` at least: what storage or another node
  /// said. A version learned late never takes one back.
  void learn(const std::string& user, int64_t version);
  /// The token version of `user`; -1 when there is no such account.
  int64_t version_of(const std::string& user) const;
  /// Token `token_id` is refused until `expires_at` (Unix seconds).
  void revoke(const std::string& token_id, int64_t expires_at, int64_t now);
  /// Whether a token of `user` at `version`, with id `token_id`, is good.
  token_verdict check(const std::string& user, int64_t version,
                      const std::string& token_id) const;
  /// Signed-out tokens held (tests of the sweep).
  size_t revoked_count() const;

private:
  mutable std::shared_mutex mtx_;
  std::unordered_map<std::string, int64_t> versions_;
  std::unordered_map<std::string, int64_t> revoked_;
  /// revoked_.size() after the last sweep of expired entries.
  size_t swept_size_ = 0;
};

} // namespace berry
