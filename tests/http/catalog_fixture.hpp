#pragma once

// Hand-made catalog snapshots for the edge's tests.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "actors/catalog_snapshot.hpp"

namespace berry::test {

/// A product entry with the fields the tests care about.
inline std::shared_ptr<const catalog_entry>
entry(std::string id, std::string title, std::string cat, int64_t price,
      int64_t created_at = 0, int64_t available = 5) {
  auto e = std::make_shared<catalog_entry>();
  e->item = {std::move(id), std::move(title), "описание", std::move(cat),
             price,         created_at};
  e->available = available;
  return e;
}

/// A snapshot of `products` (sorted by id, as the catalog publishes them)
/// over a small category tree: clothes > dresses > evening, and kitchen.
inline catalog_snapshot_ptr
snapshot(std::vector<std::shared_ptr<const catalog_entry>> products,
         uint64_t version = 1) {
  auto s = std::make_shared<catalog_snapshot>();
  s->version = version;
  s->categories = {{"c-clothes", "Одежда", "", 1},
                   {"c-dresses", "Платья", "c-clothes", 1},
                   {"c-evening", "Вечерние", "c-dresses", 1},
                   {"c-kitchen", "Кухня", "", 2}};
  std::sort(products.begin(), products.end(),
            [](auto& a, auto& b) { return a->item.id < b->item.id; });
  s->products = catalog_entries::from_sorted(products);
  return s;
}

} // namespace berry::test
