#pragma once

// What one node knows of the cluster, from etcd: the live nodes (keys under
// <prefix>nodes/, one per node, under that node's lease) and the owners of
// the shards (keys under <prefix>shards/, under the owner's lease; the key's
// create revision is the shard's epoch). Pure: the membership actor feeds
// it etcd's keys and events, and asks it what to claim.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace berry::cluster {

/// How a node joins the cluster.
struct membership_config {
  std::string node_name;
  /// Every key of the cluster is under it; ends with '/'.
  std::string prefix = "/berry/default/";
  /// The node's HTTP edge ("host:port"), published for the others.
  std::string http;
  /// Its address for CAF between nodes ("host:port"), published.
  std::string cluster_address;
  /// Every shard of the cluster (the same list on every node).
  std::vector<std::string> shards;
  /// The TTL asked for the node's lease (etcd may raise it).
  int64_t lease_ttl_s = 3;
};

/// A live node, as it registered.
struct node_record {
  std::string name;
  std::string http;
  std::string cluster_address;
  bool ready = false;
};

/// A claimed shard: its owner and epoch (the claim's etcd revision).
struct shard_record {
  std::string id;
  std::string owner;
  int64_t epoch = 0;
  /// The owner's lease the claim lives under.
  int64_t lease = 0;
};

/// The cluster as one node sees it (GET /api/v1/cluster).
struct cluster_view {
  std::vector<node_record> nodes;
  std::vector<shard_record> shards;
  /// The node that sees it, and its lease now (0: none).
  std::string self;
  int64_t lease = 0;

  /// The shards this node owns under its current lease, with their epochs
  /// (a claim under an older lease of its own is not its any more).
  std::map<std::string, int64_t> mine() const;
};

/// The known state and the decisions made from it.
struct membership_state {
  membership_config cfg;
  std::map<std::string, node_record> nodes;
  std::map<std::string, shard_record> shards;
  /// Claims sent and not answered yet.
  std::set<std::string> claiming;
  /// This node's lease now (0: none). A claim under an older lease of ours
  /// is not ours any more: it goes when that lease expires.
  int64_t lease = 0;

  std::string nodes_prefix() const { return cfg.prefix + "nodes/"; }
  std::string shards_prefix() const { return cfg.prefix + "shards/"; }
  std::string node_key() const { return nodes_prefix() + cfg.node_name; }
  std::string shard_key(const std::string& id) const {
    return shards_prefix() + id;
  }

  /// The value this node registers under its key.
  std::string node_value() const;
  /// The value of a shard key this node claims.
  std::string shard_value() const;

  /// Forgets everything known (before a fresh read of every key).
  void reset();

  /// Applies one key as etcd holds it now (or its deletion). Keys outside
  /// the prefix, and values that do not parse, are ignored.
  void apply(const std::string& key, const std::string& value,
             int64_t create_revision, int64_t lease, bool deleted);

  /// The shards this node should claim now (placement.hpp), less those
  /// whose claim is in flight. Nothing while this node is not live.
  std::vector<std::string> to_claim() const;

  /// The shards this node owns under its current lease.
  std::vector<std::string> owned() const;

  /// Drops every shard this node owned (its lease is gone: so are they).
  void drop_owned();

  /// The view, nodes and shards in name order.
  cluster_view view() const;
};

} // namespace berry::cluster
