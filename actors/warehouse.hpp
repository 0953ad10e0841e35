#pragma once

// A warehouse actor: the single writer of one warehouse's stock. It decides
// every change of its stock one message at a time, journals it, and reports
// availability to the catalog.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/errors.hpp"
#include "protocols/interfaces.hpp"
#include "protocols/types.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// One warehouse's stock; pure methods, tested without actors.
struct warehouse_state {
  warehouse_info info;
  std::unordered_map<std::string, stock_level> stock;

  /// The stock of `product_id` here; zero for a product never stocked.
  stock_level get(const std::string& product_id) const;
  /// The level after setting on-hand, or why that is refused: validation for
  /// a negative count, conflict when fewer than the reserved units remain.
  berry_errc check_on_hand(const std::string& product_id,
                           int64_t on_hand) const;
  /// Sets on-hand (after check_on_hand said none) and returns the new level.
  stock_level set_on_hand(const std::string& product_id, int64_t on_hand);
  /// Availability of every product here, for the catalog.
  availability_report report_all() const;
  /// Availability of one product here.
  availability_report report_one(const std::string& product_id) const;
};

/// How a warehouse starts: its identity, its stock from storage, and whom
/// it talks to.
struct warehouse_init {
  warehouse_info info;
  std::vector<stock_level> stock;
  journal_actor journal;
  catalog_actor catalog;
};

/// Spawns a warehouse actor; it reports its availability to the catalog at
/// once.
warehouse_actor spawn_warehouse(caf::actor_system& sys, warehouse_init init);

} // namespace berry
