#pragma once

// GET /api/v1/products as a pure function over a rendered catalog: filter by
// category subtree and price, order, and cut one page. Every order breaks
// ties by product id, so pages never overlap or skip.

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/search_index.hpp"
#include "http/catalog_cache.hpp"
#include "http/message.hpp"
#include "http/query.hpp"

namespace berry::http {

/// One page of products.
struct product_page {
  std::vector<const rendered_product*> items;
  int64_t page = 1;
  int64_t page_size = 20;
  int64_t total = 0;              ///< matches over all pages
  bool total_is_estimate = false; ///< `total` was extrapolated
  std::string suggestion;         ///< a corrected query, or "" (not rendered)
};

/// Units sold by product id (storage::units_sold).
using units_by_id = std::unordered_map<std::string, int64_t>;

/// Lists the products of `cat` that match `q`. `ranked_ids` is the result of
/// the full-text search when q.q is set (best first; ids missing from the
/// catalog are skipped), or nullptr to list the whole catalog. sort=popular
/// orders by `units_sold` (most first; unsold last, by id).
product_page list_products(const rendered_catalog& cat, const products_query& q,
                           const std::vector<std::string>* ranked_ids,
                           const units_by_id* units_sold = nullptr);

/// The page `q` asks for out of a search's best matches (`found.hits` hold
/// at least the pages up to it, already filtered and ordered).
product_page page_of_matches(const rendered_catalog& cat,
                             const products_query& q,
                             const search_matches& found);

/// What to ask the catalog's search for `q` over `cat`: its words, the
/// category subtree and prices, and enough best matches for q's page (every
/// match when the order is one the index does not keep: title, sales).
search_query search_query_of(const rendered_catalog& cat,
                             const products_query& q);

struct route_env;

/// Lists the products that match `q` (searching and counting sales on the
/// read pool when q.q is set or the order is by sales) and hands the page to
/// `on_page` with the catalog it points into, on whatever thread has it; a
/// failed search answers through `on_error`.
void with_products_page(
    const route_env& env, const request& req, products_query q,
    responder on_error,
    std::function<void(const rendered_catalog&, product_page)> on_page);

/// {"items": [Product...], "page", "page_size", "total"} (and
/// "total_is_estimate": true when it is).
std::string render_page(const product_page& p);

} // namespace berry::http
