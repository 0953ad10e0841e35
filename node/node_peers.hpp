#pragma once

// A cluster node's links to the other nodes (issue 14), over CAF's io
// middleman: the one actor a node publishes on its cluster port.
//
// Routes. The node links to every node etcd lists as alive (the lower name
// connects, through the middleman actor's asynchronous connect, and greets
// the other with its own handle; the other links back over that connection)
// and asks each for its gates (actors/shard_gate.hpp). Each gate here is
// told the route to the owner's gate of its shard: none while the owner is
// this node, unknown, or not linked (the gate then answers 503 at once).
// A link that goes down (down_msg: a hint only) drops its routes, and the
// opener connects again while etcd still lists the node; a node etcd drops
// is dropped.
//
// Orders. Each node also tells its order router (actors/order_router.hpp);
// the local router is told, for each order shard, the router of the node
// that hosts it (order_route_atom), or none while that is this node, or
// the node is unknown or not linked.
//
// Availability. The warehouses hosted here report to this actor (it is
// their catalog): it passes each report on to this node's catalog and to
// the catalog of every linked node, so every node's snapshot shows the
// stock of every warehouse. A node that links gets the latest of every
// warehouse hosted here first.
//
// Accounts. Each node that links is told this node's accounts sync actor,
// which it hands to its own (actors/account_sync.hpp): token versions and
// signed-out tokens then go straight between the sync actors.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "protocols/interfaces.hpp"

namespace berry::cluster {
struct cluster_view;
}

namespace berry {

/// The view changed: link, unlink, route again (local).
using peers_update_atom = caf::atom_constant<caf::atom("peerupdate")>;
/// With (ids, gates): this node's gates (local). Alone: asks them (another
/// node), answered with (std::vector<std::string>, std::vector<caf::actor>).
using peers_gates_atom = caf::atom_constant<caf::atom("peergates")>;
/// (catalog): another node's catalog wants every availability report.
using peers_subscribe_atom = caf::atom_constant<caf::atom("peersub")>;
/// (sync actor): another node's accounts sync actor, for this one's.
using peers_accounts_atom = caf::atom_constant<caf::atom("peeracc")>;
/// (name, its links actor): another node opened a link to this one.
using peers_hello_atom = caf::atom_constant<caf::atom("peerhello")>;
/// With (router): this node's order router (local). Alone: asks it
/// (another node), answered with the caf::actor.
using peers_orders_atom = caf::atom_constant<caf::atom("peerorders")>;
/// Alone: this node is leaving (local; node::stop), so every linked node is
/// told. With (name): the node `name` is leaving (from it): until etcd no
/// longer lists it, its shards are about to move, and their requests wait
/// for the new owner even once its link has dropped.
using peers_leaving_atom = caf::atom_constant<caf::atom("peerleave")>;

/// How a node's links start.
struct node_peers_init {
  std::string node_name;
  /// This node's catalog.
  catalog_actor catalog;
  /// This node's accounts sync actor (actors/account_sync.hpp); may be
  /// null. Each linked node is told it, and tells its own in return.
  caf::actor accounts;
  /// The cluster as this node sees it now (any thread).
  std::function<std::shared_ptr<const cluster::cluster_view>()> view;
  /// How long connecting to a node and asking its gates may take.
  std::chrono::milliseconds timeout{3000};
  /// The pause before a failed or lost link is opened again.
  std::chrono::milliseconds retry{250};
};

/// Spawns the links (they act on the view once told peers_update_atom).
/// Send it (peers_gates_atom, ids, gates) and (peers_orders_atom, router)
/// first; (gate_unhost_atom, id)
/// when a warehouse stops being hosted here. Its handle is what the node
/// publishes, and what its warehouses report availability to.
caf::actor spawn_node_peers(caf::actor_system& sys, node_peers_init init);

} // namespace berry
