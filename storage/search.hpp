#pragma once

// Full-text search of the catalog through products_fts (FTS5). The user's
// text never reaches FTS5's query syntax: it is cut into words first.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace berry::storage {

/// The most words of a query that are searched for; the rest are dropped.
inline constexpr std::size_t max_query_words = 16;

/// Turns user text into an FTS5 query: every word (ASCII letters and digits,
/// and every byte >= 0x80, so any script) becomes a quoted prefix term
/// ("word"*); the terms are joined by spaces, FTS5's implicit AND. Everything
/// else is dropped, so no input can make a syntax error. Returns "" when the
/// text holds no word.
std::string to_fts_query(std::string_view user_query);

/// Ids of the products matching every word of `user_query` (as prefixes),
/// best first (bm25, title weighted 3:1 over description), ties by id, at
/// most `limit`. An empty or wordless query gives {}.
std::vector<std::string> search_product_ids(database& db,
                                            std::string_view user_query,
                                            std::size_t limit = 5000);

/// Rebuilds products_fts from products (after VACUUM or a bulk repair).
void rebuild_search_index(database& db);

} // namespace berry::storage
