#pragma once

// The catalog actor: owns products and categories, gathers availability from
// the warehouses and publishes immutable snapshots for the edge.

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/catalog_snapshot.hpp"
#include "protocols/interfaces.hpp"
#include "protocols/types.hpp"

namespace caf {
class actor_system;
}

namespace berry {

/// What the catalog knows; pure methods, tested without actors.
struct catalog_state {
  std::vector<category> categories;
  std::map<std::string, product> products;
  /// product id -> warehouse id -> available units there.
  std::unordered_map<std::string, std::unordered_map<std::string, int64_t>>
      stock;
  std::set<std::string> reported;
  size_t expected_warehouses = 0;
  catalog_snapshot_ptr last;
  /// Products changed since `last`.
  std::set<std::string> dirty;
  /// True when a product was added since `last` (its index is rebuilt).
  bool products_added = false;

  /// Takes a warehouse's report; marks the products whose sum changed.
  void apply(const availability_report& r);
  /// Units available over all warehouses.
  int64_t available(const std::string& product_id) const;
  /// True once every expected warehouse has reported.
  bool ready() const { return reported.size() >= expected_warehouses; }
  /// True when a new snapshot would differ from `last`.
  bool changed() const { return !last || !dirty.empty(); }
  /// Builds the next snapshot, sharing unchanged entries with `last`, and
  /// makes it `last`.
  catalog_snapshot_ptr build();
  /// Why `p` cannot be stored (empty when it can): a title of 1..200
  /// characters, a known category, a price of at least 0.
  std::string check(const product& p) const;
  /// Creates or replaces a product; marks it changed.
  void put(const product& p);
  /// A fresh product id, "p-" and 6 or more digits, after every id taken
  /// or handed out before (so two creations in flight never share one).
  std::string new_product_id();
  /// The highest number of a "p-<digits>" id handed out so far.
  uint64_t last_number = 0;
};

/// How the catalog starts.
struct catalog_init {
  std::vector<category> categories;
  std::vector<product> products;
  size_t expected_warehouses = 0;
  catalog_publisher publisher;
  /// Availability changes are gathered this long before a new snapshot, so a
  /// flash sale does not rebuild the snapshot for every unit sold.
  std::chrono::milliseconds publish_delay{20};
  /// Where product changes are journaled before they are published.
  journal_actor journal;
};

/// Spawns the catalog actor.
catalog_actor spawn_catalog(caf::actor_system& sys, catalog_init init);

} // namespace berry
