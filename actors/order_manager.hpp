#pragma once

// The order manager: creates orders (idempotent per user and key) and
// answers each checkout once, by its deadline; hands requests to the live
// order actors, restarts a crashed one from storage (with backoff and a
// limit), and resumes every unfinished order at start (in a cluster: those
// of the order shards it hosts, as it is given them).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "actors/catalog_snapshot.hpp"
#include "actors/order.hpp"
#include "actors/restart_policy.hpp"
#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// Counters the manager keeps for metrics; read from any thread.
struct order_counters {
  std::atomic<int64_t> created{0}; ///< orders created since start
  std::atomic<int64_t> open{0};    ///< live order actors (sagas, deliveries)
};

/// How the order manager starts.
struct order_manager_init {
  order_deps deps;
  /// The catalog as of now: prices and which products exist.
  std::function<catalog_snapshot_ptr()> catalog;
  /// The database it reads orders from (it writes through the journal).
  std::string db_path;
  /// How long a checkout waits for its order's checkout to end before it
  /// answers with the order as it is then (0: at once, with the new order,
  /// as the tests that drive the saga step by step want).
  std::chrono::milliseconds checkout_deadline{0};
  /// On its own thread, since it reads SQLite; deterministic tests turn
  /// this off.
  bool detached = true;
  /// Restarts of one order actor before the manager gives up on it until
  /// the next start of the node, and the pause before the first (it
  /// doubles with each restart).
  restart_policy restart{5, std::chrono::milliseconds(100)};
  /// Told of every order actor it starts (tests use it to crash one).
  std::function<void(const std::string& order_id, const order_actor&)> on_spawn;
  /// Optional: kept up to date for /metrics.
  std::shared_ptr<order_counters> counters;
  /// In a cluster: the manager runs only the orders of the order shards
  /// it is told it hosts (actors/order_shards.hpp: order_host_atom,
  /// order_unhost_atom), none at start, and draws new orders' ids in them.
  /// Off (a single node): every order is its own, resumed at start.
  bool sharded = false;
  /// Business limits per user: orders whose checkout runs at once (0: no
  /// limit), and units of one product in one order.
  size_t max_unpaid_per_user = 0;
  int32_t max_units_per_product = 99;
};

/// Checks a checkout and prices it from the catalog: the order lines, or
/// a validation error's text.
struct priced_lines {
  std::vector<order_line> lines;
  int64_t total = 0;
  std::string error;
};
priced_lines price_lines(const std::vector<cart_line>& lines,
                         const catalog_snapshot& catalog,
                         int32_t max_units = 99);

/// Spawns the order manager; it resumes the unfinished orders at once
/// (sharded: those of each order shard as it is given it, with
/// (order_host_atom, int32_t shard, int64_t fence key, int64_t epoch); with
/// (order_unhost_atom, int32_t shard) it stops them, cancelling nothing). A
/// checkout is answered once, when the order's checkout is over or
/// `checkout_deadline` passed: the order (paid or later; pending or reserved
/// while it goes on), or the error that ended it (checkout_failure_of).
order_manager_actor spawn_order_manager(caf::actor_system& sys,
                                        order_manager_init init);

} // namespace berry
