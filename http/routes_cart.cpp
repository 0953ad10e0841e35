// Cart routes: answered by the customer's cart actor through the cart
// manager, priced from the current catalog snapshot; nothing here blocks.

#include "http/routes_cart.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/catalog_cache.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/routes.hpp"

namespace berry::http {

using lines_t = std::vector<cart_line>;

nlohmann::json cart_json(const lines_t& lines,
                         const catalog_snapshot& catalog) {
  auto items = nlohmann::json::array();
  int64_t total = 0;
  for (auto& line : lines) {
    auto entry = catalog.find(line.product_id);
    if (!entry)
      continue;
    auto price = entry->item.price;
    // Checked: prices up to 2^50 over a cart of any length could pass
    // int64's end (a checkout of such a cart answers 422).
    int64_t cost = 0;
    if (__builtin_mul_overflow(price, int64_t{line.qty}, &cost) ||
        __builtin_add_overflow(total, cost, &total))
      total = std::numeric_limits<int64_t>::max();
    items.push_back({{"product_id", line.product_id},
                     {"qty", line.qty},
                     {"unit_price", money_json(price)}});
  }
  return {{"lines", std::move(items)}, {"total", money_json(total)}};
}

outcome<int32_t> parse_cart_qty(const nlohmann::json& body) {
  auto qty = body.find("qty");
  if (qty == body.end() || !qty->is_number_integer() || *qty < 0 || *qty > 99)
    return make_problem(berry_errc::validation,
                        "qty must be an integer from 0 to 99");
  return qty->get<int32_t>();
}

namespace {

/// Asks the cart manager `xs...` for the caller and answers with `ok`.
template <class Ok, class... Ts>
void ask_carts(const route_env& env, const request& req, responder respond,
               Ok ok, Ts... xs) {
  ask<lines_t>(
      *env.ctx.sys, env.ctx.carts, default_ask_timeout,
      [respond, ok](lines_t& lines) { respond(ok(lines)); },
      [respond, rid = req.request_id](const problem& p) {
        respond(problem_response(p, rid));
      },
      xs...);
}

/// A 200 Cart, priced from the catalog as it is now.
auto cart_ok(const route_env& env) {
  return [&env](const lines_t& lines) {
    auto cat = env.ctx.catalog->load();
    return json_response(dump_json(cart_json(lines, *cat->snapshot)));
  };
}

} // namespace

void get_cart(const route_env& env, const request& req, responder respond) {
  auto who = authenticate(env, req);
  if (!who)
    return fail(req, respond, who.error());
  ask_carts(env, req, std::move(respond), cart_ok(env), caf::get_atom_v,
            who->user_id);
}

void put_cart_line(const route_env& env, const request& req,
                   responder respond) {
  auto who = authenticate(env, req);
  if (!who)
    return fail(req, respond, who.error());
  auto body = parse_json_body(req);
  if (!body)
    return fail(req, respond, body.error());
  auto qty = parse_cart_qty(*body);
  if (!qty)
    return fail(req, respond, qty.error());
  std::string product_id{req.param("product_id")};
  if (!env.ctx.catalog->load()->snapshot->find(product_id))
    return fail(
        req, respond,
        make_problem(berry_errc::validation, "no such product: " + product_id));
  ask_carts(env, req, std::move(respond), cart_ok(env), caf::put_atom_v,
            who->user_id, product_id, *qty);
}

void delete_cart(const route_env& env, const request& req, responder respond) {
  auto who = authenticate(env, req);
  if (!who)
    return fail(req, respond, who.error());
  auto no_content = [](const lines_t&) {
    response res;
    res.status = 204;
    res.content_type.clear();
    return res;
  };
  ask_carts(env, req, std::move(respond), no_content, caf::delete_atom_v,
            who->user_id);
}

} // namespace berry::http
