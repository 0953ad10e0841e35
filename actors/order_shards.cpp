#include "actors/order_shards.hpp"

#include "protocols/stable_hash.hpp"

namespace berry {

namespace {

constexpr std::string_view prefix = "orders/";

} // namespace

int order_shard_of(std::string_view order_id) {
  return static_cast<int>(stable_hash(order_id) %
                          static_cast<uint64_t>(order_shard_count));
}

std::string order_shard_id(int shard) {
  return std::string{prefix} + std::to_string(shard);
}

std::optional<int> order_shard_number(std::string_view shard_id) {
  if (shard_id.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  auto digits = shard_id.substr(prefix.size());
  if (digits.empty() || digits.size() > 3 ||
      (digits.size() > 1 && digits[0] == '0'))
    return std::nullopt;
  int n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n >= order_shard_count)
    return std::nullopt;
  return n;
}

} // namespace berry
