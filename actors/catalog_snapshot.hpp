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

/// Product id -> position in a snapshot's products. Copies share one map
/// until one of them is changed, so snapshots of the same products (most of
/// them: a sale changes availability, not the products) share their index.
class catalog_index {
public:
  using map = std::unordered_map<std::string, size_t>;

  map::const_iterator find(const std::string& id) const {
    return get().find(id);
  }
  map::const_iterator end() const { return get().end(); }
  size_t at(const std::string& id) const { return get().at(id); }
  size_t size() const { return get().size(); }
  size_t& operator[](const std::string& id) { return own()[id]; }
  void emplace(const std::string& id, size_t pos) { own().emplace(id, pos); }

private:
  const map& get() const {
    static const map none;
    return shared_ ? *shared_ : none;
  }
  map& own() {
    if (!shared_)
      shared_ = std::make_shared<map>();
    else if (shared_.use_count() > 1)
      shared_ = std::make_shared<map>(*shared_);
    return *shared_;
  }
  std::shared_ptr<map> shared_;
};

/// A catalog as of one moment. Never changed after it is published.
struct catalog_snapshot {
  uint64_t version = 0;
  std::vector<category> categories;
  /// Ordered by product id.
  std::vector<std::shared_ptr<const catalog_entry>> products;
  catalog_index index; ///< product id -> position

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
