#include "http/routes.hpp"

#include "http/auth.hpp"
#include "http/etag.hpp"
#include "http/problem.hpp"
#include "http/routes_admin.hpp"
#include "http/routes_auth.hpp"
#include "http/routes_cart.hpp"
#include "http/routes_cluster.hpp"
#include "http/routes_orders.hpp"
#include "http/static_files_site.hpp"

namespace berry::http {

std::vector<route> make_routes(const route_env& env) {
  // A token of an account made or changed on another node of a cluster is
  // checked once this node knows that account (http/auth.hpp).
  auto bind = [&env](void (*fn)(const route_env&, const request&,
                                responder)) -> handler {
    return [&env, fn](const request& req, responder respond) {
      // Most requests carry no token of an unknown account: no copy of
      // the request for a later call.
      auto account = unknown_account(env, req);
      if (!account)
        return fn(env, req, std::move(respond));
      after_account_learned(
          env, std::move(*account), req.request_id,
          [&env, fn, req, respond] { fn(env, req, respond); }, respond);
    };
  };
  auto bind_upgrade = [&env](void (*fn)(const route_env&, const request&,
                                        upgrade_responder)) -> upgrade_handler {
    return [&env, fn](const request& req, upgrade_responder respond) {
      if (!env.ctx.learn_account)
        return fn(env, req, std::move(respond));
      after_account_known(
          env, req, [&env, fn, req, respond] { fn(env, req, respond); },
          [respond](response refusal) {
            respond(upgrade_verdict{std::move(refusal), nullptr});
          });
    };
  };
  // The storefront is read and compressed once, here.
  auto site = std::make_shared<const static_site>(env.ctx.web_root);
  auto get_static = [site](const request& req, responder respond) {
    respond(site->serve(req));
  };
  // What each route draws from besides the per-address bucket. The table
  // is kept one row per route, even where a row is over 80 columns.
  constexpr auto auth = rate_class::auth;
  constexpr auto write = rate_class::user_write;
  constexpr auto checkout = rate_class::checkout;
  // Hashing a password is dropped when its client has gone.
  constexpr bool watch = true;
  // clang-format off
  return {
      {"GET", "/healthz", bind(get_healthz)},
      {"GET", "/readyz", bind(get_readyz)},
      {"GET", "/metrics", bind(get_metrics)},
      {"GET", "/api/openapi.json", bind(get_openapi)},
      {"POST", "/api/v1/auth/register", bind(post_register), {}, auth, watch},
      {"POST", "/api/v1/auth/login", bind(post_login), {}, auth, watch},
      {"POST", "/api/v1/auth/logout", bind(post_logout), {}, auth},
      {"GET", "/api/v1/categories", bind(get_categories)},
      {"GET", "/api/v1/products", bind(get_products)},
      {"GET", "/api/v1/products/{id}", bind(get_product)},
      {"POST", "/api/v1/products", bind(post_product)},
      {"PATCH", "/api/v1/products/{id}", bind(patch_product)},
      {"GET", "/api/v1/warehouses", bind(get_warehouses)},
      {"GET", "/api/v1/admin/stock", bind(get_admin_stock)},
      {"GET", "/api/v1/warehouses/{wid}/stock/{product_id}", bind(get_stock)},
      {"PUT", "/api/v1/warehouses/{wid}/stock/{product_id}", bind(put_stock)},
      {"POST", "/api/v1/checkout", bind(post_checkout), {}, checkout},
      {"GET", "/api/v1/addresses", bind(get_addresses)},
      {"GET", "/api/v1/addresses/nearest", bind(get_nearest_address)},
      {"GET", "/api/v1/streets", bind(get_streets)},
      {"GET", "/api/v1/orders", bind(get_orders)},
      {"GET", "/api/v1/orders/{id}", bind(get_order)},
      {"POST", "/api/v1/orders/{id}/cancel", bind(post_order_cancel), {}, write},
      {"POST", "/api/v1/orders/{id}/return", bind(post_order_return), {}, write},
      {"GET", "/api/v1/orders/{id}/track", bind(get_order_track),
       bind_upgrade(upgrade_order_track)},
      {"GET", "/api/v1/cart", bind(get_cart)},
      {"DELETE", "/api/v1/cart", bind(delete_cart), {}, write},
      {"PUT", "/api/v1/cart/lines/{product_id}", bind(put_cart_line), {}, write},
      {"GET", "/api/v1/couriers", bind(get_couriers)},
      {"PUT", "/api/v1/couriers/{id}", bind(put_courier)},
      {"GET", "/api/v1/cluster", bind(get_cluster)},
      {"*", "/api/{*rest}", bind(api_not_found)},
      {"GET", "/{*path}", get_static},
  };
  // clang-format on
}

response read_queue_full(const std::string& request_id) {
  auto res =
      problem_response(make_problem(berry_errc::unavailable,
                                    "too many reads wait; retry shortly"),
                       request_id);
  res.set("Retry-After", "1");
  return res;
}

namespace {

/// A 304 for a request whose If-None-Match names `etag`, or a 200 with the
/// body that `fill` puts in.
template <class Fill>
response cached(const request& req, std::string etag, Fill fill) {
  response res;
  res.set("Cache-Control", "no-cache");
  if (if_none_match(req.header_value("If-None-Match"), etag)) {
    res.status = 304;
  } else {
    fill(res.body);
  }
  res.set("ETag", std::move(etag));
  return res;
}

} // namespace

response cached_json(const request& req, std::string body, std::string etag) {
  return cached(req, std::move(etag),
                [&](std::string& out) { out = std::move(body); });
}

response cached_json_of(const request& req, const std::string& body,
                        std::string etag) {
  return cached(req, std::move(etag), [&](std::string& out) { out = body; });
}

} // namespace berry::http
