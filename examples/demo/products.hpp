#pragma once

// The demo's catalog: the category tree and the products of every leaf,
// with titles, descriptions and prices drawn from the data files.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "examples/demo/demo_rng.hpp"
#include "protocols/types.hpp"

namespace berry::demo {

/// The category tree of categories.json, with each category's position
/// among its siblings.
std::vector<category> make_categories();

/// 12 to 19 products in every leaf of `categories`, numbered p-000001
/// onwards, with unique titles.
std::vector<product> make_products(const std::vector<category>& categories,
                                   demo_rng& rng);

/// Draws products of the demo's item kinds one at a time, titles not kept
/// unique: what large generated catalogs (catalog_lines.hpp) are made of.
class product_drawer {
public:
  /// Reads the item kinds and the word tables.
  product_drawer();
  ~product_drawer();
  product_drawer(const product_drawer&) = delete;
  product_drawer& operator=(const product_drawer&) = delete;

  /// The leaf categories that have item kinds, in categories.json order.
  const std::vector<std::string>& leaves() const;

  /// A product of `leaf` (title, description, category, price); its id and
  /// created_at are left to the caller.
  product draw(const std::string& leaf, demo_rng& rng) const;

private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

/// `prefix` and `number` padded with zeros to `width` digits ("k-007").
std::string numbered_id(const char* prefix, size_t number, int width);

} // namespace berry::demo
