#pragma once

// Full-text search of the catalog through products_fts (FTS5) on SQLite, and
// through the products' tsvector (GIN) on PostgreSQL. The user's text never
// reaches either query syntax: it is cut into words first, the same words on
// both stores.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace berry::storage {

/// The most words of a query that are searched for; the rest are dropped.
inline constexpr std::size_t max_query_words = 16;

/// The words of user text, as products_fts sees them (storage::split_words):
/// at most max_query_words, folded (lower case, «ё» as «е»).
std::vector<std::string> query_words(database& db, std::string_view user_query);

/// Turns words into an FTS5 query: every word w becomes ("w" OR "w"*), its
/// word forms (the tokenizer stems the bare term) or any word it starts, plus
/// OR "кроссовк"* for a stem with a fleeting vowel («кроссовок»); the groups
/// are joined by AND. A '"' in a word is doubled, so no word can make a
/// syntax error. Returns "" for no words.
std::string to_fts_query(const std::vector<std::string>& words);

/// Turns words into a PostgreSQL tsquery (configuration 'simple') that
/// matches as to_fts_query does on SQLite: each word w becomes ('stem' |
/// 'w':*), plus | 'кроссовк':* for a stem with a fleeting vowel, the groups
/// joined by &. Returns "" for no words.
std::string to_tsquery_text(const std::vector<std::string>& words);

/// Ids of the products matching every word of `user_query` (in any of its
/// forms or as a prefix, «е» and «ё» alike),
/// best first (bm25, title weighted 3:1 over description), ties by id, at
/// most `limit`. An empty or wordless query gives {}.
std::vector<std::string> search_product_ids(database& db,
                                            std::string_view user_query,
                                            std::size_t limit = 5000);

/// True when some product matches every word of `user_query` (as
/// search_product_ids finds them), without ranking the matches.
bool any_product_matches(database& db, std::string_view user_query);

/// A corrected query when `user_query` finds nothing but each word that finds
/// nothing is one or two letters away from an indexed word, and the corrected
/// query finds something («плотье» -> «платье»); else "". Words come back
/// folded (lower case, «ё» as «е»).
std::string suggest_query(database& db, std::string_view user_query);

/// Rebuilds products_fts from products (after VACUUM or a bulk repair); on
/// PostgreSQL, where the index follows every row by itself, nothing.
void rebuild_search_index(database& db);

} // namespace berry::storage
