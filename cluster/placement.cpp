#include "cluster/placement.hpp"

#include <algorithm>
#include <set>

#include "protocols/stable_hash.hpp"

namespace berry::cluster {

uint64_t rendezvous_weight(std::string_view node, std::string_view shard) {
  uint64_t h = fnv1a(fnv1a_offset, node);
  h = fnv1a(h, std::string_view("\0", 1));
  return mix64(fnv1a(h, shard));
}

std::string preferred_owner(const std::vector<std::string>& live,
                            std::string_view shard) {
  const std::string* best = nullptr;
  uint64_t best_weight = 0;
  for (auto& node : live) {
    uint64_t w = rendezvous_weight(node, shard);
    if (!best || w > best_weight || (w == best_weight && node < *best)) {
      best = &node;
      best_weight = w;
    }
  }
  return best ? *best : std::string{};
}

std::vector<std::string>
shards_to_claim(const std::string& me, const std::vector<std::string>& live,
                const std::vector<std::string>& shards,
                const std::map<std::string, std::string>& owners) {
  std::vector<std::string> out;
  for (auto& shard : shards) {
    auto it = owners.find(shard);
    bool owned = it != owners.end() &&
                 std::find(live.begin(), live.end(), it->second) != live.end();
    if (!owned && preferred_owner(live, shard) == me)
      out.push_back(shard);
  }
  return out;
}

int64_t fence_key(std::string_view shard) {
  auto h = stable_hash(shard) >> 2; // 62 bits: positive
  return static_cast<int64_t>(h == 0 ? 1 : h);
}

bool distinct_fence_keys(const std::vector<std::string>& shards) {
  std::set<int64_t> keys;
  for (auto& s : shards)
    if (!keys.insert(fence_key(s)).second)
      return false;
  return true;
}

} // namespace berry::cluster
