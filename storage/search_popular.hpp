#pragma once

// What sells: units sold per product, for «Популярные товары» (GET
// /api/v1/products?sort=popular).

#include <cstdint>
#include <string>
#include <unordered_map>

#include "storage/database.hpp"

namespace berry::storage {

/// Units sold of each product that sold at all, over every warehouse: what
/// their commits took off the shelf and no restock brought back (the lines
/// of orders paid and not cancelled or returned). It reads the stock rows
/// that sold, however many orders there were.
std::unordered_map<std::string, int64_t> units_sold(database& db);

} // namespace berry::storage
