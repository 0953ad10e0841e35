#include "node/peer_state.hpp"

#include "cluster/membership_state.hpp"

namespace berry {

std::map<std::string, std::string> live_peers(const cluster::cluster_view& v) {
  std::map<std::string, std::string> out;
  for (auto& n : v.nodes)
    if (n.name != v.self && !n.cluster_address.empty())
      out.emplace(n.name, n.cluster_address);
  return out;
}

bool opens_link(const std::string& self, const std::string& peer) {
  return self < peer;
}

std::map<std::string, std::string>
shard_owners(const cluster::cluster_view& v) {
  std::map<std::string, std::string> out;
  for (auto& s : v.shards)
    out.emplace(s.id, s.owner);
  return out;
}

bool worth_waiting(owner_seen owner) {
  return owner != owner_seen::unlinked;
}

std::optional<std::pair<std::string, uint16_t>>
split_address(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size() ||
      address.size() - colon > 6)
    return std::nullopt;
  long port = 0;
  for (auto i = colon + 1; i < address.size(); ++i) {
    if (address[i] < '0' || address[i] > '9')
      return std::nullopt;
    port = port * 10 + (address[i] - '0');
  }
  if (port < 1 || port > 65535)
    return std::nullopt;
  return std::make_pair(address.substr(0, colon), static_cast<uint16_t>(port));
}

void availability_relay::apply(const availability_report& r) {
  auto& w = latest_[r.warehouse_id];
  for (auto& item : r.items)
    w[item.product_id] = item.available;
}

void availability_relay::drop(const std::string& warehouse_id) {
  latest_.erase(warehouse_id);
}

std::vector<availability_report> availability_relay::all() const {
  std::vector<availability_report> out;
  for (auto& [id, products] : latest_) {
    availability_report r{id, {}};
    r.items.reserve(products.size());
    for (auto& [pid, n] : products)
      r.items.push_back({pid, n});
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace berry
