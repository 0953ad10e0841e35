#pragma once

// The order actor: one per live order. It drives the checkout saga
// (reserve -> pay -> commit, with compensation), then follows the delivery
// the dispatcher carries out, journaling each status and publishing it for
// live tracking, and answers for the order until it is final.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "protocols/commerce.hpp"
#include "protocols/interfaces.hpp"
#include "protocols/journal_commands.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// What an order actor works with.
struct order_deps {
  journal_actor journal;
  payment_actor payments;
  cart_manager_actor carts;
  /// Every warehouse, with where it is.
  std::vector<warehouse_info> warehouse_infos;
  std::map<std::string, warehouse_actor> warehouses;
  /// Where the order's first plan reads what every warehouse reported
  /// available, in place of asking each (a request to each and an answer
  /// from each); its later plans ask the warehouses. None: it always asks
  /// (a cluster's nodes do: their catalog cannot tell when it has heard
  /// from every warehouse).
  catalog_actor catalog;
  /// Delivers paid orders (none: a paid order waits, as in checkout tests).
  dispatcher_actor dispatcher;
  /// Where statuses and courier moves are published for live tracking.
  tracking_actor tracking;
  /// How often a paid order hands its delivery to the dispatcher again, so
  /// that a dispatcher that restarted (and forgot) goes on with it.
  std::chrono::milliseconds redispatch_every{10000};
  /// How long one request to a warehouse or the journal may take.
  std::chrono::milliseconds step_timeout{5000};
  /// How long one request to the payment actor may take (it retries and
  /// resolves lost answers itself, so this is long).
  std::chrono::milliseconds payment_timeout{60000};
  /// How often a whole reservation is planned again when a warehouse sold
  /// the units meanwhile.
  int max_plan_attempts = 3;
  /// In a cluster: the fence of the order's shard, carried by every write
  /// (a node that lost the shard can no longer write the order); epoch 0:
  /// none (a single node).
  shard_fence fence;
};

/// Spawns the actor of `order` (new, or read back from storage): it goes on
/// from the order's status at once.
order_actor spawn_order(caf::actor_system& sys, order_record order,
                        order_deps deps);

} // namespace berry
