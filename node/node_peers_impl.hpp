#pragma once

// Inside a node's links actor (node/node_peers.hpp): what it keeps, and the
// steps its behaviour calls. node/node_peers.cpp has the behaviour,
// node/node_peers_links.cpp opens, adopts and drops the links to the other
// nodes, node/node_peers_routes.cpp tells the local gates and order router
// where each shard lives. Included by those three only.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include "node/node_peers.hpp"
#include "node/peer_state.hpp"

namespace berry::peers_impl {

// Private: open the link to a node again (if still wanted).
using retry_atom = caf::atom_constant<caf::atom("peerretry")>;

/// Another node as this one knows it.
struct peer {
  std::string address;
  /// Its links actor, once linked (a proxy).
  caf::actor links;
  /// Its gates, by shard id, once it told them.
  std::map<std::string, caf::actor> gates;
  /// Its order router, once it told it.
  caf::actor orders;
  bool connecting = false;
  bool retry_armed = false;
  /// Listed by etcd once: dropped when it no longer is. (A node that
  /// greets this one before this one's view lists it is kept meanwhile.)
  bool listed = false;
};

/// What the links actor keeps.
struct peers_state {
  node_peers_init init;
  std::map<std::string, caf::actor> local_gates;
  std::map<std::string, peer> peers;
  /// The route each local gate was told last, and whether to wait, by
  /// shard id (order shards too).
  std::map<std::string, caf::actor> routed;
  std::map<std::string, bool> waits;
  /// Nodes that said they are leaving, while etcd still lists them.
  std::set<std::string> leaving;
  /// This node's order router, and the route it was told last per shard.
  caf::actor local_orders;
  std::map<int, caf::actor> routed_orders;
  /// Other nodes' catalogs.
  std::vector<caf::actor> subscribers;
  availability_relay relay;
  static inline const char* name = "node-peers";
};

using self_ptr = caf::stateful_actor<peers_state>*;

/// Tells each local gate the owner's gate, and whether a request should
/// wait while there is none (worth_waiting), where that changed; and the
/// local order router the same for each order shard.
void reroute(self_ptr self);

/// Uses `links` as the node `name`'s: watches it, asks its gates and has it
/// report availability to this node's catalog.
void adopt(self_ptr self, const std::string& name, caf::actor links);

/// Opens the link to `name`: the middleman connects on its own thread.
void connect(self_ptr self, const std::string& name);

/// Links to the nodes etcd lists, and only to them.
void update(self_ptr self);

/// A peer's link or a subscriber went down.
void on_down(self_ptr self, const caf::down_msg& msg);

} // namespace berry::peers_impl
