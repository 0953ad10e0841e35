#pragma once

// The immutable picture of the catalog that the catalog actor publishes and
// the edge reads without an actor hop. Light: no CAF, no JSON.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
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

/// The categories of a snapshot, shared by the snapshots that have the same
/// ones: a new snapshot costs one reference, not a copy of every name. Reads
/// as a `const std::vector<category>&`.
class category_list {
public:
  category_list() : list_(std::make_shared<const std::vector<category>>()) {}
  category_list(std::vector<category> list)
      : list_(std::make_shared<const std::vector<category>>(std::move(list))) {}
  category_list(std::initializer_list<category> list)
      : category_list(std::vector<category>(list)) {}

  const std::vector<category>& get() const { return *list_; }
  operator const std::vector<category>&() const { return *list_; }
  auto begin() const { return list_->begin(); }
  auto end() const { return list_->end(); }
  size_t size() const { return list_->size(); }
  bool empty() const { return list_->empty(); }
  const category& operator[](size_t i) const { return (*list_)[i]; }

private:
  std::shared_ptr<const std::vector<category>> list_;
};

/// Whether `a` and `b` list the same categories in the same order.
inline bool same_categories(const std::vector<category>& a,
                            const std::vector<category>& b) {
  return &a == &b || std::equal(a.begin(), a.end(), b.begin(), b.end(),
                                [](const category& x, const category& y) {
                                  return x.id == y.id && x.name == y.name &&
                                         x.parent_id == y.parent_id &&
                                         x.position == y.position;
                                });
}

/// A catalog as of one moment. Never changed after it is published.
struct catalog_snapshot {
  uint64_t version = 0;
  category_list categories;
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
