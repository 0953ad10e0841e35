#include "actors/account_lookups.hpp"

#include <iterator>

namespace berry {

account_lookups::account_lookups(int64_t miss_ttl_ms, size_t max_pending)
    : miss_ttl_ms_(miss_ttl_ms), max_pending_(max_pending) {}

account_lookups::step account_lookups::begin(const std::string& user,
                                             int64_t version, int64_t now_ms) {
  if (pending_.count(user) != 0)
    return step::wait;
  auto s = seen_.find(user);
  if (s != seen_.end() && now_ms < s->second.until &&
      s->second.version < version)
    return step::missing;
  if (pending_.size() >= max_pending_)
    return step::busy;
  pending_.insert(user);
  return step::ask;
}

bool account_lookups::finish(const std::string& user, int64_t found,
                             int64_t now_ms) {
  if (pending_.erase(user) == 0)
    return false;
  seen_[user] = {found, now_ms + miss_ttl_ms_};
  // Sweep once the table has doubled since the last sweep: O(1) a read on
  // average, and about twice the reads of the last miss_ttl_ms at most.
  if (seen_.size() >= 2 * swept_size_ + 64) {
    for (auto i = seen_.begin(); i != seen_.end();)
      i = i->second.until <= now_ms ? seen_.erase(i) : std::next(i);
    swept_size_ = seen_.size();
  }
  return true;
}

} // namespace berry
