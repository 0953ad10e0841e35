#pragma once

// How a node joins a cluster (issue 14): `berry serve --etcd URL[,URL...]
// --node-name NAME ...`. Without --etcd Berry is the single node it has
// always been. Kept apart from config.hpp so the flags of one concern live
// together.

#include <cstdint>
#include <string>
#include <vector>

namespace berry {

struct option_info;

/// The cluster's settings; all empty or default outside a cluster.
struct cluster_config {
  /// etcd's client URLs (--etcd, comma separated); empty: no cluster.
  std::vector<std::string> etcd;
  /// This node's name, unique in the cluster (--node-name).
  std::string node_name;
  /// The address other nodes reach this one at for CAF (--cluster-host,
  /// --cluster-port; published in etcd).
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  /// The TTL of the node's etcd lease: how long a dead node holds its
  /// shards (--lease-ttl-s).
  int64_t lease_ttl_s = 3;
  /// Every key of the cluster lives under /berry/<name>/ (--cluster-name).
  std::string name = "default";

  bool enabled() const { return !etcd.empty(); }
};

/// The cluster's options, appended to `berry serve`'s table.
const std::vector<option_info>& cluster_options();

/// Applies one of them; false when `flag` is not a cluster option. Throws
/// std::invalid_argument when the value does not parse.
bool apply_cluster_option(cluster_config& cfg, const std::string& flag,
                          const std::string& value);

/// Checks the options together (--etcd needs --node-name). Throws
/// std::invalid_argument.
void check_cluster_config(const cluster_config& cfg);

} // namespace berry
