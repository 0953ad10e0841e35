#pragma once

// The immutable picture of the catalog that the catalog actor publishes and
// the edge reads without an actor hop. Light: no CAF, no JSON.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/types.hpp"

namespace berry {

/// One product with its availability over all warehouses. Entries are shared
/// between snapshots: an entry whose product and availability did not change
/// is the same object in the next snapshot, so the edge can reuse what it
/// rendered for it.
struct catalog_entry {
  product item;
  int64_t available = 0;
};

/// A catalog as of one moment. Never changed after it is published.
struct catalog_snapshot {
  uint64_t version = 0;
  std::vector<category> categories;
  /// Ordered by product id.
  std::vector<std::shared_ptr<const catalog_entry>> products;
  std::unordered_map<std::string, size_t> index; ///< product id -> position

  /// The entry of `id`, or nullptr.
  const catalog_entry* find(const std::string& id) const {
    auto i = index.find(id);
    return i == index.end() ? nullptr : products[i->second].get();
  }
};

using catalog_snapshot_ptr = std::shared_ptr<const catalog_snapshot>;

/// Called by the catalog actor with every new snapshot.
using catalog_publisher = std::function<void(catalog_snapshot_ptr)>;

} // namespace berry
