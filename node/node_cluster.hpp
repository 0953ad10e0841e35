#pragma once

// A node's membership of its cluster (issue 14), when `berry serve` was
// given --etcd: it joins once the edge is ready (its etcd key then says
// where its edge listens) and leaves first on shutdown, so its shards move
// at once instead of after the lease's TTL. Without --etcd none of this
// exists and the node is the single node it has always been.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "actors/order_shards.hpp"
#include "config/config.hpp"
#include "protocols/types.hpp"

namespace caf {
class actor;
class actor_system;
class actor_system_config;
} // namespace caf

namespace berry::cluster {
struct cluster_view;
}

namespace berry {

/// The shards of a cluster: one per warehouse (its id), then the order
/// shards, then the city's dispatch shard (actors/dispatch_front.hpp).
std::vector<std::string>
cluster_shards(const std::vector<warehouse_info>& warehouses);

/// Loads CAF's io middleman into a cluster node's actor system, with
/// heartbeats (1 s; a peer silent for 3 s is gone) and the wire version in
/// the handshake, so nodes of different builds refuse each other.
void configure_cluster_link(caf::actor_system_config& cfg);

/// The node's etcd client and membership actor.
class node_cluster {
public:
  explicit node_cluster(const server_config& cfg);
  ~node_cluster();
  node_cluster(const node_cluster&) = delete;
  node_cluster& operator=(const node_cluster&) = delete;

  /// Publishes `peers` (the node's links, node/node_peers.hpp, told of
  /// every change of the view) on the port other nodes reach this one at
  /// (--cluster-port; 0 picks one), registers the node (that address, and
  /// its edge on `http_port`) and starts claiming. Each shard it claims is
  /// fenced in PostgreSQL (with --db postgresql://...) before `on_host`
  /// hears of it; `on_unhost` hears of each it lost (node/shard_host.hpp;
  /// either may be empty). Throws std::runtime_error when the port cannot
  /// be opened, or when two shards would share a fence key.
  void join(caf::actor_system& sys, uint16_t http_port,
            const std::vector<warehouse_info>& warehouses,
            const caf::actor& peers,
            std::function<void(const std::string&, int64_t)> on_host = {},
            std::function<void(const std::string&)> on_unhost = {});

  /// Gives every shard up (revokes the lease), waiting up to 2 s for etcd.
  void leave(caf::actor_system& sys);

  /// The cluster as this node sees it, for the edge (any thread).
  std::function<std::shared_ptr<const cluster::cluster_view>()> view() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace berry
