#pragma once

// What a cluster node's links to the other nodes decide (issue 14), pure:
// which nodes to link to (those etcd lists as alive, and only they), which
// side opens a link, who owns each warehouse, and the latest availability
// of the warehouses hosted here (what a node that links to this one is told
// first). node/node_peers.hpp is the actor that acts on it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocols/types.hpp"

namespace berry::cluster {
struct cluster_view;
}

namespace berry {

/// The nodes to link to, by name: alive (their key is in etcd), other than
/// `v.self`, with the address of their cluster port ("host:port").
std::map<std::string, std::string> live_peers(const cluster::cluster_view& v);

/// True when `self` opens the link to `peer`: the lower name connects, the
/// other waits to be greeted (CAF keeps one connection per pair of nodes).
bool opens_link(const std::string& self, const std::string& peer);

/// The owner of every claimed shard, by shard id.
std::map<std::string, std::string> shard_owners(const cluster::cluster_view& v);

/// How a node sees the owner of a shard, for worth_waiting.
enum class owner_seen {
  nobody,   ///< no node holds the shard
  self,     ///< this node (it is loading the shard, or telling its gates)
  leaving,  ///< a node that said it is leaving
  linked,   ///< another node, linked to this one
  unlinked, ///< another node etcd lists, with no link to this one
  unlisted, ///< a node etcd no longer lists
};

/// Whether a request for a shard should wait while the shard has no route:
/// while it is between owners. Nobody holds it (a claim comes within
/// milliseconds of a node leaving or its lease running out), this node or
/// a linked one does, its owner is leaving, or its owner's lease is gone
/// (etcd's watch may tell a node's key gone before its shards' keys, which
/// go with it). Not for an owner still listed that has no link: that one
/// is likely frozen or cut off, and its shard waits for its lease to run
/// out.
bool worth_waiting(owner_seen owner);

/// "host:port" split; nothing when it has no port in 1..65535.
std::optional<std::pair<std::string, uint16_t>>
split_address(const std::string& address);

/// The latest availability of every product of the warehouses hosted here,
/// as their reports said it.
class availability_relay {
public:
  /// Takes a report (a whole warehouse's or a few products').
  void apply(const availability_report& r);
  /// Forgets a warehouse (no longer hosted here).
  void drop(const std::string& warehouse_id);
  /// One whole report per warehouse known.
  std::vector<availability_report> all() const;

private:
  std::map<std::string, std::map<std::string, int64_t>> latest_;
};

} // namespace berry
