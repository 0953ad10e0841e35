#pragma once

// Carts: one cart actor per active customer, holding that customer's lines
// and journaling every change before it answers, and the cart manager that
// spawns them on demand (rebuilt from storage), hands requests to them and
// passivates the ones that sat idle.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "protocols/interfaces.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// One customer's lines; pure methods, tested without actors.
struct cart_state {
  /// Product id -> quantity (1..99), ordered by product id.
  std::map<std::string, int32_t> lines;

  /// True for a quantity a put may carry: 0 (remove) to 99.
  static bool valid_qty(int32_t qty) { return qty >= 0 && qty <= 99; }
  /// The quantity of `product_id` in the cart; 0 when it is not there.
  int32_t qty_of(const std::string& product_id) const;
  /// Sets a line (0 removes it). `qty` must be valid.
  void set(const std::string& product_id, int32_t qty);
  /// The lines, ordered by product id.
  std::vector<cart_line> snapshot() const;
};

/// Reads a customer's cart from storage; throws when it cannot.
using cart_loader =
    std::function<std::vector<cart_line>(const std::string& user_id)>;

/// How the cart manager starts.
struct cart_manager_init {
  journal_actor journal;
  /// Rebuilds a cart from storage. Blocking: see `detached`.
  cart_loader load;
  /// A cart that saw no request for this long is passivated.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  /// On its own thread, since `load` blocks on SQLite. Deterministic tests
  /// turn this off to run the manager on the testing scheduler.
  bool detached = true;
  /// Called with every cart spawned (tests use it to reach a cart).
  std::function<void(const std::string& user_id, const cart_actor&)> on_spawn;
};

/// Spawns the cart manager. It answers like the cart of the user named in
/// each request; a failing load answers berry_errc::storage_failure, a qty
/// outside 0..99 berry_errc::validation.
cart_manager_actor spawn_cart_manager(caf::actor_system& sys,
                                      cart_manager_init init);

/// A loader over its own read-only connection to `db_path`, opened on first
/// use and kept (call it from one thread at a time: the manager's).
cart_loader sqlite_cart_loader(std::string db_path);

} // namespace berry
