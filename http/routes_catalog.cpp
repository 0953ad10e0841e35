// Catalog routes: answered from the pre-rendered snapshot, except full-text
// search and the order by sales, which run on the read pool against SQLite.

#include "http/routes.hpp"

#include <exception>
#include <memory>
#include <optional>

#include "actors/catalog_search.hpp"
#include "config/logging.hpp"
#include "http/catalog_cache.hpp"
#include "http/etag.hpp"
#include "http/problem.hpp"
#include "http/product_listing.hpp"
#include "http/query.hpp"
#include "storage/database.hpp"
#include "storage/read_connection.hpp"
#include "storage/search.hpp"
#include "storage/search_popular.hpp"

namespace berry::http {

void get_categories(const route_env& env, const request& req,
                    responder respond) {
  auto cat = env.ctx.catalog->load();
  respond(cached_json_of(req, cat->categories_json, cat->categories_etag));
}

void get_product(const route_env& env, const request& req, responder respond) {
  auto cat = env.ctx.catalog->load();
  auto p = cat->find(std::string{req.param("id")});
  if (!p) {
    respond(
        problem_response(make_problem(berry_errc::not_found, "no such product"),
                         req.request_id));
    return;
  }
  // The document kept with the rendering is copied into a 200 only; one
  // written for this request (past the budget) is moved.
  std::string scratch;
  auto& doc = p->json(scratch);
  respond(&doc == &scratch ? cached_json(req, std::move(scratch), p->etag())
                           : cached_json_of(req, doc, p->etag()));
}

void get_products(const route_env& env, const request& req, responder respond) {
  auto q = parse_products_query(req.query);
  if (!q) {
    respond(problem_response(q.error(), req.request_id));
    return;
  }
  with_products_page(
      env, req, std::move(*q), respond,
      [req, respond](const rendered_catalog&, product_page page) {
        auto body = render_page(page);
        auto etag = make_etag(body);
        respond(cached_json(req, std::move(body), std::move(etag)));
      });
}

void with_products_page(
    const route_env& env, const request& req, products_query q,
    responder on_error,
    std::function<void(const rendered_catalog&, product_page)> on_page) {
  auto cat = env.ctx.catalog->load();
  auto* search =
      env.ctx.search && env.ctx.search->ready() ? env.ctx.search : nullptr;
  // Ordering by sales takes every match; the sales come from the database.
  std::optional<std::vector<std::string>> found_ids;
  // A query that found nothing in memory: its words, and the search's
  // generation when the database's suggestion for them is to be kept.
  std::string unfound;
  uint64_t generation = 0;
  if (search && (!q.q.empty() || q.sort != sort_order::popular)) {
    // In memory: the listing's orders, or the search's best matches.
    auto sq = search_query_of(*cat, q);
    auto found = q.q.empty() ? search->list(sq) : search->find(sq);
    if (q.sort != sort_order::popular && (q.q.empty() || found.total > 0)) {
      on_page(*cat, page_of_matches(*cat, q, found));
      return;
    }
    auto& ids = found_ids.emplace();
    for (auto& hit : found.hits)
      ids.push_back(*hit.id);
    if (found.total == 0 && !q.q.empty() && q.sort != sort_order::popular) {
      // Nothing found: the answer is the suggestion alone, the same until
      // the products' texts change (a repeated misspelling asks no SQL).
      for (auto& w : sq.words)
        unfound += (unfound.empty() ? "" : " ") + w;
      generation = search->generation();
      if (auto kept = search->suggestion(unfound)) {
        auto page = list_products(*cat, q, &ids, nullptr);
        page.suggestion = std::move(*kept);
        on_page(*cat, std::move(page));
        return;
      }
    }
  } else if (q.q.empty() && q.sort != sort_order::popular) {
    on_page(*cat, list_products(*cat, q, nullptr));
    return;
  }
  // A suggestion (when nothing was found) and the sales read the database,
  // which blocks, so they run on the read pool; the page is cut there too,
  // against the catalog current then.
  auto queued = env.post_read([&env, req, q = std::move(q), on_error, on_page,
                               found_ids = std::move(found_ids),
                               unfound = std::move(unfound), generation]() {
    std::vector<std::string> ids;
    std::string suggestion;
    units_by_id sold;
    try {
      auto& db = storage::read_connection(env.ctx.db_path);
      if (found_ids)
        ids = *found_ids;
      else if (!q.q.empty())
        ids = storage::search_product_ids(db, q.q);
      if (!q.q.empty() && ids.empty())
        suggestion = storage::suggest_query(db, q.q);
      if (!unfound.empty())
        env.ctx.search->remember(unfound, suggestion, generation);
      if (q.sort == sort_order::popular)
        sold = storage::units_sold(db);
    } catch (const std::exception& e) {
      log::error("search failed",
                 {{"request_id", req.request_id}, {"error", e.what()}});
      on_error(problem_response(make_problem(storage::store_unreachable(e)
                                                 ? berry_errc::unavailable
                                                 : berry_errc::storage_failure,
                                             "the search failed"),
                                req.request_id));
      return;
    }
    auto cat = env.ctx.catalog->load();
    auto page = list_products(*cat, q, q.q.empty() ? nullptr : &ids, &sold);
    page.suggestion = std::move(suggestion);
    on_page(*cat, std::move(page));
  });
  if (!queued)
    on_error(read_queue_full(req.request_id));
}

} // namespace berry::http
