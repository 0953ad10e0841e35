#pragma once

// The demo marketplace seeded on a node's first start: a category tree,
// hundreds of products with Russian titles and descriptions, warehouses and
// couriers in Moscow, and stock spread over the warehouses. Made from the
// data files beside this generator (compiled in), the same way from the
// same seed.

#include <cstdint>

#include "storage/store.hpp"

namespace berry::demo {

/// Builds the demo marketplace; the same `seed` gives the same data.
storage::marketplace make_demo_data(uint32_t seed = 20261124);

} // namespace berry::demo
