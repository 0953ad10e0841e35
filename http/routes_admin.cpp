// Admin routes: products go to the catalog actor, which journals and then
// publishes them; stock goes to the warehouse that owns it. Every handler
// starts with authorize(..., "admin"): 401 without a valid token, 403 for
// anyone else.

#include "http/routes_admin.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "actors/catalog_search.hpp"
#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/catalog_cache.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/routes.hpp"

namespace berry::http {

namespace {

/// Largest amount and count accepted: far beyond any real one, far below
/// an overflow when summed.
constexpr int64_t max_amount = int64_t{1} << 50;

/// A non-negative integer of JSON no bigger than max_amount.
bool is_count(const nlohmann::json& j) {
  if (j.is_number_unsigned())
    return j.get<uint64_t>() <= static_cast<uint64_t>(max_amount);
  return j.is_number_integer() && j.get<int64_t>() >= 0 &&
         j.get<int64_t>() <= max_amount;
}

/// The most a warehouse can hold of one product (API.md: on_hand
/// 0..10,000,000).
constexpr int64_t max_on_hand = 10'000'000;

/// Asks the catalog to store `p`; answers `status` with the stored
/// product and its availability from the snapshot (which carries it).
void ask_put_product(const route_env& env, const request& req,
                     responder respond, product p, int status) {
  ask<product>(
      *env.ctx.sys, env.ctx.catalog_owner, default_ask_timeout,
      [&env, respond, status](product& stored) {
        auto snap = env.ctx.catalog->load()->snapshot;
        if (env.ctx.search)
          env.ctx.search->put(stored, *snap);
        auto entry = snap->find(stored.id);
        auto available = entry ? entry->available : 0;
        auto res =
            json_response(dump_json(product_json(stored, available)), status);
        if (status == 201)
          res.set("Location", "/api/v1/products/" + stored.id);
        respond(std::move(res));
      },
      [respond, rid = req.request_id](const problem& p) {
        respond(problem_response(p, rid));
      },
      product_atom_v, caf::put_atom_v, std::move(p));
}

/// The warehouse of the path, and the product of the path; or a 404.
outcome<warehouse_actor> stock_target(const route_env& env,
                                      const request& req) {
  auto w = env.ctx.warehouses.find(std::string{req.param("wid")});
  if (w == env.ctx.warehouses.end())
    return make_problem(berry_errc::not_found, "no such warehouse");
  std::string pid{req.param("product_id")};
  if (!env.ctx.catalog->load()->snapshot->find(pid))
    return make_problem(berry_errc::not_found, "no such product: " + pid);
  return w->second.handle;
}

/// Asks the warehouse `xs...` and answers with the stock level.
template <class... Ts>
void answer_stock(const route_env& env, const request& req, responder respond,
                  const warehouse_actor& wh, Ts... xs) {
  ask<stock_level>(
      *env.ctx.sys, wh, default_ask_timeout,
      [respond](stock_level& s) {
        nlohmann::json j{{"warehouse_id", s.warehouse_id},
                         {"product_id", s.product_id},
                         {"on_hand", s.on_hand},
                         {"reserved", s.reserved}};
        respond(json_response(dump_json(j)));
      },
      [respond, rid = req.request_id](const problem& p) {
        respond(problem_response(p, rid));
      },
      xs...);
}

} // namespace

outcome<product> apply_product_body(const nlohmann::json& body, product base,
                                    bool create,
                                    const std::vector<category>& categories) {
  for (auto key : {"title", "category_id", "price"})
    if (create && !body.contains(key))
      return invalid(std::string{key} + " is required");
  if (auto t = body.find("title"); t != body.end()) {
    if (!t->is_string())
      return invalid("title must be a string");
    auto n = utf8_chars(t->get<std::string>());
    if (n < 1 || n > 200 ||
        t->get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos)
      return invalid("title must have 1 to 200 characters");
    base.title = t->get<std::string>();
  }
  if (auto d = body.find("description"); d != body.end()) {
    if (!d->is_string())
      return invalid("description must be a string");
    base.description = d->get<std::string>();
  }
  if (auto c = body.find("category_id"); c != body.end()) {
    auto known = [&](const category& x) {
      return c->is_string() && x.id == *c;
    };
    if (std::none_of(categories.begin(), categories.end(), known))
      return invalid("category_id must name a category");
    base.category_id = c->get<std::string>();
  }
  if (auto p = body.find("price"); p != body.end()) {
    if (!p->is_object() || !p->contains("amount") || !is_count((*p)["amount"]))
      return invalid("price.amount must be an integer of kopecks >= 0");
    if (p->value("currency", nlohmann::json{}) != "RUB")
      return invalid("price.currency must be RUB");
    base.price = (*p)["amount"].get<int64_t>();
  }
  return base;
}

outcome<int64_t> parse_on_hand(const nlohmann::json& body) {
  auto n = body.find("on_hand");
  if (n == body.end() || !is_count(*n) || n->get<int64_t>() > max_on_hand)
    return invalid("on_hand must be an integer from 0 to 10000000");
  return n->get<int64_t>();
}

void post_product(const route_env& env, const request& req, responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return fail(req, respond, who.error());
  auto body = parse_json_body(req);
  if (!body)
    return fail(req, respond, body.error());
  auto cat = env.ctx.catalog->load();
  auto p = apply_product_body(*body, {}, true, cat->snapshot->categories);
  if (!p)
    return fail(req, respond, p.error());
  ask_put_product(env, req, std::move(respond), std::move(*p), 201);
}

void patch_product(const route_env& env, const request& req,
                   responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return fail(req, respond, who.error());
  auto cat = env.ctx.catalog->load();
  auto entry = cat->snapshot->find(std::string{req.param("id")});
  if (!entry)
    return fail(req, respond,
                make_problem(berry_errc::not_found, "no such product"));
  auto body = parse_json_body(req);
  if (!body)
    return fail(req, respond, body.error());
  auto p =
      apply_product_body(*body, entry->item, false, cat->snapshot->categories);
  if (!p)
    return fail(req, respond, p.error());
  ask_put_product(env, req, std::move(respond), std::move(*p), 200);
}

void get_warehouses(const route_env& env, const request& req,
                    responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return fail(req, respond, who.error());
  auto items = nlohmann::json::array();
  for (auto& [id, w] : env.ctx.warehouses)
    items.push_back(warehouse_json(w.info));
  respond(json_response(dump_json({{"items", std::move(items)}})));
}

void get_stock(const route_env& env, const request& req, responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return fail(req, respond, who.error());
  auto wh = stock_target(env, req);
  if (!wh)
    return fail(req, respond, wh.error());
  answer_stock(env, req, std::move(respond), *wh, stock_atom_v, caf::get_atom_v,
               std::string{req.param("product_id")});
}

void put_stock(const route_env& env, const request& req, responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return fail(req, respond, who.error());
  auto wh = stock_target(env, req);
  if (!wh)
    return fail(req, respond, wh.error());
  auto body = parse_json_body(req);
  if (!body)
    return fail(req, respond, body.error());
  auto n = parse_on_hand(*body);
  if (!n)
    return fail(req, respond, n.error());
  answer_stock(env, req, std::move(respond), *wh, stock_atom_v, caf::put_atom_v,
               std::string{req.param("product_id")}, *n);
}

} // namespace berry::http
