#pragma once

// One line of a `berry import` file (API.md "Bulk import"), read and checked
// as the admin API checks a product and a stock level, before anything of it
// goes to the store.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include "protocols/types.hpp"
#include "storage/catalog_import.hpp"

namespace berry {

/// What an import line may name: the store's categories and warehouses.
struct import_names {
  std::vector<category> categories;
  std::unordered_set<std::string> warehouses;
};

/// A line that cannot be imported: why, in words for `line N: reason`.
struct import_refusal {
  std::string reason;
};

/// Reads line number `line_no` of an import file: {"external_id", "title",
/// "description", "category_id", "price": Money, "stock": {"<warehouse id>":
/// on_hand}}. Refuses bad JSON, a missing or invalid field, an unknown
/// category or warehouse, a title outside 1..200 characters, a negative
/// price and an on_hand outside 0..10,000,000. `created_at` is the time
/// given to a new product.
std::variant<storage::import_item, import_refusal>
read_import_line(std::string_view text, int64_t line_no,
                 const import_names& names, int64_t created_at);

} // namespace berry
