#pragma once

// The demo's catalog: the category tree and the products of every leaf,
// with titles, descriptions and prices drawn from the data files.

#include <cstddef>
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

/// `prefix` and `number` padded with zeros to `width` digits ("k-007").
std::string numbered_id(const char* prefix, size_t number, int width);

} // namespace berry::demo
