#pragma once

// The node's membership: an actor that holds the node's etcd lease, keeps
// it alive, registers the node under it, watches the cluster's keys and
// claims the shards placement gives it. It never blocks: every etcd call
// answers through the client's thread as a message to the actor.
//
//   start -> grant lease -> put node key -> read all keys -> watch from
//   there -> claim (again on every change)
//   every TTL/3: keepalive. No renewal for TTL - margin on our own clock, or
//   etcd says the lease is gone: the node fences itself (drops its shards
//   from its view at once) and joins again with a new lease.
//   leave: revoke the lease (every key of the node goes at once), quit.
//
// Readers (the edge) see the cluster through a view_cell, without a hop.

#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "cluster/etcd_client.hpp"
#include "cluster/membership_state.hpp"

namespace berry::cluster {

using leave_atom = caf::atom_constant<caf::atom("leave")>;
using lease_atom = caf::atom_constant<caf::atom("lease")>;
using renew_atom = caf::atom_constant<caf::atom("renew")>;
using joined_atom = caf::atom_constant<caf::atom("joined")>;
using kv_atom = caf::atom_constant<caf::atom("kv")>;
using synced_atom = caf::atom_constant<caf::atom("synced")>;
using resync_atom = caf::atom_constant<caf::atom("resync")>;
using claimed_atom = caf::atom_constant<caf::atom("claimed")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;

/// The latest view of the cluster, for readers on any thread.
class view_cell {
public:
  std::shared_ptr<const cluster_view> get() const;
  /// Stores `v`, then tells the listeners (on the setter's thread).
  void set(cluster_view v);
  /// Adds a listener, called after every set (the node's shard host and its
  /// links to the other nodes listen); empty: drops every listener.
  void on_change(std::function<void()> f);

private:
  std::vector<std::function<void()>> on_change_;
  mutable std::mutex m_;
  std::shared_ptr<const cluster_view> view_ =
      std::make_shared<const cluster_view>();
};

/// The membership actor. Only `leave` is for others (it answers once the
/// node's lease is revoked, and the actor quits); the rest are etcd's
/// answers, sent by the client's callbacks (`gen` tells a stale read or
/// watch from the current one).
using membership_actor = caf::typed_actor<
    caf::replies_to<leave_atom>::with<bool>,
    caf::reacts_to<lease_atom, int64_t, int64_t>, // id (0: failed), TTL
    caf::reacts_to<joined_atom, bool>,            // node key written
    // lease, TTL (0: gone, -1: no answer), when the keepalive was sent (ns)
    caf::reacts_to<renew_atom, int64_t, int64_t, int64_t>,
    // gen, key, value, create revision, lease, deleted
    caf::reacts_to<kv_atom, int64_t, std::string, std::string, int64_t, int64_t,
                   bool>,
    caf::reacts_to<synced_atom, int64_t, int64_t>, // gen, revision
    caf::reacts_to<resync_atom, int64_t>,          // gen: watch ended
    caf::reacts_to<claimed_atom, std::string, bool, int64_t>,
    caf::reacts_to<tick_atom>,
    caf::reacts_to<deadline_atom, int64_t>>; // lease: is it still renewed?

/// Spawns a node's membership. `client` must outlive the actor; `view`
/// gets every change of what the node knows.
membership_actor spawn_membership(caf::actor_system& sys, membership_config cfg,
                                  std::shared_ptr<etcd_client> client,
                                  std::shared_ptr<view_cell> view);

} // namespace berry::cluster
