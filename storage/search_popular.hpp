#pragma once

// What sells: units sold per product, for «Популярные товары» (GET
// /api/v1/products?sort=popular).

#include <cstdint>
#include <string>
#include <unordered_map>

#include "storage/database.hpp"

namespace berry::storage {

/// Units sold of each product that sold at all: the lines of orders that
/// were paid and not cancelled or returned.
std::unordered_map<std::string, int64_t> units_sold(database& db);

} // namespace berry::storage
