#pragma once

// Which accounts are being read from storage because a well-signed token
// named one this node did not know (or at a newer token version), and which
// storage lately did not have. Pure state of the accounts sync actor
// (actors/account_sync.hpp): it bounds what a flood of such tokens costs
// the store to one read per account at a time, none for an account found
// missing within miss_ttl_ms, and max_pending reads at once.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace berry {

/// Reads of accounts from storage, asked for by the edge.
class account_lookups {
public:
  /// What to do with a token of `user` at `version` this node does not know.
  enum class step {
    ask,     ///< read the account (the caller then calls finish)
    wait,    ///< a read of it is under way: wait for its finish
    missing, ///< storage lately had no such account or version: refuse
    busy,    ///< too many reads at once: answer unavailable
  };

  /// Forgets a miss after `miss_ttl_ms`; reads at most `max_pending` at once.
  explicit account_lookups(int64_t miss_ttl_ms = 2000, size_t max_pending = 64);

  /// What to do for a token of `user` at `version`, at `now_ms`.
  step begin(const std::string& user, int64_t version, int64_t now_ms);
  /// The read of `user` found `found` (its token version; -1: no account)
  /// at `now_ms`. Returns false when no read of `user` was under way.
  bool finish(const std::string& user, int64_t found, int64_t now_ms);
  /// The read of `user` failed (or never started): forgotten, not a miss.
  void abandon(const std::string& user) { pending_.erase(user); }
  /// Reads under way.
  size_t pending() const { return pending_.size(); }
  /// Reads remembered (tests of the sweep).
  size_t remembered() const { return seen_.size(); }

private:
  struct seen {
    int64_t version; ///< what storage had; -1: no account
    int64_t until;   ///< remembered until (ms)
  };
  int64_t miss_ttl_ms_;
  size_t max_pending_;
  std::unordered_set<std::string> pending_;
  std::unordered_map<std::string, seen> seen_;
  /// seen_.size() after the last sweep of expired entries.
  size_t swept_size_ = 0;
};

} // namespace berry
