#pragma once

// Accounts across the nodes of a cluster (issue 14). Each node keeps its own
// token registry (actors/accounts_tokens.hpp), filled from storage at start
// and then by its accounts actor; this actor keeps it in step with what the
// other nodes changed since:
//
// - Learn. The edge met a well-signed token of an account this node does not
//   know, or at a newer token version than it knows. Before it checks the
//   token, it asks here: the account is read from storage on a worker
//   thread (at most one read per account at a time, none for one storage
//   lately did not have: actors/account_lookups.hpp), then answered.
// - Relay. The accounts actor says what it stored (a token version, a
//   signed-out token); this actor passes it on to the sync actor of every
//   linked node, which writes it into its own registry.
// - Reread. Once another node's sync actor has taken this one's
//   subscription (its node linked to this one), and every reread_every,
//   the signed-out tokens and the accounts whose version moved are reread
//   from storage: what a lost message or a link that was down did not bring.
//   A change stored before the subscription was taken is in that reread;
//   one stored after is relayed.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/accounts.hpp"

namespace berry {

/// (user, version): the account's token version is at least this.
using acc_version_atom = caf::atom_constant<caf::atom("accver")>;
/// (token id, expiry in Unix s): the token is signed out.
using acc_revoked_atom = caf::atom_constant<caf::atom("accrevoke")>;
/// Prefixes a change stored on this node: relay it to the linked nodes.
using acc_relay_atom = caf::atom_constant<caf::atom("accrelay")>;
/// (user, version): make sure of a token's account before checking it.
using acc_learn_atom = caf::atom_constant<caf::atom("acclearn")>;
/// (sync actor): another node's sync actor wants this one's changes.
using acc_subscribe_atom = caf::atom_constant<caf::atom("accsub")>;
/// (sync actor): a node linked; this is its sync actor.
using acc_peer_atom = caf::atom_constant<caf::atom("accpeer")>;
/// Reread signed-out tokens and moved versions from storage.
using acc_reread_atom = caf::atom_constant<caf::atom("accreread")>;

/// Keeps this node's token registry in step with the other nodes'.
using account_sync_actor = caf::typed_actor<
    /// Reads account `user` from storage unless the registry knows it at
    /// `version` or later; true once it does. unavailable when too many
    /// reads are under way or storage fails.
    caf::replies_to<acc_learn_atom, std::string, int64_t>::with<bool>,
    /// From another node: applied to the registry.
    caf::reacts_to<acc_version_atom, std::string, int64_t>,
    caf::reacts_to<acc_revoked_atom, std::string, int64_t>,
    /// From this node's accounts actor, once stored: relayed.
    caf::reacts_to<acc_relay_atom, acc_version_atom, std::string, int64_t>,
    caf::reacts_to<acc_relay_atom, acc_revoked_atom, std::string, int64_t>,
    /// Another node's sync actor subscribes; answered once it is relayed to.
    caf::replies_to<acc_subscribe_atom, caf::actor>::with<bool>,
    /// From this node's links: subscribe to that node, then reread.
    caf::reacts_to<acc_peer_atom, caf::actor>, caf::reacts_to<acc_reread_atom>>;

/// How the sync actor starts.
struct account_sync_init {
  /// The registry it keeps.
  std::shared_ptr<token_registry> tokens;
  /// The token version of account `id` in storage; -1 without one. Throws
  /// when storage fails. Runs on a worker thread.
  std::function<int64_t(const std::string& id)> read_version;
  /// Rereads signed-out tokens and moved versions into the registry
  /// (token_registry::learn and revoke). Throws when storage fails. Runs on
  /// a worker thread.
  std::function<void(token_registry&)> reread;
  /// Where reads run. Empty: a worker_pool of one thread owned by the actor.
  job_runner run;
  /// A read that found no account (or an older version) is not repeated for
  /// this long: a flood of such tokens costs one read per account.
  std::chrono::milliseconds miss_ttl{2000};
  /// Reads at once, at most.
  size_t max_pending = 64;
  /// Rereads this often besides when a node links; zero: only then.
  std::chrono::milliseconds reread_every{0};
  /// How long another node may take to take a subscription.
  std::chrono::milliseconds timeout{3000};
};

/// Spawns the sync actor.
account_sync_actor spawn_account_sync(caf::actor_system& sys,
                                      account_sync_init init);

/// A read_version over this thread's read connection to `db` (a SQLite path
/// or a PostgreSQL conninfo).
std::function<int64_t(const std::string&)>
storage_version_reader(std::string db);

/// A reread over this thread's read connection to `db`.
std::function<void(token_registry&)> storage_rereader(std::string db);

} // namespace berry
