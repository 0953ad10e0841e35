// GET /api/v1/orders: the caller's orders a page at a time, newest first,
// read on the read pool (one query per page) so that the order manager's
// thread never waits on a long history.

#include <exception>

#include <nlohmann/json.hpp>

#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/catalog_cache.hpp"
#include "http/json_mapping.hpp"
#include "http/query.hpp"
#include "http/routes.hpp"
#include "http/routes_orders.hpp"
#include "storage/order_repo.hpp"
#include "storage/read_connection.hpp"

namespace berry::http {

namespace {

problem invalid_param(const std::string& param, const std::string& why) {
  return make_problem(berry_errc::validation, param + ": " + why);
}

/// The page as JSON: each order with its number and, per line, the title
/// the catalog has for the product now.
std::string render_orders(const route_env& env, const orders_query& q,
                          const storage::order_list_page& page) {
  auto warehouses = warehouse_infos(env);
  auto catalog = env.ctx.catalog->load();
  nlohmann::json items = nlohmann::json::array();
  for (auto& x : page.items) {
    auto j = order_json(x.order, warehouses);
    j["number"] = x.number;
    for (auto& line : j["lines"])
      if (auto* p = catalog->find(line["product_id"].get<std::string>()))
        line["title"] = p->entry->item.title;
    items.push_back(std::move(j));
  }
  return dump_json({{"items", std::move(items)},
                    {"page", q.page},
                    {"page_size", q.page_size},
                    {"total", page.total}});
}

} // namespace

outcome<orders_query> parse_orders_query(std::string_view query) {
  auto pairs = parse_query(query);
  if (!pairs)
    return pairs.error();
  auto get = [&](std::string_view key) -> std::string {
    for (auto& [k, v] : *pairs)
      if (k == key)
        return v;
    return {};
  };
  orders_query out;
  if (auto bad =
          read_paging(get("page"), get("page_size"), out.page, out.page_size))
    return invalid_param(bad->param, bad->why);
  if (auto s = get("include_unpaid"); !s.empty()) {
    if (s != "true" && s != "false")
      return invalid_param("include_unpaid", "expected true or false");
    out.include_unpaid = s == "true";
  }
  return out;
}

void get_orders(const route_env& env, const request& req, responder respond) {
  auto who = authenticate(env, req);
  if (!who) {
    respond(problem_response(who.error(), req.request_id));
    return;
  }
  auto q = parse_orders_query(req.query);
  if (!q) {
    respond(problem_response(q.error(), req.request_id));
    return;
  }
  storage::order_list_query read{who->user_id, q->page, q->page_size,
                                 q->include_unpaid};
  auto queued = env.post_read([&env, rid = req.request_id, q = *q, read,
                               respond] {
    try {
      auto& db = storage::read_connection(env.ctx.db_path);
      auto page = storage::load_order_page(db, read);
      respond(json_response(render_orders(env, q, page)));
    } catch (const std::exception& e) {
      log::error("order list failed",
                 {{"request_id", rid}, {"error", e.what()}});
      respond(problem_response(make_problem(storage::store_unreachable(e)
                                                ? berry_errc::unavailable
                                                : berry_errc::storage_failure,
                                            "the order list failed"),
                               rid));
    }
  });
  if (!queued)
    respond(read_queue_full(req.request_id));
}

} // namespace berry::http
