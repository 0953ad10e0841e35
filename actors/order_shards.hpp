#pragma once

// Order shards (issue 14): in a cluster the orders, their sagas and their
// deliveries are spread over a fixed number of shards by their id, and a
// node runs only the orders of the shards it hosts (actors/order_router.hpp
// sends it the rest's requests, node/shard_host.hpp tells it what it hosts).
//
//   order_shard_of(id) = stable_hash(id) mod order_shard_count
//
// with protocols/stable_hash.hpp (FNV-1a then splitmix64): the same on
// every node and build. Its shard's etcd id is "orders/N". SQL cannot hash
// the same way, so a node that gains a shard loads the unfinished orders
// and keeps those of the shard (storage::load_open_orders_of).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/atom.hpp>

namespace berry {

/// How many order shards a cluster has (orders/0 ... orders/15): fixed
/// when the cluster is created, the same on every node.
constexpr int order_shard_count = 16;

/// The order shard of order `order_id`, 0 .. order_shard_count - 1.
int order_shard_of(std::string_view order_id);

/// The shard's id in the cluster ("orders/N").
std::string order_shard_id(int shard);

/// N of "orders/N" (N in 0 .. order_shard_count - 1); nothing for any
/// other shard id.
std::optional<int> order_shard_number(std::string_view shard_id);

/// (int32_t shard, int64_t fence key, int64_t epoch): this node hosts the
/// order shard now, its writes fenced at that epoch.
using order_host_atom = caf::atom_constant<caf::atom("ordhost")>;
/// (int32_t shard): this node no longer hosts the order shard.
using order_unhost_atom = caf::atom_constant<caf::atom("ordunhost")>;
/// (int32_t shard, caf::actor): the router of the node that hosts the
/// shard (a null actor: none reachable).
using order_route_atom = caf::atom_constant<caf::atom("ordroute")>;
/// (int32_t shard, bool): whether requests for the shard wait while it is
/// neither hosted here nor routed (it is between owners).
using order_wait_atom = caf::atom_constant<caf::atom("ordwait")>;

} // namespace berry
