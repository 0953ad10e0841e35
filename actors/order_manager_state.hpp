#pragma once

// The order manager's insides (actors/order_manager.hpp), shared by its
// files: the live orders it runs and their bookkeeping
// (order_manager_live.cpp), checkouts and repeats of their keys
// (order_manager_checkout.cpp), and its behaviour (order_manager.cpp).
// Include caf/all.hpp before this header's templates are used.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/clock.hpp"
#include "actors/deadline_set.hpp"
#include "actors/order_manager.hpp"
#include "actors/order_shards.hpp"
#include "storage/database.hpp"

namespace berry::order_manager_detail {

/// A live order as the manager knows it.
struct live_order {
  order_actor handle;
  std::string user_id;
  /// user + '\n' + idempotency key (see key_tag).
  std::string key_tag;
  restart_history restarts;
  /// A checkout request has waited for it here: a repeat of its key is
  /// then "in use" until it is over. An order loaded from storage (a
  /// restart, or its shard moved here) has not: the request that made it
  /// ran elsewhere and ended, and the first repeat waits as it did.
  bool awaited = false;
};

/// What names a checkout's key: its user and the key.
inline std::string key_tag(const std::string& user, const std::string& key) {
  return user + '\n' + key;
}

struct manager_state {
  order_manager_init init;
  storage::database db;
  std::unordered_map<std::string, live_order> live;
  /// Orders by actor address, to read down messages.
  std::map<caf::actor_addr, std::string> by_addr;
  /// user + '\n' + key of checkouts whose order is being written.
  std::set<std::string> creating;
  /// The key tag of each live order -> its id: a repeated key is answered
  /// from memory while its order is live, and from storage after (the
  /// UNIQUE constraint on the key refuses the new order's row).
  std::unordered_map<std::string, std::string> live_keys;
  /// The running checkout of each user's cart: user -> order id, from the
  /// moment its order id is drawn until its checkout is over.
  std::unordered_map<std::string, std::string> cart_checkouts;
  /// Each user's orders whose checkout runs (the unpaid-orders limit).
  std::unordered_map<std::string, std::set<std::string>> unpaid;
  std::unique_ptr<wall_clock> clock;
  /// The checkouts waiting for their order, under one timer.
  deadline_set deadlines;
  /// Sharded (a cluster): the order shards hosted here, with their fences.
  std::map<int, shard_fence> hosted;
  static inline const char* name = "order_manager";
};

// Private: load a hosted shard's unfinished orders again (int32_t shard,
// int64_t epoch), after storage could not be read.
using load_atom = caf::atom_constant<caf::atom("ordload")>;
// Private: look again for the order of a key whose insert's outcome was
// unknown (user, key, tries so far).
using recheck_atom = caf::atom_constant<caf::atom("ordrecheck")>;

/// The order manager plus its deadline timer and its order shards.
using manager_impl = order_manager_actor::extend<
    caf::reacts_to<expire_atom>,
    caf::reacts_to<order_host_atom, int32_t, int64_t, int64_t>,
    caf::reacts_to<order_unhost_atom, int32_t>,
    caf::reacts_to<load_atom, int32_t, int64_t>,
    caf::reacts_to<recheck_atom, std::string, std::string, int32_t>>;

using self_ptr = manager_impl::stateful_pointer<manager_state>;

using order_promise = caf::typed_response_promise<order_record>;

// order_manager_live.cpp: the live orders.

/// True when order `id` runs on this node: always on a single node; in a
/// cluster while its order shard is hosted here.
bool runs_here(const manager_state& st, const std::string& id);
/// The fence the writes of order `id` carry (none on a single node).
shard_fence fence_of(const manager_state& st, const std::string& id);
/// A new order's id, in an order shard hosted here; nothing when this node
/// hosts none.
std::optional<std::string> new_hosted_order_id(const manager_state& st,
                                               int64_t now_ms);
bool owned(const live_order& o, const std::string& user);
void count_open(self_ptr self);
/// Forgets a live order (and its key): it ended, or starts again.
void drop_live(self_ptr self,
               std::unordered_map<std::string, live_order>::iterator i);
caf::error not_found();
/// Forgets order `id` among `user`'s running checkouts (and as its cart's).
void end_cart_checkout(self_ptr self, const std::string& user,
                       const std::string& id);
/// Orders of `user` whose checkout runs, or is being created.
size_t unpaid_orders(const manager_state& st, const std::string& user);
/// Starts the actor of `rec` and keeps it among the live orders.
void start(self_ptr self, order_record rec, restart_history restarts = {});
/// The answer when a read of storage fails (the database is away).
caf::error storage_unavailable(const storage::db_error& e);
/// An order read from storage, checked against the caller.
caf::expected<order_record> stored(self_ptr self, const std::string& user,
                                   const std::string& id);
/// A crashed order comes back from storage after a pause.
void on_down(self_ptr self, const caf::down_msg& msg);
/// Starts the crashed order `id` again from storage.
void restart(self_ptr self, const std::string& id);
/// Starts the unfinished orders of a hosted shard that are not live yet.
void resume_shard(self_ptr self, int32_t shard);
/// Stops the live orders of a shard no longer hosted here.
void unhost_shard(self_ptr self, int32_t shard);

// order_manager_checkout.cpp: checkouts.

void deliver(order_promise& rp, caf::expected<order_record> x);
/// A checkout: a new order, or the answer of the one its key made.
caf::result<order_record> checkout(self_ptr self, checkout_request req);
/// Looks again for the order a checkout's key may have stored when its
/// insert's outcome was unknown, and starts it if it landed.
void recheck(self_ptr self, const std::string& user, const std::string& key,
             int32_t tries);

} // namespace berry::order_manager_detail
