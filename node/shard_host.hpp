#pragma once

// A cluster node's host of the shards it owns (issue 14). Whenever the
// membership's view changes, the host compares the shards this node owns
// now (under its current lease, with etcd's epochs) with those it hosts:
//
//   owned, not hosted ──> fence it in PostgreSQL at its epoch (shard_owner;
//                         waits out the old owner's last transaction) ──>
//                         on_host(id, epoch): its actors start
//   hosted, not owned ──> on_unhost(id): its actors stop at once
//   (an epoch that changed: both, in that order)
//
// A claim PostgreSQL refuses (the shard already has that epoch or a higher
// one: this node's view is behind) is not hosted. The host runs on its own
// thread: fencing blocks on PostgreSQL.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace berry::cluster {
class view_cell;
}

namespace berry {

/// What the host must do to host exactly the shards owned: stop first,
/// then start.
struct shard_moves {
  std::vector<std::pair<std::string, int64_t>> start; ///< id, epoch
  std::vector<std::string> stop;
};

/// The moves from `hosted` to `owned` (both id -> epoch). A shard owned
/// again at another epoch is stopped and started again; one whose claim at
/// its epoch was refused (`refused`, id -> epoch) is not started again.
shard_moves plan_moves(const std::map<std::string, int64_t>& hosted,
                       const std::map<std::string, int64_t>& owned,
                       const std::map<std::string, int64_t>& refused = {});

/// How a node hosts its shards.
struct shard_host_init {
  std::string node_name;
  /// PostgreSQL's connection string; empty (SQLite): no fence to raise.
  std::string conninfo;
  std::shared_ptr<cluster::view_cell> view;
  /// A shard is this node's at `epoch` (fenced): start its actors.
  std::function<void(const std::string& id, int64_t epoch)> on_host;
  /// A shard is no longer this node's: stop its actors.
  std::function<void(const std::string& id)> on_unhost;
};

using update_atom = caf::atom_constant<caf::atom("shupdate")>;

/// The host: update_atom makes it read the view and move.
using shard_host_actor = caf::typed_actor<caf::reacts_to<update_atom>>;

/// Spawns the host on its own thread and has `init.view` tell it of every
/// change.
shard_host_actor spawn_shard_host(caf::actor_system& sys, shard_host_init init);

} // namespace berry
