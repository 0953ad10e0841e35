#pragma once

// The immutable picture of the catalog that the catalog actor publishes and
// the edge reads without an actor hop. Light: no CAF, no JSON.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/chunked_seq.hpp"
#include "protocols/types.hpp"

namespace berry {

/// One product with its availability over all warehouses. Entries are shared
/// between snapshots: an entry whose product and availability did not change
/// is the same object in the next snapshot, so the edge can reuse what it
/// rendered for it.
struct catalog_entry {
  product item;
  int64_t available = 0;
  /// The product's row in the catalog's per-warehouse stock table (the
  /// catalog actor's business; stable for the product's life).
  uint32_t row = 0;
};

/// The key catalog entries are ordered and found by: the product id.
struct entry_id {
  const std::string& operator()(const catalog_entry& e) const {
    return e.item.id;
  }
};

/// Catalog entries ordered by product id, in chunks shared between
/// snapshots: iterate it (yields `const std::shared_ptr<const
/// catalog_entry>&`), size(), find(id).
using catalog_entries = chunked_seq<catalog_entry, entry_id>;

/// A catalog as of one moment. Never changed after it is published.
struct catalog_snapshot {
  uint64_t version = 0;
  std::vector<category> categories;
  /// Ordered by product id.
  catalog_entries products;

  /// The entry of `id`, or nullptr.
  const catalog_entry* find(const std::string& id) const {
    return products.find(id).get();
  }
};

using catalog_snapshot_ptr = std::shared_ptr<const catalog_snapshot>;

/// Called by the catalog actor with every new snapshot.
using catalog_publisher = std::function<void(catalog_snapshot_ptr)>;

} // namespace berry
