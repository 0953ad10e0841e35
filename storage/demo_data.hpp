#pragma once

// The demo marketplace seeded on the first start: a category tree, hundreds of
// products with Russian titles and descriptions, warehouses and couriers in
// Moscow, and stock spread over the warehouses. Pure data, made the same way
// from the same seed.

#include <cstdint>
#include <vector>

#include "protocols/types.hpp"

namespace berry::storage {

/// Everything the seed writes.
struct demo_data {
  std::vector<category> categories;
  std::vector<product> products;
  std::vector<warehouse_info> warehouses;
  std::vector<courier_info> couriers;
  std::vector<stock_level> stock;
};

/// Builds the demo marketplace; the same `seed` gives the same data.
demo_data make_demo_data(uint32_t seed = 20261124);

} // namespace berry::storage
