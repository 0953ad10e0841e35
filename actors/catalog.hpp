#pragma once

// The catalog actor: owns products and categories, gathers availability from
// the warehouses and publishes immutable snapshots for the edge.

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
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
  /// Products with their availability, ordered by id: the very entries the
  /// snapshots share (one copy of each product). Change them through put()
  /// and apply().
  chunked_seq_editor<catalog_entry, entry_id> products;
  /// Units available per warehouse: stock[column][row], a column per
  /// warehouse (warehouses[column]), a row per product (catalog_entry::row).
  std::vector<std::vector<int64_t>> stock;
  std::vector<std::string> warehouses;
  /// Units reported of products the catalog does not have (yet), by
  /// (product id, column); moved into `stock` when the product is put.
  std::map<std::pair<std::string, size_t>, int64_t> unplaced;
  std::set<std::string> reported;
  size_t expected_warehouses = 0;
  catalog_snapshot_ptr last;
  /// Entries changed since `last`.
  size_t dirty = 0;

  /// Takes a warehouse's report; remakes the entries whose sum changed.
  void apply(const availability_report& r);
  /// Units available over all warehouses.
  int64_t available(const std::string& product_id) const;
  /// Units each warehouse last reported available of `product_ids` (as
  /// on_hand, reserved 0), for the warehouses holding any.
  std::vector<stock_level>
  where(const std::vector<std::string>& product_ids) const;
  /// True once every expected warehouse has reported.
  bool ready() const { return reported.size() >= expected_warehouses; }
  /// True when a new snapshot would differ from `last`.
  bool changed() const { return !last || dirty > 0; }
  /// Makes the next snapshot (it shares every unchanged chunk of entries
  /// with `last`) and makes it `last`.
  catalog_snapshot_ptr build();
  /// Why `p` cannot be stored (empty when it can): a title of 1..200
  /// characters, a known category, a price of at least 0.
  std::string check(const product& p) const;
  /// Creates or replaces a product; marks it changed.
  void put(const product& p);
  void put(product&& p);
  /// A fresh product id, "p-" and 6 or more digits, after every id taken
  /// or handed out before (so two creations in flight never share one).
  std::string new_product_id();
  /// The highest number of a "p-<digits>" id put or handed out so far.
  uint64_t last_number = 0;

private:
  size_t column(const std::string& warehouse_id);
  int64_t sum(uint32_t row) const;
  uint32_t rows = 0;
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
