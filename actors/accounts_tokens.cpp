#include "actors/accounts_tokens.hpp"

#include <mutex>

namespace berry {

void token_registry::load(
    const std::vector<std::pair<std::string, int64_t>>& versions,
    const std::vector<std::pair<std::string, int64_t>>& revoked) {
  std::unique_lock<std::shared_mutex> guard{mtx_};
  for (auto& [user, version] : versions)
    versions_[user] = version;
  for (auto& [id, expires_at] : revoked)
    revoked_[id] = expires_at;
  swept_size_ = revoked_.size();
}

void token_registry::set_version(const std::string& user, int64_t version) {
  std::unique_lock<std::shared_mutex> guard{mtx_};
  versions_[user] = version;
}

void token_registry::learn(const std::string& user, int64_t version) {
  std::unique_lock<std::shared_mutex> guard{mtx_};
  auto [i, added] = versions_.emplace(user, version);
  if (!added && i->second < version)
    i->second = version;
}

int64_t token_registry::version_of(const std::string& user) const {
  std::shared_lock<std::shared_mutex> guard{mtx_};
  auto i = versions_.find(user);
  return i == versions_.end() ? -1 : i->second;
}

void token_registry::revoke(const std::string& token_id, int64_t expires_at,
                            int64_t now) {
  std::unique_lock<std::shared_mutex> guard{mtx_};
  revoked_[token_id] = expires_at;
  // Expired tokens are refused by their own date: forget them once the
  // table has doubled since the last sweep, so each logout pays O(1) on
  // average and the table holds about twice the live revocations at most.
  if (revoked_.size() < 2 * swept_size_ + 64)
    return;
  for (auto i = revoked_.begin(); i != revoked_.end();)
    i = i->second <= now ? revoked_.erase(i) : std::next(i);
  swept_size_ = revoked_.size();
}

token_verdict token_registry::check(const std::string& user, int64_t version,
                                    const std::string& token_id) const {
  std::shared_lock<std::shared_mutex> guard{mtx_};
  auto i = versions_.find(user);
  if (i == versions_.end())
    return token_verdict::unknown_user;
  if (i->second != version)
    return token_verdict::superseded;
  if (revoked_.count(token_id) != 0)
    return token_verdict::signed_out;
  return token_verdict::good;
}

size_t token_registry::revoked_count() const {
  std::shared_lock<std::shared_mutex> guard{mtx_};
  return revoked_.size();
}

} // namespace berry
